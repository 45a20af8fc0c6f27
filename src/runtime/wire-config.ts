/**
 * What the links of one template share (./link-template.ts checks it once, never changes it) and
 * the parts of one link's wire: its id over that config. The wire (./link-wire.ts), its attempts
 * and the chart's runtime read it. Types only.
 */
import type { AnyActorRef } from 'xstate';
import type { HeartbeatOptions } from '../../machines/policy/heartbeat.js';
import type { QueueOptions } from '../../machines/policy/queue.js';
import type { ResumeOptions } from '../../machines/policy/resume.js';
import type { Incoming, Payload } from '../transports/payload.js';
import type { ConnectWith, Transport } from '../transports/transport.js';
import type { Clock } from '../util/clock.js';
import type { AttemptAbort } from './attempt-abort.js';
import type { HeaderSupport } from './attempt-headers.js';
import type { FeatureCommands } from './feature-commands.js';
import type { LinkWire } from './link-wire.js';
import type { LinkOptions, PerAttempt } from './options.js';
import type { ReadingHold } from './reading-hold.js';
import type { HandshakeRunner } from './run-handshake.js';
import type { WireSession } from './wire-session.js';

/** Makes a link's session (the supervisor and defineLink pass `createResumeSession` through src/runtime/link-features.ts). */
export type SessionFactory = (options: ResumeOptions, wire: LinkWire) => WireSession;

/** Makes a link's hold on reading (`Link.pause`: ./reading-hold.ts, a link feature). */
export type HoldFactory = (wire: LinkWire) => ReadingHold;

/** What the links of one template share (checked once, never changed); `label`: the URL shown. */
export interface WireConfig {
  label: string;
  transport: Transport;
  clock: Clock;
  url: PerAttempt<string | URL>;
  protocols: LinkOptions['protocols'];
  headers: LinkOptions['headers'];
  wsOptions: LinkOptions['wsOptions'];
  /** Runs the application handshake (src/runtime/run-handshake.ts); absent without one. */
  handshake: HandshakeRunner | undefined;
  heartbeat: HeartbeatOptions;
  ping: (() => Payload) | undefined;
  isPong: ((data: Incoming) => boolean) | undefined;
  shouldReconnect: LinkOptions['shouldReconnect'];
  /** Close codes marked as credentials rejections (verdict `refresh`). */
  authCloseCodes: readonly number[];
  backoffFn: ((attempt: number) => number) | undefined;
  maxPayloadBytes: number;
  connectTimeoutMs: number;
  /** The outbound queue's bounds and overflow policy (each link makes its queue from them when it
   * first queues). */
  queue: QueueOptions;
  /** Longest a healthy heartbeat goes without a ping, in ms (sends check that the heartbeat has
   * not been suspended); null: heartbeat off. */
  overdueAfterMs: number | null;
  /** Resumable session: its numbers (machines/policy/resume.ts) and the client's maker; null or
   * absent: at-most-once delivery. */
  resume?: { options: ResumeOptions; create: SessionFactory } | null;
  /** Checks `headers` and `wsOptions` and finds the headers' secrets (./attempt-headers.ts, a link
   * feature); null: the links have neither (the drop-in). */
  headerSupport: HeaderSupport | null;
  /** Makes the hold on reading of a link that pauses (./reading-hold.ts, a link feature); null:
   * `Link.pause()` returns false (the drop-in in a browser, whose WebSocket cannot pause). */
  hold: HoldFactory | null;
  /** How an attempt connects to a transport that may detach its handlers (a custom one:
   * src/transports/detachable-handlers.ts, a link feature); null: as methods (the drop-in's). */
  connectWith: ConnectWith | null;
  /** Runs the chart's handshake, resume and ack commands (./feature-commands.ts, a link feature);
   * null: the links get none (the drop-in's). */
  commands: FeatureCommands | null;
  /** Why an attempt's signal aborted, in its reason (./attempt-abort.ts, a link feature); null:
   * the platform's AbortError (the drop-in's, whose providers get no signal). */
  abort: AttemptAbort | null;
  /** Scrubs every secret the links' maker knows (a supervisor's: all its links', ended ones too,
   * ./supervisor-secrets.ts) from a text of the application's (a listener's or a function's
   * throw): code the links share may quote any of them (LinkWire.redactUser). Absent or null: a
   * standalone link's, a defineLink link's, whose maker knows no other link's secrets. */
  scrub?: ((text: string) => string) | null;
}
/** One link's wire: its id, over the config its template shares with other links. */
export interface WireParts {
  linkId: string;
  config: WireConfig;
  /** Also forward each message to this actor as `link.message` (application machines). */
  forwardTo?: AnyActorRef | undefined;
}
