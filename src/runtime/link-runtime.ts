/**
 * Builds what one link needs from its URL and options: the chart's serialisable input and the
 * runtime's wire config. Also provides the chart with the runtime's implementations (transport,
 * the user's shouldReconnect hook, a custom backoff function, the clock time of restarts). Shared by the supervisor and by
 * `defineLink` (links spawned by application machines).
 */
import { type AnyActorRef, assign } from 'xstate';
import {
  type ConnectionContext,
  type ConnectionInput,
  type connectionChart,
  connectionMachine,
  decideRetry,
  escalateAt,
  lossAt,
  planRetry,
  resolvePolicy,
  restartAt,
  retryAfterFloorMs,
  type TransportInput,
} from '../../machines/connection.machine.js';
import type { Reason } from '../../machines/policy/close-reason.js';
import { RESUME_DEFAULTS } from '../../machines/policy/resume.js';
import { MAX_TIMER_MS, TIMEOUT_DEFAULTS } from '../../machines/policy/timeouts.js';

import type { Transport } from '../transports/transport.js';
import type { Clock } from '../util/clock.js';
import { LinkvisorError, optionError } from '../util/errors.js';
import { capText, redactUrl } from '../util/redact.js';
import type { HeaderSupport } from './attempt-headers.js';
import { checkUrl } from './attempt-target.js';
import type { WireSource } from './link.js';
import { LinkWire, type SessionFactory, type WireConfig, type WireParts } from './link-wire.js';
import { DEFAULT_MAX_PAYLOAD_BYTES, type LinkOptions, type PerAttempt, policiesOf } from './options.js';
import type { HandshakeRunner } from './run-handshake.js';
import { transportActions } from './transport-actor.js';

/** A link's URL: a string or `URL`, or a function of the attempt (sync or async) called before each one. */
export type UrlInput = PerAttempt<string | URL>;

const NO_AUTH_CLOSE_CODES: readonly number[] = Object.freeze([]);

export interface LinkParts {
  input: ConnectionInput;
  wire: WireParts;
}

export interface LinkEnv {
  transport: Transport;
  clock: Clock;
  seed: number;
  parent?: AnyActorRef;
  forwardTo?: AnyActorRef;
  /** Makes session clients for links with `resume` (the supervisor and defineLink offer it,
   * src/runtime/link-features.ts). */
  resume?: SessionFactory;
  /** Makes the runner of a `handshake` option (offered with `resume`). */
  handshake?: (handshake: NonNullable<LinkOptions['handshake']>) => HandshakeRunner;
  /** Checks `headers` and `wsOptions` (offered with `resume`; ./attempt-headers.ts). */
  headers?: HeaderSupport;
}

/** What every link of one URL and options shares: checked once, reused by each link's parts. */
export interface LinkTemplate {
  input: Omit<ConnectionInput, 'linkId' | 'seed' | 'parent' | 'autoConnect'>;
  autoConnect: boolean;
  /** Shared by every link of the template (a link keeps its id and queue on its wire). */
  wire: WireConfig;
}

/** Validates the URL (when static) and turns options into chart input and wire config. */
export function buildLinkParts(linkId: string, url: UrlInput, options: LinkOptions, env: LinkEnv): LinkParts {
  return linkParts(linkTemplate(url, options, env, linkId), linkId, env);
}

/** One link's parts from a template: its id, seed, parent and a queue of its own. */
export function linkParts(template: LinkTemplate, linkId: string, env: LinkEnv): LinkParts {
  return {
    input: linkInput(template.input, linkId, env.seed, autoConnectOf(template), env.parent),
    wire: linkWireParts(template, linkId, env.forwardTo),
  };
}

/** One link's wire parts from a template: its id (it makes its queue when it first queues). */
export function linkWireParts(template: LinkTemplate, linkId: string, forwardTo?: AnyActorRef): WireParts {
  return { linkId, config: template.wire, forwardTo };
}

/**
 * A link's chart input: an object literal of fixed leading keys, the optional ones appended. The
 * actor keeps its input for its whole life; built by spreading first (`{ ...input,
 * reconnectEnabled }`), V8 (Node 20) gave every link's input a hidden class of its own (~280 B a
 * link: a map and its descriptor array, measured with heap snapshots); keys added to a literal
 * follow shared transitions, so links with the same options share one.
 */
