/**
 * The options of the drop-in `ReconnectingWebSocket`: reconnecting-websocket's and partysocket's
 * names, validated eagerly, and mapped onto linkvisor's link options (the policy in machines/policy
 * does the timing). Their defaults, and why ours differ where they do, are in
 * machines/policy/drop-in.ts; docs/migration.md lists every difference of behaviour.
 */
import type { BackoffOptions, JitterStrategy } from '../../machines/policy/backoff.js';
import { JITTER_STRATEGIES } from '../../machines/policy/backoff.js';
import type { Reason } from '../../machines/policy/close-reason.js';
import { DROP_IN_DEFAULTS } from '../../machines/policy/drop-in.js';
import { MAX_TIMER_MS } from '../../machines/policy/timeouts.js';
import type { AttemptInfo, LinkOptions, PerAttempt } from '../runtime/options.js';
import { checkHeartbeat, type HeartbeatInput } from '../runtime/policy-options.js';
import type { StandaloneLinkOptions } from '../runtime/standalone-links.js';
import type { SupervisorOptions } from '../runtime/supervisor-types.js';
import { describe, isRecord } from '../util/describe.js';
import { LinkvisorError, optionError } from '../util/errors.js';
import { checkFunction, checkKnownKeys, checkNumber, checkOneOf } from '../util/option-checks.js';
import { CloseEvent } from './ws-events.js';

/** A URL, or a function (sync or async) called before every attempt. */
export type UrlProvider = string | URL | (() => string | URL) | (() => Promise<string | URL>);

/** Subprotocols, or a function (sync or async) called before every attempt. */
export type ProtocolsProvider =
  | null
  | string
  | string[]
  | (() => string | string[] | null)
  | (() => Promise<string | string[] | null>);

/**
 * The drop-in's options: partysocket's and reconnecting-websocket's names (their defaults and why
 * ours differ are in machines/policy/drop-in.ts; docs/migration.md has the table), plus linkvisor's
 * heartbeat, jitter, shouldReconnect, inspect, closeTimeoutMs and resolveTimeoutMs.
 */
export interface ReconnectingWebSocketOptions {
  /** WebSocket constructor to use (any WHATWG-style class). Default: the global `WebSocket` in
   * browsers, the `ws` package in Node (from `linkvisor` / `linkvisor/ws`). A value that is no
   * such class (`null` included) throws LV_ERR_INVALID_OPTION naming `WebSocket`. */
  WebSocket?: unknown;
  /** Cap of the delay between attempts, in ms. Default 10 000. */
  maxReconnectionDelay?: number;
  /** Base delay of the first retry, in ms. Default 1 000. */
  minReconnectionDelay?: number;
  /** Growth of the delay per retry. Default 1.3. */
  reconnectionDelayGrowFactor?: number;
  /** Time open before the retry schedule starts again, in ms. Default 5 000. */
  minUptime?: number;
  /** Time an attempt may take to open, in ms, from the socket being asked to open the resolved
   * URL: a URL or protocols function's time does not count (see `resolveTimeoutMs`). Default 4 000. */
  connectionTimeout?: number;
  /** Retries before giving up (a `failed` event). Default Infinity. */
  maxRetries?: number;
  /** Messages held while not open; beyond it `send()` drops the message and returns false.
   * Default 1 000 (theirs: Infinity). */
  maxEnqueuedMessages?: number;
  /** Start in CLOSED; call `reconnect()` to connect. Default false. */
  startClosed?: boolean;
  /**
   * Called with the close event of every connection that ended by itself (server close, network
   * failure, timeout), before the close listeners run: a falsy answer stops reconnecting (the
   * `shouldReconnect` getter turns false, `reconnect()` starts again), a truthy one reconnects,
   * also on a code the close table calls fatal. Omitted: the close table decides (partysocket
   * retries every code; see docs/migration.md).
   */
  shouldReconnectOnClose?: (event: CloseEvent) => boolean;
  /** Log lifecycle and queue decisions. Default false. */
  debug?: boolean;
  /** Where `debug` logs go. Default console.log. */
  debugLogger?: (...args: unknown[]) => void;
  // ── linkvisor extras ──
  /** Heartbeat (see the policy table in docs/lifecycle.md); `false` turns it off. Default: protocol pings
   * with the `ws` transport, off with a WebSocket constructor unless `mode: 'app'`. */
  heartbeat?: HeartbeatInput | false;
  /** How each delay is randomised. Default 'equal' (uniform in [d/2, d]). */
  jitter?: JitterStrategy;
  /** How long close() lets the socket drain and wait for the peer's close frame before ending it,
   * in the background (the close event was dispatched by close() itself). Default 5000. */
  closeTimeoutMs?: number;
  /**
   * How long an attempt waits for a URL or protocols function to settle (a token fetched), in ms,
   * 1 to 2 147 483 647 (setTimeout's ceiling, ~24.8 days: "wait as long as it takes", as theirs
   * wait for ever): one that has not settled by then ends the attempt (`error` + `close` with a
   * `timeout` reason of phase `resolve`) and the retry calls it again. The link option of the same
   * name (machines/policy/timeouts.ts); default 10 000. Only attempts with such a function wait.
   */
  resolveTimeoutMs?: number;
  /** Overrides the close table's retry verdict: `(reason, attempt) => boolean`, `attempt` the
   * number of the attempt it decides about (as `LinkOptions.shouldReconnect`). */
  shouldReconnect?: (reason: Reason, attempt: number) => boolean;
  /** XState inspection observer for the link actors (e.g. @statelyai/inspect). */
  inspect?: SupervisorOptions['inspect'];
}

