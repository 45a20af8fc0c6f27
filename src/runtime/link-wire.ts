/**
 * The data plane of one link: outbound queue, listeners, the current connection, and the cheap
 * liveness notes the heartbeat needs. Messages go from socket to listeners and from queue to
 * socket here, without an actor event per message; the chart (control plane) only tells the
 * wire when it may write (`transport.flush`) and when to ping.
 */
import type { AnyActorRef } from 'xstate';
import type {
  LinkStateChange,
  TransportCommand,
  TransportReport,
} from '../../machines/connection.machine.js';
import type { Reason } from '../../machines/policy/close-reason.js';
import type { HeartbeatOptions } from '../../machines/policy/heartbeat.js';
import type { QueueOptions } from '../../machines/policy/queue.js';
import type { ResumeOptions } from '../../machines/policy/resume.js';
import {
  assertPayload,
  type Incoming,
  type Payload,
  type PayloadSite,
  SEND_DATA,
  unwritable,
} from '../transports/payload.js';
import type { Transport, TransportConnection } from '../transports/transport.js';
import { type Clock, systemClock } from '../util/clock.js';
import { Emitter } from '../util/emitter.js';
import type { LinkvisorError } from '../util/errors.js';
import { SecretSet } from '../util/redact.js';
import type { HeaderSupport } from './attempt-headers.js';
import type { LinkStatus } from './link-status.js';
import type { AttemptInfo, LinkOptions, PerAttempt } from './options.js';
import { OutboundQueue, type Queued } from './outbound-queue.js';
import type { HandshakeRunner } from './run-handshake.js';

/** The result of `send()`: written now, held in the queue, or dropped by the overflow policy. */
export type SendResult = 'sent' | 'queued' | 'dropped';

/** The events of a `Link`, by name, with what each listener receives (docs/links.md). */
export interface LinkEvents {
  [key: string]: unknown;
  state: LinkStateChange;
  ready: { readyCount: number };
  message: Incoming;
  reconnecting: { attempt: number; delayMs: number; reason: Reason };
  lost: { reason: Reason };
  /** Restarted more often than its intensity allows: it rests `delayMs` in `coolingDown`. */
  escalated: { escalation: number; delayMs: number; reason: Reason };
  failed: { reason: Reason };
  closed: { reason: Reason | null };
  /** The resumable session came back: `replayedIn` messages arrive again, `replayedOut` are sent
   * again; nothing was lost (resume option). */
  resumed: { replayedIn: number; replayedOut: number };
  /** The server no longer had the session (expired, restarted, overflowed): a new one started;
   * resynchronise. Messages never acknowledged were reported `dropped` (reason `reset`) first. */
  reset: { reason: string };
  /** A message that was accepted by send() but never written: the queue overflowed, the link
   * ended, or (`invalid`, with the `error`) the socket refused it when the queue was flushed.
   * With `resume`: written but never acknowledged when the session was reset (`reset`) or the link
   * ended (`closed`): it may or may not have arrived. */
  dropped: { data: Payload; reason: 'overflow' | 'closed' | 'invalid' | 'reset'; error?: LinkvisorError };
  error: LinkvisorError;
}

/**
 * A session layer between the wire and the socket (the `resume` option: src/runtime/resume-session.ts).
 * The wire and its attempts call it only when the link has one, so a bundle that never makes one
 * (the drop-in class) leaves its code out.
 */
export interface WireSession {
  /** A send while writable with nothing queued: its result, or null to queue it (no room). */
  send(data: Payload): SendResult | null;
  /** Writes the queue into the session (the wire's flush). */
  flush(open: boolean): void;
  /** The chart entered `resuming` on this attempt's open socket. */
  start(attempt: SessionAttempt): void;
  /** A message from the socket. */
  receive(attempt: SessionAttempt, data: Incoming): void;
  /** Acknowledges what arrived, now (the chart's ack timer fired, or the link drains). */
  ack(): void;
  /** The socket is gone or closing. */
  pause(): void;
  /** The link ended: reports what will never be acknowledged. */
  end(): void;
  status(): Pick<LinkStatus, 'resume'>;
}

/** What a session sees of the attempt whose socket it runs on (src/runtime/attempt.ts). */
export interface SessionAttempt {
  /** The chart declared this socket ready at least once. */
  readonly wasReady: boolean;
  /** Inbound messages are held for a handshake or the session's welcome. */
  readonly holding: boolean;
  /** Holds inbound messages until the link is ready. */
  hold(): void;
  report(event: TransportReport): void;
  fail(reason: Reason): void;
  /** An application message, as if the socket had delivered it. */
  deliver(data: Incoming): void;
  /** Inbound activity that answers an outstanding ping. */
  activity(): void;
  /** Writes a message of the runtime's own; false (reported) if it did not go out. */
  write(data: Payload, site: PayloadSite): boolean;
}