export function linkInput(
  t: LinkTemplate['input'],
  linkId: string,
  seed: number | undefined,
  autoConnect: false | undefined,
  parent: AnyActorRef | undefined,
  reconnectEnabled?: boolean,
): ConnectionInput {
  return {
    linkId,
    label: t.label,
    inProcess: t.inProcess,
    hasHandshake: t.hasHandshake,
    backoff: t.backoff,
    timeouts: t.timeouts,
    heartbeat: t.heartbeat,
    seed,
    parent,
    reconnectEnabled,
    ...(t.resume ? { resume: t.resume } : {}),
    ...(t.intensity === undefined ? {} : { intensity: t.intensity }),
    ...(t.network ? { network: t.network } : {}),
    ...(t.perAttempt ? { perAttempt: t.perAttempt } : {}),
    ...(autoConnect === false ? { autoConnect } : {}),
  };
}

/**
 * The input as the link's actor keeps it for its whole life: the same keys in the same order for
 * every link with the same options (the socket chart hands the supervisor `{ ...input, … }`, whose
 * hidden class V8 makes per object; see linkInput). An instance of a class, not a literal: V8
 * fits a class's objects to the fields its constructor sets (slack tracking), where a literal
 * with spread parts kept room for 15 fields (32 B a link more, heap snapshots).
 */
export function sharedShapeInput(input: ConnectionInput): ConnectionInput {
  return new ActorInput(input) as ConnectionInput;
}

/** The keys a link's input has only when its options set them, in linkInput's order. */
const OPTIONAL_INPUT_KEYS = [
  'resume',
  'intensity',
  'network',
  'perAttempt',
  'autoConnect',
  'reports',
] as const;

class ActorInput {
  // Declared, not defined: a class field is code of its own in the bundle; the constructor sets them.
  declare readonly linkId: string;
  declare readonly label: string;
  declare readonly inProcess: ConnectionInput['inProcess'];
  declare readonly hasHandshake: ConnectionInput['hasHandshake'];
  declare readonly backoff: ConnectionInput['backoff'];
  declare readonly timeouts: ConnectionInput['timeouts'];
  declare readonly heartbeat: ConnectionInput['heartbeat'];
  declare readonly seed: ConnectionInput['seed'];
  declare readonly parent: ConnectionInput['parent'];
  declare readonly reconnectEnabled: ConnectionInput['reconnectEnabled'];

  constructor(input: ConnectionInput) {
    this.linkId = input.linkId;
    this.label = input.label;
    this.inProcess = input.inProcess;
    this.hasHandshake = input.hasHandshake;
    this.backoff = input.backoff;
    this.timeouts = input.timeouts;
    this.heartbeat = input.heartbeat;
    this.seed = input.seed;
    this.parent = input.parent;
    this.reconnectEnabled = input.reconnectEnabled;
    const optional = this as Record<string, unknown>;
    for (const key of OPTIONAL_INPUT_KEYS) if (input[key] !== undefined) optional[key] = input[key];
  }
}

/** The input's `autoConnect`: absent unless the template turns it off. */
function autoConnectOf(template: LinkTemplate): false | undefined {
  return template.autoConnect ? undefined : false;
}

/**
 * A link `connect()` has booked and not started: its template and seed, all the supervisor keeps
 * until the link's turn. Its wire (queue, listeners, secrets) is made when the link starts, or
 * earlier if the application sends, listens or asks for its status first.
 */
export class LinkBooking implements WireSource {
  constructor(
    readonly linkId: string,
    readonly template: LinkTemplate,
    readonly seed: number,
  ) {}

  makeWire(): LinkWire {
    return new LinkWire(linkWireParts(this.template, this.linkId));
  }

  /** The chart input of the booked link. */
  input(parent: AnyActorRef, reconnectEnabled?: boolean): ConnectionInput {
    return linkInput(
      this.template.input,
      this.linkId,
      this.seed,
      autoConnectOf(this.template),
      parent,
      reconnectEnabled,
    );
  }
}

/**
 * Validates the URL (when static) and the options, resolved into what every link with them shares.
 * `linkId` names a per-attempt URL in the label (a template for a function URL is one link's).
 */