/** The option names: those with a default of the policy's (their names once, there), then the rest. */
const KNOWN = new Set([
  'WebSocket',
  ...Object.keys(DROP_IN_DEFAULTS),
  'startClosed',
  'shouldReconnectOnClose',
  'debug',
  'debugLogger',
  'heartbeat',
  'closeTimeoutMs',
  'resolveTimeoutMs',
  'shouldReconnect',
  'inspect',
]);

/** The default debugLogger: console.log as it is when called (one function for every drop-in, not
 * a bound copy each). */
const consoleLog = (...args: unknown[]): void => console.log(...args);

export interface CheckedOptions {
  WebSocket: unknown;
  maxEnqueuedMessages: number;
  startClosed: boolean;
  debug: boolean;
  debugLogger: (...args: unknown[]) => void;
  inspect: SupervisorOptions['inspect'];
  /** No link feature (resume, handshake, headers, wsOptions): the drop-in offers none. */
  link: StandaloneLinkOptions;
}

function checkBoolean(value: unknown, path: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw optionError(path, `must be a boolean, got ${describe(value)}`);
  return value;
}

/** A function option, or undefined (the shared check's message: ../util/option-checks.ts). */
function optionalFunction<T>(value: unknown, path: string): T | undefined {
  if (value !== undefined) checkFunction(value, path);
  return value as T | undefined;
}

/**
 * The link's retry hook from partysocket's `shouldReconnectOnClose` and linkvisor's
 * `shouldReconnect`: the first says stop or go on from the close event; given both, a go-on is
 * then decided by the second; the first alone decides against the close table, as partysocket's.
 */
function retryHook(
  onClose: ((event: CloseEvent) => boolean) | undefined,
  hook: LinkOptions['shouldReconnect'],
): LinkOptions['shouldReconnect'] {
  if (!onClose) return hook;
  return (reason, attempt) => {
    let goOn: unknown;
    try {
      goOn = onClose(CloseEvent.fromReason(reason));
    } catch (error) {
      throw new LinkvisorError('LV_ERR_LISTENER', 'shouldReconnectOnClose() threw', {
        option: 'shouldReconnectOnClose',
        cause: error,
      });
    }
    if (!goOn) return false;
    return hook ? hook(reason, attempt) : true;
  };
}

/** Subprotocols for one attempt: null, undefined and '' mean none (as theirs: falsy is none); any
 * other value is checked with the link's own (the template's `checkStaticParts`: a string or an
 * array of tokens, LV_ERR_INVALID_OPTION naming `protocols`), before any socket is made. */
function protocolsFor(provider: ProtocolsProvider | undefined): LinkOptions['protocols'] {
  if (provider == null || provider === '') return undefined;
  if (typeof provider !== 'function') return provider;
  return async (_info: AttemptInfo) => (await provider()) || [];
}

/** Validates the options (throws a LinkvisorError naming the option) and maps them onto link options
 * that need no second check: every number is checked here within the link options' bounds. */