/** Makes a link's session (the supervisor and defineLink pass `createResumeSession` through src/runtime/link-features.ts). */
export type SessionFactory = (options: ResumeOptions, wire: LinkWire) => WireSession;

/** A queued message on its way out (the flush). */
const QUEUED = { call: 'flushing a queued message', option: 'data' };

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
}

/** The system clock's time, read once per synchronous job (null: not read in this job). */
let jobNow: number | null = null;
const endJob = () => {
  jobNow = null;
};

/** One link's wire: its id, over the config its template shares with other links. */
export interface WireParts {
  linkId: string;
  config: WireConfig;
  /** Also forward each message to this actor as `link.message` (application machines). */
  forwardTo?: AnyActorRef | undefined;
}

export class LinkWire {
  readonly linkId: string;
  readonly config: WireConfig;
  private readonly forwardTo: AnyActorRef | undefined;
  /** Made on first use, as the queue: a link nobody listens to and that never queues (an idle
   * link of a large fleet) has neither (~0.1 KB). */
  private emitterRef: Emitter<LinkEvents> | null = null;
  private queueRef: OutboundQueue | null = null;

  /** The link's listeners (`link.on`). */
  get emitter(): Emitter<LinkEvents> {
    this.emitterRef ??= new Emitter<LinkEvents>();
    return this.emitterRef;
  }

  /** Tells the link's listeners, if it has any. */
  emit<K extends keyof LinkEvents & string>(event: K, payload: LinkEvents[K]): void {
    this.emitterRef?.emit(event, payload);
  }

  /** Whether the link has a listener of `event` (absent: of any event). */
  listens(event?: keyof LinkEvents & string): boolean {
    const emitter = this.emitterRef;
    if (emitter === null) return false;
    return event === undefined ? emitter.count() > 0 : emitter.has(event);
  }

  /** The outbound queue (see `queue` options). */
  get queue(): OutboundQueue {
    this.queueRef ??= new OutboundQueue(this.config.queue);
    return this.queueRef;
  }

  /** What is queued, for `status()`. */
  queued(): { messages: number; bytes: number } {
    const queue = this.queueRef;
    return queue === null ? { messages: 0, bytes: 0 } : { messages: queue.length, bytes: queue.bytes };
  }

  /** Nothing is queued. */
  private get queueEmpty(): boolean {
    return this.queueRef === null || this.queueRef.length === 0;
  }
  /** The chart said ready and the queue was flushed: sends go straight to the socket. */
  writable = false;
  /** The current attempt (src/runtime/attempt.ts), null between attempts. */
  attempt: { command(command: TransportCommand): void; dispose(): void } | null = null;
  /** The current attempt's connection (null between attempts). */
  connection: TransportConnection | null = null;
  /** A ping is out: the next inbound message or pong proves the peer alive. */
  awaitingPong = false;
  /** When the last ping was sent or the link became ready (clock ms): overdue detection. */
  lastPingAt = 0;
  /** The peer has answered a ping (on any socket of this link). */
  pongSeen = false;
  /** Secrets seen in URLs and headers (in every form), scrubbed from every message text; made
   * when the first one comes (most links have none: see `addSecrets`). */
  private secretSet: SecretSet | null = null;

  get secrets(): SecretSet {
    this.secretSet ??= new SecretSet();
    return this.secretSet;
  }

  /** Notes an attempt's URL and headers and the secrets found in them (see SecretSet.addFrom). */
  addSecrets(url: string, headers: Record<string, string>, found: readonly string[]): void {
    // No secret, and none before: nothing to keep (what SecretSet.addFrom would conclude).
    if (found.length === 0 && this.secretSet === null) return;
    this.secrets.addFrom(url, headers, found);
  }
  /** Redacted URL of the last attempt. */
  lastUrl: string | null = null;
  /** Told when timers were suspended: the link, which tells its connection actor
   * (`heartbeat.overdue`) and its maker (the supervisor's time-jump signal); set when the link
   * attaches its actor. */
  overdueTo: { overdue(): void } | null = null;
  /** The resumable session (null without the `resume` option). */
  readonly session: WireSession | null;

  constructor(parts: WireParts) {
    const config = parts.config;
    this.linkId = parts.linkId;
    this.config = config;
    this.forwardTo = parts.forwardTo;
    const resume = config.resume;
    this.session = resume ? resume.create(resume.options, this) : null;
  }

  /** Scrubs the link's secrets out of a text: a function, which may be passed on (made when
   * asked for, not kept: a link asks when an attempt fails, and most links never do). */
  get redact(): (text: string) => string {
    return (text) => (this.secretSet ? this.secretSet.redact(text) : text);
  }

