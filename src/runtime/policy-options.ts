/**
 * The policy objects of a link's options — `backoff`, `heartbeat`, `intensity`, `queue` — each
 * checked eagerly: a wrong value throws a LinkvisorError naming the option by its dotted path
 * (`backoff.maxDelayMs`), with the rules that tie two numbers of one policy together. Their
 * defaults are not here: they live in machines/policy and are merged by the chart.
 * runtime/options.ts checks the link's options as a whole with these; the drop-in and the
 * watcher reuse them for theirs.
 */

import { BACKOFF_DEFAULTS, type BackoffOptions, JITTER_STRATEGIES } from '../../machines/policy/backoff.js';
import { HEARTBEAT_DEFAULTS, type HeartbeatOptions } from '../../machines/policy/heartbeat.js';
import {
  INTENSITY_ACTIONS,
  INTENSITY_DEFAULTS,
  type IntensityOptions,
} from '../../machines/policy/intensity.js';
import { OVERFLOW_POLICIES, QUEUE_DEFAULTS, type QueueOptions } from '../../machines/policy/queue.js';
import { MAX_TIMER_MS } from '../../machines/policy/timeouts.js';
import type { Incoming, Payload } from '../transports/payload.js';
import { describe, isRecord } from '../util/describe.js';
import { optionError } from '../util/errors.js';
import { checkFunction, checkKnownKeys, checkNumber, checkOneOf, copyNumber } from '../util/option-checks.js';

/**
 * The `heartbeat` option: the policy's numbers and mode, and for `app` mode the ping payload and
 * how to tell a pong.
 */
export interface HeartbeatInput extends Partial<HeartbeatOptions> {
  /** `app` mode: the ping payload to send (with `resume`, one of the session's data frames: the
   * server's application reads it as a message, docs/resume.md). */
  ping?: () => Payload;
  /** `app` mode: whether an inbound message is the pong (pongs are not delivered as messages). */
  isPong?: (data: Incoming) => boolean;
}

/** The `backoff` object (not the function form); `defaults` fill in a number it leaves out for the
 * cross-field rule (maxDelayMs ≥ initialDelayMs). */
export function checkBackoff(
  value: unknown,
  path: string,
  defaults: Readonly<BackoffOptions> = BACKOFF_DEFAULTS,
): Partial<BackoffOptions> {
  if (!isRecord(value)) throw optionError(path, `must be an object or a function, got ${describe(value)}`);
  checkKnownKeys(value, new Set(Object.keys(BACKOFF_DEFAULTS)), path);
  const out: Partial<BackoffOptions> = {};
  copyNumber(value, out, 'initialDelayMs', path, { max: MAX_TIMER_MS });
  copyNumber(value, out, 'maxDelayMs', path, { max: MAX_TIMER_MS });
  if (value.multiplier !== undefined) {
    const m = value.multiplier;
    if (typeof m === 'number' && m < 1) {
      throw optionError(
        `${path}.multiplier`,
        `must be at least 1 (a shrinking delay hammers the server), got ${m}`,
      );
    }
    out.multiplier = checkNumber(m, `${path}.multiplier`, { min: 1, max: 1000 });
  }
  if (value.jitter !== undefined) out.jitter = checkOneOf(value.jitter, JITTER_STRATEGIES, `${path}.jitter`);
  copyNumber(value, out, 'jitterRatio', path, { max: 1 });
  copyNumber(value, out, 'maxAttempts', path, { integer: true, allowInfinity: true });
  copyNumber(value, out, 'stableAfterMs', path, { max: MAX_TIMER_MS });
  const initial = out.initialDelayMs ?? defaults.initialDelayMs;
  const cap = out.maxDelayMs ?? defaults.maxDelayMs;
  if (cap < initial) {
    throw optionError(`${path}.maxDelayMs`, `must be at least initialDelayMs (${initial}), got ${cap}`);
  }
  return out;
}

/** The `heartbeat` object (not `false`); giving `ping`/`isPong` without a mode means `app`. */
export function checkHeartbeat(value: unknown, path: string): HeartbeatInput {
  if (!isRecord(value)) throw optionError(path, `must be an object or false, got ${describe(value)}`);
  checkKnownKeys(value, new Set([...Object.keys(HEARTBEAT_DEFAULTS), 'ping', 'isPong']), path);
  const out: HeartbeatInput = {};
  if (value.mode !== undefined) {
    out.mode = checkOneOf(value.mode, ['protocol', 'app', 'off'] as const, `${path}.mode`);
  }
  copyNumber(value, out, 'intervalMs', path, { min: 1, max: MAX_TIMER_MS });
  copyNumber(value, out, 'timeoutMs', path, { min: 1, max: MAX_TIMER_MS });
  copyNumber(value, out, 'maxMissed', path, { min: 1, max: 1000, integer: true });
  if (value.ping !== undefined) {
    checkFunction(value.ping, `${path}.ping`);
    out.ping = value.ping as () => Payload;
  }
  if (value.isPong !== undefined) {
    checkFunction(value.isPong, `${path}.isPong`);
    out.isPong = value.isPong as (data: Incoming) => boolean;
  }
  if (out.mode === 'app' && (!out.ping || !out.isPong)) {
    throw optionError(path, `mode 'app' needs both ping() and isPong(data)`);
  }
  if ((out.ping || out.isPong) && out.mode === undefined) out.mode = 'app';
  return out;
}

/** The `intensity` option: `false` (off) or the numbers and action to change. */
export function checkIntensity(value: unknown, path: string): Partial<IntensityOptions> | false {
  if (value === false) return false;
  if (!isRecord(value)) throw optionError(path, `must be an object or false, got ${describe(value)}`);
  checkKnownKeys(value, new Set(Object.keys(INTENSITY_DEFAULTS)), path);
  const out: Partial<IntensityOptions> = {};
  copyNumber(value, out, 'maxRestarts', path, { max: 1000, integer: true });
  copyNumber(value, out, 'withinMs', path, { min: 1, max: MAX_TIMER_MS });
  if (value.then !== undefined) {
    // biome-ignore lint/suspicious/noThenProperty: a string, never callable, so never a thenable
    out.then = checkOneOf(value.then, INTENSITY_ACTIONS, `${path}.then`);
  }
  copyNumber(value, out, 'coolDownMs', path, { max: MAX_TIMER_MS });
  copyNumber(value, out, 'maxCoolDownMs', path, { max: MAX_TIMER_MS });
  copyNumber(value, out, 'jitterRatio', path, { max: 1 });
  const base = out.coolDownMs ?? INTENSITY_DEFAULTS.coolDownMs;
  const cap = out.maxCoolDownMs ?? INTENSITY_DEFAULTS.maxCoolDownMs;
  if (cap < base) {
    throw optionError(`${path}.maxCoolDownMs`, `must be at least coolDownMs (${base}), got ${cap}`);
  }
  return out;
}

/** The `queue` option: its bounds and overflow policy. */
export function checkQueue(value: unknown, path: string): Partial<QueueOptions> {
  if (!isRecord(value)) throw optionError(path, `must be an object, got ${describe(value)}`);
  checkKnownKeys(value, new Set(Object.keys(QUEUE_DEFAULTS)), path);
  const out: Partial<QueueOptions> = {};
  copyNumber(value, out, 'maxMessages', path, { integer: true });
  copyNumber(value, out, 'maxBytes', path, { integer: true });
  if (value.overflow !== undefined)
    out.overflow = checkOneOf(value.overflow, OVERFLOW_POLICIES, `${path}.overflow`);
  return out;
}
