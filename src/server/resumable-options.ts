/**
 * The options of `resumable(wss, options)`, checked eagerly: a wrong value throws
 * LV_ERR_INVALID_OPTION naming it, a misspelt name LV_ERR_UNKNOWN_OPTION with a hint. Defaults
 * live in machines/policy/resume.ts.
 */
import type { InspectionEvent, Observer } from 'xstate';
import {
  type AckOptions,
  HELLO_TIMEOUT_DEFAULT_MS,
  MAX_AWAY_SESSIONS_DEFAULT,
  MAX_SESSIONS_DEFAULT,
  RESUME_DEFAULTS,
  type ResumeLimits,
  SESSION_TTL_DEFAULT_MS,
} from '../../machines/policy/resume.js';
import { MAX_TIMER_MS } from '../../machines/policy/timeouts.js';
import { checkResumeNumbers } from '../resume/resume-options.js';
import { type Clock, systemClock } from '../util/clock.js';
import { describe, isRecord } from '../util/describe.js';
import { optionError } from '../util/errors.js';
import { checkClock, checkKnownKeys, checkNumber } from '../util/option-checks.js';
import type { SessionStore } from './session-store.js';

/** Options of `resumable(wss, options)`; numbers default to machines/policy/resume.ts. */
export interface ResumableOptions {
  /** How long a session waits for its client to come back, in ms. Default 120,000. */
  sessionTtlMs?: number;
  /** How long a socket may stay without a session (its hello, then the store's answer), in ms;
   * then it is closed with 1013. Default 10,000 (machines/policy/resume.ts). */
  helloTimeoutMs?: number;
  /** The most sessions waiting for their client at once: when one more leaves, the session away
   * the longest ends (its client is reset, `unknown-session`, as after an expiry). Bounds the
   * churn of clients that drop and start afresh. Default 10,000 (machines/policy/resume.ts);
   * `Infinity`: no bound; 0: no session waits (a client that drops always starts afresh). */
  maxAwaySessions?: number;
  /** The most sessions held at once, attached or away. A new session on a full server evicts the
   * one away the longest; with every session attached the new socket is closed with 1013. Counts
   * this process's live sessions, not a store's records. Default: no cap (`Infinity`). */
  maxSessions?: number;
  /** Replay buffer of each session, in bytes. Default 1 MiB (machines/policy/resume.ts). */
  maxBytes?: number;
  /** Replay buffer of each session, in messages. Default 10,000. */
  maxMessages?: number;
  ackEveryMessages?: number;
  ackDelayMs?: number;
  /** Where sessions whose client is away are kept. Default: in memory (lost on restart). */
  store?: SessionStore;
  /** Timers of sessions (tests pass a simulated clock). */
  clock?: Clock;
  /** XState inspection observer of every session's chart (machines/session.machine.ts) and every
   * socket's greeting chart (machines/greeting.machine.ts), e.g. an inspector or a coverage gate. An observer that throws is reported as an `error` event. */
  inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
}

const OPTION_KEYS = new Set([
  'sessionTtlMs',
  'maxSessions',
  'maxAwaySessions',
  'helloTimeoutMs',
  'maxBytes',
  'maxMessages',
  'ackEveryMessages',
  'ackDelayMs',
  'store',
  'clock',
  'inspect',
]);

/** `resumable`'s options, checked and resolved: every number, the clock and the store (undefined
 * when none is given: resumable() makes its own in-memory one). */