  /**
   * The data path out: straight to the socket when ready and nothing is queued before it,
   * otherwise into the queue (bounded; the overflow policy decides).
   */
  send(data: unknown): SendResult {
    assertPayload(data);
    const overdueAfterMs = this.config.overdueAfterMs;
    if (this.writable && overdueAfterMs !== null) this.checkOverdue(overdueAfterMs);
    const session = this.session;
    if (session) {
      if (this.writable && this.queueEmpty && this.connection) {
        const result = session.send(data);
        if (result) return result;
        this.writable = false;
      }
    } else if (this.writable && this.queueEmpty && this.connection && this.write(this.connection, data)) {
      return 'sent';
    }
    const result = this.queue.push(data);
    for (const item of result.dropped) this.emit('dropped', { data: item.data, reason: 'overflow' });
    return result.outcome;
  }

  /** Writes straight to the socket; a socket that throws (a custom transport or WebSocket class
   * refusing the value) is the caller's LV_ERR_INVALID_DATA, never an exception of its own. */
  private write(connection: TransportConnection, data: Payload): boolean {
    try {
      return connection.send(data);
    } catch (error) {
      throw unwritable(error, SEND_DATA, this.redact);
    }
  }

  /**
   * Writes the queue in order; stops (keeping the rest) if the socket will not take more. A
   * message the socket refuses (it throws) is skipped and the rest go on: one bad message never
   * stops a link. Then sends may go straight to the socket again (`open`, once the queue is
   * empty), and only then are the refused messages reported (`dropped` as invalid, and an
   * `error`): a listener that sends one again meets the socket's refusal itself, it cannot keep
   * this loop going for ever.
   */
  flush(open: boolean): void {
    if (this.session) {
      this.session.flush(open);
      return;
    }
    const queue = this.queueRef;
    if (queue === null) {
      this.writable = open;
      return;
    }
    const refused: { data: Payload; error: LinkvisorError }[] = [];
    const connection = this.connection;
    for (let item = connection ? queue.shift() : undefined; item; item = queue.shift()) {
      let written: boolean;
      try {
        written = (connection as TransportConnection).send(item.data);
      } catch (error) {
        refused.push({ data: item.data, error: unwritable(error, QUEUED, this.redact) });
        continue;
      }
      if (!written) {
        queue.unshift(item);
        break;
      }
    }
    this.writable = open && queue.length === 0;
    for (const { data, error } of refused) {
      this.emit('dropped', { data, reason: 'invalid', error });
      this.emit('error', error);
    }
  }

  /** The data path in. */
  deliver(data: Incoming): void {
    this.emit('message', data);
    const parent = this.forwardTo;
    if (parent) parent.send({ type: 'link.message', linkId: this.linkId, data });
  }

  /** Reports everything still queued as dropped (the link ended). */
  dropQueued(): void {
    this.session?.end();
    if (this.queueRef === null) return;
    const left: Queued[] = this.queueRef.takeAll();
    for (const item of left) this.emit('dropped', { data: item.data, reason: 'closed' });
  }

  /** Ends the current attempt, if any: its socket is terminated and it reports nothing more. */
  endAttempt(): void {
    const attempt = this.attempt;
    this.attempt = null;
    attempt?.dispose();
  }

  /** The link is over without its attempt's teardown (its actor failed): the socket goes now. */
  abandon(): void {
    this.endAttempt();
    const connection = this.connection;
    this.connection = null;
    this.writable = false;
    try {
      connection?.terminate();
    } catch {
      // A custom transport's terminate() that throws: nothing more can be done for this socket.
    }
  }

  reportError(error: LinkvisorError): void {
    this.emit('error', error);
  }

  /**
   * Timers may have been suspended (laptop sleep, throttled tab): if no ping went out for longer
   * than a healthy heartbeat allows, hold sends and make the chart check the peer now.
   */
  private checkOverdue(overdueAfterMs: number): void {
    const now = this.now();
    if (now - this.lastPingAt <= overdueAfterMs) return;
    this.lastPingAt = now;
    // Only a peer that answers pings can confirm; with the others, keep sending.
    if (this.pongSeen) this.writable = false;
    this.overdueTo?.overdue();
  }

  /**
   * The clock's time for the overdue check. A clock read costs about as much as the rest of a
   * send (≈50 ns here), so with the system clock it is read once per synchronous job: no timer
   * can fire within a job, and a burst of sends (or a batch of echoed messages) shares one read,
   * whatever link they are on (one module-wide note, not one per link).
   * Any other clock (tests that move time between two sends of one job) is read every time.
   */
  private now(): number {
    const clock = this.config.clock;
    if (clock !== systemClock) return clock.now();
    if (jobNow === null) {
      jobNow = clock.now();
      queueMicrotask(endJob);
    }
    return jobNow;
  }

  /** The per-attempt value of an option that may be a function. */
  static async resolve<T>(value: PerAttempt<T>, info: AttemptInfo): Promise<T> {
    return typeof value === 'function' ? await (value as (i: AttemptInfo) => T | Promise<T>)(info) : value;
  }
}