export function linkTemplate(
  url: UrlInput,
  options: LinkOptions,
  env: Pick<LinkEnv, 'transport' | 'clock' | 'resume' | 'handshake' | 'headers'>,
  linkId: string,
): LinkTemplate {
  const { transport, clock } = env;
  let label: string;
  if (typeof url === 'function') label = capText(`(per-attempt URL of ${linkId})`);
  else if (typeof url === 'string' || url instanceof URL) label = redactUrl(checkUrl(url, transport.schemes));
  else throw optionError('url', 'must be a string, a URL or a function returning one', 'LV_ERR_INVALID_URL');

  const heartbeatInput = options.heartbeat === false ? undefined : options.heartbeat;
  if (heartbeatInput?.mode === 'protocol' && !transport.protocolPing) {
    throw new LinkvisorError(
      'LV_ERR_UNSUPPORTED',
      `heartbeat.mode: the ${transport.name} transport has no protocol pings; use mode 'app' with ping() and isPong()`,
      { option: 'heartbeat.mode' },
    );
  }
  const policies = policiesOf(options, transport.protocolPing);
  const resume = options.resume
    ? { ...RESUME_DEFAULTS, ...(options.resume === true ? {} : options.resume) }
    : null;
  if (resume && !env.resume) {
    throw optionError(
      'resume',
      'is not offered here (the drop-in class stays WHATWG-shaped); use a supervisor link',
      'LV_ERR_UNSUPPORTED',
    );
  }
  // Link features the drop-in does not offer (./link-features.ts).
  for (const option of ['handshake', 'headers', 'wsOptions'] as const) {
    if (options[option] !== undefined && !env[option === 'handshake' ? 'handshake' : 'headers']) {
      throw optionError(option, 'is not offered here; use a supervisor link', 'LV_ERR_UNSUPPORTED');
    }
  }
  if (resume && transport.inProcess) {
    throw new LinkvisorError(
      'LV_ERR_UNSUPPORTED',
      `resume: the ${transport.name} transport is in-process (no socket to resume); use a WebSocket transport`,
      { option: 'resume' },
    );
  }
  const input: LinkTemplate['input'] = {
    label,
    inProcess: transport.inProcess,
    hasHandshake: options.handshake !== undefined && !transport.inProcess,
    // Frozen: every link of the template shares them, and the chart may reuse its policy for them.
    backoff: Object.freeze(policies.backoff),
    timeouts: Object.freeze(policies.timeouts),
    heartbeat: Object.freeze(policies.heartbeat),
    ...(resume ? { resume: { resumeTimeoutMs: resume.resumeTimeoutMs, ackDelayMs: resume.ackDelayMs } } : {}),
    ...(policies.intensity === false || Object.keys(policies.intensity).length > 0
      ? { intensity: policies.intensity === false ? false : Object.freeze(policies.intensity) }
      : {}),
    ...(options.network && Object.keys(options.network).length > 0
      ? { network: Object.freeze({ ...options.network }) }
      : {}),
    // Credentials that refresh: a function called per attempt can fetch new ones.
    ...(typeof url === 'function' ||
    typeof options.headers === 'function' ||
    typeof options.protocols === 'function' ||
    typeof options.wsOptions === 'function'
      ? { perAttempt: true }
      : {}),
  };
  // The resolved numbers the chart uses too: one frozen object shared by links with the same.
  const heartbeat = resolvePolicy(input).heartbeat;
  return {
    input,
    autoConnect: options.autoConnect !== false,
    wire: {
      transport,
      clock,
      url,
      protocols: options.protocols,
      headers: options.headers,
      wsOptions: options.wsOptions,
      handshake: options.handshake && env.handshake?.(options.handshake),
      heartbeat,
      overdueAfterMs: heartbeat.mode === 'off' ? null : heartbeat.intervalMs + 2 * heartbeat.timeoutMs,
      queue: policies.queue,
      ping: heartbeatInput ? heartbeatInput.ping : undefined,
      isPong: heartbeatInput ? heartbeatInput.isPong : undefined,
      shouldReconnect: options.shouldReconnect,
      authCloseCodes: options.authCloseCodes ?? NO_AUTH_CLOSE_CODES,
      backoffFn: typeof options.backoff === 'function' ? options.backoff : undefined,
      maxPayloadBytes: options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES,
      connectTimeoutMs: options.connectTimeoutMs ?? TIMEOUT_DEFAULTS.connectTimeoutMs,
      resume: resume && env.resume ? { options: resume, create: env.resume } : null,
      headerSupport: env.headers ?? null,
    },
  };
}

