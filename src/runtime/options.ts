/**
 * The options of a link and of a supervisor, validated eagerly: a wrong value throws at once a
 * LinkvisorError whose code and message name the option. Timing defaults are NOT here: they live
 * in machines/policy and are merged by the chart; this file only checks what the user gave: the
 * link's options as a whole (each policy object by ./policy-options.ts), merged over the
 * supervisor's defaults, and the policies they give the chart.
 */

import type { BackoffOptions } from '../../machines/policy/backoff.js';
import type { Reason } from '../../machines/policy/close-reason.js';
import { HEARTBEAT_DEFAULTS, type HeartbeatOptions } from '../../machines/policy/heartbeat.js';
import type { IntensityOptions } from '../../machines/policy/intensity.js';
import { NETWORK_DEFAULTS, type NetworkOptions } from '../../machines/policy/network.js';
import { QUEUE_DEFAULTS, type QueueOptions } from '../../machines/policy/queue.js';
import type { ResumeOptions } from '../../machines/policy/resume.js';
import { MAX_TIMER_MS, type TimeoutOptions } from '../../machines/policy/timeouts.js';
import { checkResumeOption } from '../resume/resume-options.js';
import type { Incoming, Payload } from '../transports/payload.js';
import { describe, isRecord } from '../util/describe.js';
import { optionError } from '../util/errors.js';
import { checkFunction, checkKnownKeys, checkNumber } from '../util/option-checks.js';
import {
  checkBackoff,
  checkHeartbeat,
  checkIntensity,
  checkQueue,
  type HeartbeatInput,
} from './policy-options.js';

// Their homes are util/option-checks.ts and ./policy-options.ts; every import of them from here
// keeps working.
export {
  checkBackoff,
  checkHeartbeat,
  checkIntensity,
  checkKnownKeys,
  checkNumber,
  checkQueue,
  type HeartbeatInput,
};

/** Context handed to every per-attempt function. */
export interface AttemptInfo {
  /** Retry number of this attempt: 0 for a first connect (or the first after a stable period).
   * A retry made at once (the fresh attempt after a credentials rejection, a restart by the link's
   * group) and the attempt after a cool-down keep the number of the one before: they are no step
   * of the backoff. */
  attempt: number;
  /** Why the previous attempt ended, null before the first disconnect: after a rejection
   * (HTTP 401, close 3000 or one of `authCloseCodes`, verdict `refresh`) fetch fresh credentials;
   * otherwise a cached token will do. */
  lastReason: Reason | null;
  /** Aborted when the attempt is abandoned; its `reason` (what `throwIfAborted()` throws) is a
   * LinkvisorError `LV_ERR_ABORTED` saying why: `attempt N aborted: ` the link closed, the attempt
   * timed out, a newer attempt superseded it, the socket closed, resolving the connection details
   * failed (another part threw or rejected), or the attempt failed. */
  signal: AbortSignal;
}

/** A value, or a function (sync or async) called on every attempt, e.g. to refresh a token. */
export type PerAttempt<T> = T | ((info: AttemptInfo) => T | Promise<T>);

/** What an application handshake gets: the open socket, before the link is ready. */
export interface HandshakeSession {
  send(data: Payload): void;
  /** The next inbound message (messages are held for the handshake until it ends). Once the
   * handshake function has settled, a `next()` still waiting, or called later, rejects
   * `LV_ERR_ABORTED` ("the handshake is over"): what comes after is the application's. */
  next(): Promise<Incoming>;
  attempt: number;
  /** Aborted when the attempt ends, its `reason` a LinkvisorError `LV_ERR_ABORTED` saying why
   * (as `AttemptInfo.signal`'s). */
  signal: AbortSignal;
}

/**
 * Options of one link (`supervisor.connect(url, options)`), each checked at once: a wrong one
 * throws `LV_ERR_INVALID_OPTION` or `LV_ERR_UNKNOWN_OPTION` naming it. Defaults in
 * docs/lifecycle.md.
 */