export function readResumableOptions(options: ResumableOptions) {
  const given: unknown = options;
  if (!isRecord(given)) throw optionError('options', `must be an object, got ${describe(given)}`);
  checkKnownKeys(given, OPTION_KEYS, '');
  const numbers = {
    ...RESUME_DEFAULTS,
    ...checkResumeNumbers(given, '', ['maxBytes', 'maxMessages', 'ackEveryMessages', 'ackDelayMs']),
  };
  const limits: ResumeLimits = { maxBytes: numbers.maxBytes, maxMessages: numbers.maxMessages };
  const acks: AckOptions = { ackEveryMessages: numbers.ackEveryMessages, ackDelayMs: numbers.ackDelayMs };
  const sessionTtlMs =
    options.sessionTtlMs === undefined
      ? SESSION_TTL_DEFAULT_MS
      : checkNumber(options.sessionTtlMs, 'sessionTtlMs', { min: 1, max: MAX_TIMER_MS });
  const helloTimeoutMs =
    options.helloTimeoutMs === undefined
      ? HELLO_TIMEOUT_DEFAULT_MS
      : checkNumber(options.helloTimeoutMs, 'helloTimeoutMs', { min: 1, max: MAX_TIMER_MS });
  const maxSessions =
    options.maxSessions === undefined
      ? MAX_SESSIONS_DEFAULT
      : checkNumber(options.maxSessions, 'maxSessions', { min: 1, integer: true, allowInfinity: true });
  const maxAwaySessions =
    options.maxAwaySessions === undefined
      ? MAX_AWAY_SESSIONS_DEFAULT
      : checkNumber(options.maxAwaySessions, 'maxAwaySessions', {
          min: 0,
          integer: true,
          allowInfinity: true,
        });
  if (options.clock !== undefined) checkClock(options.clock, 'clock');
  const clock = options.clock ?? systemClock;
  if (
    options.inspect !== undefined &&
    typeof options.inspect !== 'function' &&
    (!isRecord(options.inspect) || typeof options.inspect.next !== 'function')
  ) {
    throw optionError(
      'inspect',
      `must be a function or an observer with next(), got ${describe(options.inspect)}`,
    );
  }
  if (options.store !== undefined) checkStore(options.store);
  // None given: resumable() makes its own, on the clock as the server reads it (./server-clock.ts).
  const store: SessionStore | undefined = options.store;
  const inspect = options.inspect;
  return {
    limits,
    acks,
    sessionTtlMs,
    helloTimeoutMs,
    maxSessions,
    maxAwaySessions,
    clock,
    inspect,
    store,
  };
}

/** Throws unless `wss` is a WebSocketServer (by shape: `on`/`off`, as the server uses it), naming it. */
export function checkWss(wss: unknown): void {
  if (!isRecord(wss) || typeof wss.on !== 'function' || typeof wss.off !== 'function')
    throw optionError('wss', `must be a ws WebSocketServer, got ${describe(wss)}`);
  if (served.has(wss))
    throw optionError('wss', 'is served by another resumable() already (close() that one first)');
}

/** The servers a `resumable()` serves, until its `close()`: a second one would answer every hello
 * too (two welcomes, two sessions per socket). */
const served = new WeakSet<object>();

/** `resumable(wss)` serves `wss` (true) or no longer does (false, its `close()`). */
export function markServed(wss: object, serving: boolean): void {
  if (serving) served.add(wss);
  else served.delete(wss);
}

function checkStore(store: unknown): void {
  if (!isRecord(store))
    throw optionError('store', `must be an object with get, put and delete, got ${describe(store)}`);
  for (const method of ['get', 'put', 'delete']) {
    if (typeof store[method] !== 'function') throw optionError(`store.${method}`, 'must be a function');
  }
  if (store.deleteOwned !== undefined && typeof store.deleteOwned !== 'function')
    throw optionError('store.deleteOwned', `must be a function, got ${describe(store.deleteOwned)}`);
  if (store.putOwned !== undefined && typeof store.putOwned !== 'function')
    throw optionError('store.putOwned', `must be a function, got ${describe(store.putOwned)}`);
  // Only a shared store (one with deleteOwned) is compared before a write: alone it would do nothing.
  if (store.replaceOwned !== undefined && typeof store.replaceOwned !== 'function')
    throw optionError('store.replaceOwned', `must be a function, got ${describe(store.replaceOwned)}`);
  if (store.claimOwned !== undefined && typeof store.claimOwned !== 'function')
    throw optionError('store.claimOwned', `must be a function, got ${describe(store.claimOwned)}`);
  for (const method of ['putOwned', 'replaceOwned', 'claimOwned']) {
    if (store[method] !== undefined && store.deleteOwned === undefined)
      throw optionError(`store.${method}`, 'needs store.deleteOwned too (the sign of a store servers share)');
  }
  // Read as a boolean: `durable: 'false'` would make close() leave its sessions to a store that
  // keeps nothing, their undelivered messages never reported `dropped`.
  if (store.durable !== undefined && typeof store.durable !== 'boolean')
    throw optionError('store.durable', `must be a boolean, got ${describe(store.durable)}`);
}