export function checkDropInOptions(
  options: unknown,
  protocols: ProtocolsProvider | undefined,
): CheckedOptions {
  if (options === undefined || options === null) options = {};
  if (!isRecord(options)) throw optionError('options', `must be an object, got ${describe(options)}`);
  checkKnownKeys(options, KNOWN, '');
  const o = options as ReconnectingWebSocketOptions;
  const num = (key: keyof typeof DROP_IN_DEFAULTS, spec: Parameters<typeof checkNumber>[2]) =>
    o[key] === undefined ? (DROP_IN_DEFAULTS[key] as number) : checkNumber(o[key], key, spec);
  const maxDelay = num('maxReconnectionDelay', { max: MAX_TIMER_MS });
  // Theirs caps the delay at the maximum whatever the minimum; so do we, instead of throwing.
  const minDelay = Math.min(num('minReconnectionDelay', { max: MAX_TIMER_MS }), maxDelay);
  const multiplier = num('reconnectionDelayGrowFactor', { min: 1, max: 1000 });
  const minUptime = num('minUptime', { max: MAX_TIMER_MS });
  const connectionTimeout = num('connectionTimeout', { min: 1, max: MAX_TIMER_MS });
  // The link options' bounds (runtime/options.ts): a timer of 1 ms up to setTimeout's ceiling.
  const timeout = (key: 'closeTimeoutMs' | 'resolveTimeoutMs') =>
    o[key] === undefined ? undefined : checkNumber(o[key], key, { min: 1, max: MAX_TIMER_MS });
  const closeTimeoutMs = timeout('closeTimeoutMs');
  const resolveTimeoutMs = timeout('resolveTimeoutMs');
  const maxRetries = num('maxRetries', { integer: true, allowInfinity: true });
  const maxEnqueued = num('maxEnqueuedMessages', { integer: true, allowInfinity: true });
  if (o.jitter !== undefined) checkOneOf(o.jitter, JITTER_STRATEGIES, 'jitter');
  const shouldReconnect = retryHook(
    optionalFunction<(event: CloseEvent) => boolean>(o.shouldReconnectOnClose, 'shouldReconnectOnClose'),
    optionalFunction<LinkOptions['shouldReconnect']>(o.shouldReconnect, 'shouldReconnect'),
  );
  // A literal of fixed keys, the optional one added after: a spread inside it gave every drop-in's
  // backoff a hidden class of its own (heap snapshots, BENCHMARKS.md round 18 (drop-in heap)).
  const backoff: Partial<BackoffOptions> = {
    initialDelayMs: minDelay,
    maxDelayMs: maxDelay,
    multiplier,
    jitter: o.jitter ?? DROP_IN_DEFAULTS.jitter,
    stableAfterMs: minUptime,
  };
  // Unlimited is the policy's default (an explicit Infinity is refused by checkNumber's range).
  if (Number.isFinite(maxRetries)) backoff.maxAttempts = maxRetries;
  const link: StandaloneLinkOptions = {
    backoff,
    connectTimeoutMs: connectionTimeout,
    ...(closeTimeoutMs === undefined ? {} : { closeTimeoutMs }),
    ...(resolveTimeoutMs === undefined ? {} : { resolveTimeoutMs }),
    // The class queues while not open itself; the link's own queue only holds what a ready link
    // could not write at once, so it is not the bound users see.
    queue: {
      maxMessages: Number.MAX_SAFE_INTEGER,
      maxBytes: Number.MAX_SAFE_INTEGER,
      overflow: 'drop-newest',
    },
    // The only link option taken from the user as is: checked here, as checkLinkOptions would.
    ...(o.heartbeat === undefined
      ? {}
      : { heartbeat: o.heartbeat === false ? false : checkHeartbeat(o.heartbeat, 'heartbeat') }),
    ...(shouldReconnect ? { shouldReconnect } : {}),
  };
  const mapped = protocolsFor(protocols);
  if (mapped !== undefined) link.protocols = mapped;
  return {
    WebSocket: o.WebSocket,
    maxEnqueuedMessages: Number.isFinite(maxEnqueued) ? maxEnqueued : Number.MAX_SAFE_INTEGER,
    startClosed: checkBoolean(o.startClosed, 'startClosed'),
    debug: checkBoolean(o.debug, 'debug'),
    debugLogger: optionalFunction<(...args: unknown[]) => void>(o.debugLogger, 'debugLogger') ?? consoleLog,
    inspect: o.inspect,
    link,
  };
}

/**
 * A URL provider is a string, a URL or a function; anything else throws at once. Returns it with an
 * http: or https: URL turned into ws: or wss:, as a WebSocket does (WHATWG; theirs on `ws` too),
 * also each URL a function returns.
 */
export function checkUrlProvider(url: unknown): PerAttempt<string | URL> {
  if (typeof url === 'string' || url instanceof URL) return webSocketUrl(url);
  if (typeof url === 'function') {
    return (() => {
      const resolved: unknown = url();
      const later = typeof (resolved as PromiseLike<unknown> | null)?.then === 'function';
      return later ? Promise.resolve(resolved).then(webSocketUrl) : webSocketUrl(resolved);
    }) as () => string | URL | Promise<string | URL>;
  }
  throw optionError(
    'url',
    `must be a string, a URL or a function returning one, got ${describe(url)}`,
    'LV_ERR_INVALID_URL',
  );
}

/** `url` with the scheme http(s) replaced by ws(s); anything else as it is (checked per attempt). */
function webSocketUrl<T>(url: T): T | string {
  if (typeof url !== 'string' && !(url instanceof URL)) return url;
  const text = String(url);
  const mapped = text.replace(/^(\s*)http(s?):/i, '$1ws$2:');
  return mapped === text ? url : mapped;
}