export interface LinkOptions {
  /** Id within the supervisor; the link's id is `link:<id>`. Default: a counter. */
  id?: string;
  /** WebSocket subprotocols. */
  protocols?: PerAttempt<string | string[]>;
  /** HTTP headers of the upgrade request (Node only). Values of auth-like headers are redacted. */
  headers?: PerAttempt<Record<string, string>>;
  /** Extra options for the `ws` client (Node), e.g. TLS `ca`, `agent`. */
  wsOptions?: PerAttempt<Record<string, unknown>>;
  /** Backoff policy, or `(attempt) => delayMs` for full control. */
  backoff?: Partial<BackoffOptions> | ((attempt: number) => number);
  /** `false` disables it. */
  heartbeat?: HeartbeatInput | false;
  queue?: Partial<QueueOptions>;
  /** Restart intensity: more than `maxRestarts` losses of a ready link within `withinMs`
   * escalates (`then: 'cool-down'` rests in `coolingDown`, `'fail'` fails the link with reason
   * kind `intensity`). `false` turns it off. Defaults: machines/policy/intensity.ts. */
  intensity?: Partial<IntensityOptions> | false;
  /** After `supervisor.signal('online' | 'wake')`, a waiting link attempts within
   * [0, rejoinJitterMs] (default 1 000 ms, machines/policy/network.ts). */
  network?: Partial<NetworkOptions>;
  /** Application handshake after the socket opens (send auth, await the ack). Throw to fail it;
   * an error with `fatal: true` stops retrying. */
  handshake?: (session: HandshakeSession) => Promise<void> | void;
  /** Close codes that mean "credentials rejected" (e.g. 4401): verdict `refresh`, like HTTP 401
   * and 3000. With a per-attempt URL, header or protocol function, the link tries once at once
   * with fresh credentials; a second consecutive rejection (or none such function) is fatal. */
  authCloseCodes?: readonly number[];
  /**
   * Overrides the retry verdict of the close table: `true` retries, anything else ends the link
   * (`failed` with `reason`). Not asked for our own close, nor once `maxAttempts` have run out (the
   * link gives up). `attempt` is the number of the attempt it decides about, the one the
   * `reconnecting` event announces and that attempt's per-attempt functions see
   * (`AttemptInfo.attempt`): the next step of the backoff (1 for the first retry), or, for a retry
   * made at once (a credentials rejection's fresh attempt, a restart by the link's group) and the
   * attempt after a cool-down, the current number, which those keep. A hook that throws is
   * reported (`error`, LV_ERR_LISTENER) and the close table decides.
   */
  shouldReconnect?: (reason: Reason, attempt: number) => boolean;
  /** How long an attempt waits for its per-attempt `url`, `protocols`, `headers` and `wsOptions`
   * functions to settle, in ms (default 10 s; machines/policy/timeouts.ts): a provider that never
   * settles ends the attempt with a `timeout` reason of phase `resolve`. Not part of
   * `connectTimeoutMs`, which starts when the socket is asked to open the resolved URL. */
  resolveTimeoutMs?: number;
  connectTimeoutMs?: number;
  handshakeTimeoutMs?: number;
  closeTimeoutMs?: number;
  /** Largest inbound message accepted, in bytes. Default 16 MiB (ws's own default is 100 MiB). */
  maxPayloadBytes?: number;
  /** Seed of the backoff jitter (tests); default: random per link. */
  seed?: number;
  /** Connect at once (default true); with false the link waits in `idle` for `link.connect()`. */
  autoConnect?: boolean;
  /** Resumable session with a `linkvisor/server` peer (docs/resume.md): messages delivered once
   * and in order across reconnects, or an explicit `reset`. `true` for the defaults
   * (machines/policy/resume.ts) or the numbers to change. Default off. */
  resume?: boolean | Partial<ResumeOptions>;
}

/** The default `maxPayloadBytes`: 16 MiB, far below ws's 100 MiB, documented in docs/lifecycle.md. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;

export const LINK_OPTION_KEYS: ReadonlySet<string> = new Set<string>([
  'id',
  'protocols',
  'headers',
  'wsOptions',
  'backoff',
  'heartbeat',
  'queue',
  'intensity',
  'network',
  'handshake',
  'shouldReconnect',
  'authCloseCodes',
  'resolveTimeoutMs',
  'connectTimeoutMs',
  'handshakeTimeoutMs',
  'closeTimeoutMs',
  'maxPayloadBytes',
  'seed',
  'autoConnect',
  'resume',
]);

function checkPerAttempt(value: unknown, path: string, check: (v: unknown) => boolean, what: string) {
  if (value === undefined || typeof value === 'function') return;
  if (!check(value))
    throw optionError(path, `must be ${what} or a function returning it, got ${describe(value)}`);
}

/** Whether `code` is no close code a peer can send and a client receives (RFC 6455 §7.4; a peer
 * can send 1000–1003, 1007–1014, 3000–4999): 1005, 1006 and 1015 no peer sends (1006 would make
 * every drop match); 1004 and 1016–2999 are reserved: `ws` fails the connection on receipt, a
 * browser never delivers them. */