/** Retry planning with the link's custom backoff function, if it has one. */
function planWithFunction(context: ConnectionContext, wire: LinkWire | undefined) {
  const planned = planRetry(context);
  const fn = wire?.config.backoffFn;
  if (!fn || !planned.retry) return planned;
  let delayMs: unknown;
  try {
    delayMs = fn(planned.retry.attempt);
  } catch (error) {
    delayMs = error;
  }
  if (typeof delayMs !== 'number' || !Number.isFinite(delayMs) || delayMs < 0 || delayMs > MAX_TIMER_MS) {
    // A NaN, infinite or too long delay would fire at once (DESIGN.md §8): keep the policy's, report.
    const shown = typeof delayMs === 'number' ? String(delayMs) : typeof delayMs;
    queueMicrotask(() =>
      wire?.reportError(
        new LinkvisorError(
          'LV_ERR_INVALID_DELAY',
          `backoff(${planned.retry?.attempt}) returned ${shown}; used the policy delay of ${planned.nextDelayMs} ms instead`,
          { option: 'backoff' },
        ),
      ),
    );
    return planned;
  }
  return { ...planned, nextDelayMs: Math.max(Math.round(delayMs), retryAfterFloorMs(context)) };
}

/** The link's clock time, in ms (0 for a wire already gone: the link is ending anyway). */
function nowOf(wire: LinkWire | undefined): number {
  return wire ? wire.config.clock.now() : 0;
}

/** A throwing `shouldReconnect`, reported after the step (listeners see the state change first);
 * the close table decided meanwhile. */
function reportHookError(wire: LinkWire | undefined, error: unknown): void {
  queueMicrotask(() =>
    wire?.reportError(
      new LinkvisorError('LV_ERR_LISTENER', 'shouldReconnect() threw; the close table decided instead', {
        option: 'shouldReconnect',
        cause: error,
      }),
    ),
  );
}

/**
 * The connection chart with the runtime's implementations, looking wires up by link id, and a
 * link's custom backoff function (`backoff` as a function) planning its retries.
 * `onAttempt` sees every attempt's input (the link actor ref included) before the wire is used.
 */
export function provideRuntime(
  wireOf: (linkId: string) => LinkWire | undefined,
  onAttempt: (input: TransportInput) => void = () => {},
) {
  return provideRuntimeTo(connectionMachine, wireOf, onAttempt).provide({
    actions: { planRetry: assign(({ context }) => planWithFunction(context, wireOf(context.linkId))) },
  });
}

/**
 * `chart` (connectionMachine, or connectionChart for links without a chart feature: the drop-in's,
 * whose bundle then leaves the feature actions out) with the runtime's implementations, but for a
 * custom backoff function (provideRuntime's: the drop-in has none, its retries are the policy's).
 */
export function provideRuntimeTo(
  chart: typeof connectionChart,
  wireOf: (linkId: string) => LinkWire | undefined,
  onAttempt: (input: TransportInput) => void = () => {},
) {
  return chart.provide({
    guards: {
      shouldRetry: ({ context }) => {
        const wire = wireOf(context.linkId);
        return decideRetry(context, wire?.config.shouldReconnect, (error) => reportHookError(wire, error));
      },
    },
    actions: {
      ...transportActions(wireOf, onAttempt),
      // Restart intensity's window is in the link's clock time (the chart keeps no clock).
      recordRestart: assign(({ context }) => restartAt(context, nowOf(wireOf(context.linkId)))),
      recordLoss: assign(({ context, event }) =>
        lossAt(context, (event as { reason: Reason }).reason, nowOf(wireOf(context.linkId))),
      ),
      escalate: assign(({ context }) => escalateAt(context, nowOf(wireOf(context.linkId)))),
    },
  });
}

export type RuntimeMachine = ReturnType<typeof provideRuntime>;

/**
 * A random 32-bit seed for links whose jitter need not be reproducible: a signed one, the same
 * 2^32 seeds as an unsigned one to the chart's `seedRandom` (it reads a seed as a 32-bit integer),
 * but a small integer to V8 where an unsigned one above 2^31 is a 16-byte heap number (per link:
 * its input keeps the seed for the link's whole life).
 */
export function randomSeed(): number {
  return (Math.random() * 2 ** 32) | 0;
}