function unreceivableCloseCode(code: unknown): boolean {
  const c = code as number;
  // Up to 1003: bad under 1000; 1004–1014: bad up to 1006; from 1015: bad outside 3000–4999.
  return !Number.isInteger(c) || (c < 1004 ? c < 1000 : c < 1015 ? c < 1007 : c < 3000 || c > 4999);
}

/** Validates link options (from `connect` or supervisor defaults); returns a clean copy. */
export function checkLinkOptions(value: unknown, path = ''): LinkOptions {
  if (value === undefined) return {};
  const at = (key: string) => (path ? `${path}.${key}` : key);
  if (!isRecord(value)) throw optionError(path || 'options', `must be an object, got ${describe(value)}`);
  checkKnownKeys(value, LINK_OPTION_KEYS, path);
  const out: LinkOptions = {};
  if (value.id !== undefined) {
    if (typeof value.id !== 'string' || !/^[\w.:@/-]{1,200}$/.test(value.id)) {
      throw optionError(at('id'), 'must be 1–200 characters of letters, digits and _ . : @ / -');
    }
    out.id = value.id;
  }
  checkPerAttempt(
    value.protocols,
    at('protocols'),
    (v) => typeof v === 'string' || (Array.isArray(v) && v.every((p) => typeof p === 'string')),
    'a string or an array of strings',
  );
  checkPerAttempt(
    value.headers,
    at('headers'),
    (v) => isRecord(v) && Object.values(v).every((h) => typeof h === 'string'),
    'an object of string values',
  );
  checkPerAttempt(value.wsOptions, at('wsOptions'), isRecord, 'an object');
  if (value.protocols !== undefined) out.protocols = value.protocols as LinkOptions['protocols'];
  if (value.headers !== undefined) out.headers = value.headers as LinkOptions['headers'];
  if (value.wsOptions !== undefined) out.wsOptions = value.wsOptions as LinkOptions['wsOptions'];
  if (value.backoff !== undefined) {
    out.backoff =
      typeof value.backoff === 'function'
        ? (value.backoff as (n: number) => number)
        : checkBackoff(value.backoff, at('backoff'));
  }
  if (value.heartbeat !== undefined) {
    out.heartbeat = value.heartbeat === false ? false : checkHeartbeat(value.heartbeat, at('heartbeat'));
  }
  if (value.queue !== undefined) out.queue = checkQueue(value.queue, at('queue'));
  if (value.intensity !== undefined) out.intensity = checkIntensity(value.intensity, at('intensity'));
  if (value.network !== undefined) {
    const network = value.network;
    if (!isRecord(network)) throw optionError(at('network'), `must be an object, got ${describe(network)}`);
    checkKnownKeys(network, new Set(Object.keys(NETWORK_DEFAULTS)), at('network'));
    out.network =
      network.rejoinJitterMs === undefined
        ? {}
        : {
            rejoinJitterMs: checkNumber(network.rejoinJitterMs, at('network.rejoinJitterMs'), {
              max: MAX_TIMER_MS,
            }),
          };
  }
  if (value.handshake !== undefined) {
    checkFunction(value.handshake, at('handshake'));
    out.handshake = value.handshake as LinkOptions['handshake'];
  }
  if (value.authCloseCodes !== undefined) {
    const codes = value.authCloseCodes;
    // The first code no peer can send (an index: an `undefined` in the array is one), -2: no array.
    const bad = Array.isArray(codes) ? codes.findIndex(unreceivableCloseCode) : -2;
    if (bad !== -1) {
      const got = describe(bad < 0 ? codes : (codes as unknown[])[bad]);
      throw optionError(at('authCloseCodes'), `must be an array of close codes a peer can send, got ${got}`);
    }
    out.authCloseCodes = Object.freeze([...(codes as number[])]) as readonly number[];
  }
  if (value.shouldReconnect !== undefined) {
    checkFunction(value.shouldReconnect, at('shouldReconnect'));
    out.shouldReconnect = value.shouldReconnect as LinkOptions['shouldReconnect'];
  }
  for (const key of [
    'resolveTimeoutMs',
    'connectTimeoutMs',
    'handshakeTimeoutMs',
    'closeTimeoutMs',
  ] as const) {
    if (value[key] !== undefined) out[key] = checkNumber(value[key], at(key), { min: 1, max: MAX_TIMER_MS });
  }
  if (value.maxPayloadBytes !== undefined)
    out.maxPayloadBytes = checkNumber(value.maxPayloadBytes, at('maxPayloadBytes'), {
      min: 1,
      integer: true,
    });
  if (value.seed !== undefined)
    out.seed = checkNumber(value.seed, at('seed'), { min: -(2 ** 53), integer: true });
  if (value.autoConnect !== undefined) {
    if (typeof value.autoConnect !== 'boolean') {
      throw optionError(at('autoConnect'), `must be a boolean, got ${describe(value.autoConnect)}`);
    }
    out.autoConnect = value.autoConnect;
  }
  if (value.resume !== undefined) {
    const resume = checkResumeOption(value.resume, at('resume'));
    if (resume && value.handshake !== undefined) throw resumeWithHandshake(at('resume'));
    out.resume = resume ?? false;
  }
  return out;
}

/** Resume and an application handshake both want a socket's first messages. */
function resumeWithHandshake(path: string) {
  return optionError(
    path,
    'cannot be combined with handshake (the resume exchange owns the first messages); authenticate with per-attempt headers or URL instead',
    'LV_ERR_UNSUPPORTED',
  );
}

/** Link options over supervisor defaults; nested policy objects merge key by key. */
export function mergeLinkOptions(defaults: LinkOptions, own: LinkOptions): LinkOptions {
  const merged: LinkOptions = { ...defaults, ...own };
  if (isRecord(defaults.backoff) && isRecord(own.backoff))
    merged.backoff = { ...defaults.backoff, ...own.backoff };
  if (isRecord(defaults.heartbeat) && isRecord(own.heartbeat))
    merged.heartbeat = { ...defaults.heartbeat, ...own.heartbeat };
  if (defaults.queue && own.queue) merged.queue = { ...defaults.queue, ...own.queue };
  if (isRecord(defaults.resume) && isRecord(own.resume))
    merged.resume = { ...defaults.resume, ...own.resume };
  if (merged.resume && merged.handshake) throw resumeWithHandshake('resume');
  if (defaults.network && own.network) merged.network = { ...defaults.network, ...own.network };
  if (isRecord(defaults.intensity) && isRecord(own.intensity))
    merged.intensity = { ...defaults.intensity, ...own.intensity };
  // The cross-field rules must hold for the merged result too.
  if (isRecord(merged.backoff)) checkBackoff(merged.backoff, 'backoff');
  if (isRecord(merged.intensity)) checkIntensity(merged.intensity, 'intensity');
  return merged;
}

export interface ResolvedPolicies {
  backoff: Partial<BackoffOptions>;
  intensity: Partial<IntensityOptions> | false;
  heartbeat: Partial<HeartbeatOptions>;
  timeouts: Partial<TimeoutOptions>;
  queue: QueueOptions;
}

/** The numbers that go into the chart's input (defaults are filled in by the chart). */
export function policiesOf(options: LinkOptions, protocolPing: boolean): ResolvedPolicies {
  // Copied onto an empty literal, not spread into one: a spread copy of a literal got a hidden class
  // of its own per template (a drop-in has one template each; BENCHMARKS.md round 18 (drop-in heap)).
  const backoff = typeof options.backoff === 'function' ? {} : Object.assign({}, options.backoff);
  let heartbeat: Partial<HeartbeatOptions>;
  if (options.heartbeat === false) heartbeat = { mode: 'off' };
  else {
    const { ping: _ping, isPong: _isPong, ...numbers } = options.heartbeat ?? {};
    heartbeat = numbers;
    const mode = numbers.mode ?? HEARTBEAT_DEFAULTS.mode;
    // Without protocol pings (browsers) the default heartbeat cannot run: it is off unless the
    // application configures `app` mode. An explicit 'protocol' there is an error (see connect()).
    if (mode === 'protocol' && !protocolPing && options.heartbeat?.mode === undefined) heartbeat.mode = 'off';
  }
  const timeouts: Partial<TimeoutOptions> = {};
  if (options.resolveTimeoutMs !== undefined) timeouts.resolveTimeoutMs = options.resolveTimeoutMs;
  if (options.connectTimeoutMs !== undefined) timeouts.connectTimeoutMs = options.connectTimeoutMs;
  if (options.handshakeTimeoutMs !== undefined) timeouts.handshakeTimeoutMs = options.handshakeTimeoutMs;
  if (options.closeTimeoutMs !== undefined) timeouts.closeTimeoutMs = options.closeTimeoutMs;
  // The frozen defaults themselves when nothing is set: no per-link copy.
  const queue = options.queue === undefined ? QUEUE_DEFAULTS : { ...QUEUE_DEFAULTS, ...options.queue };
  const intensity = options.intensity === undefined ? {} : options.intensity;
  return { backoff, intensity, heartbeat, timeouts, queue };
}
