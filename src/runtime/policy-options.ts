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
import { checkFunction, checkKnownKeys, checkNumber, checkOneOf } from '../util/option-checks.js';

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
  if (value.initialDelayMs !== undefined)
    out.initialDelayMs = checkNumber(value.initialDelayMs, `${path}.initialDelayMs`, { max: MAX_TIMER_MS });
  if (value.maxDelayMs !== undefined)
    out.maxDelayMs = checkNumber(value.maxDelayMs, `${path}.maxDelayMs`, { max: MAX_TIMER_MS });
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
  if (value.jitterRatio !== undefined)
    out.jitterRatio = checkNumber(value.jitterRatio, `${path}.jitterRatio`, { max: 1 });
  if (value.maxAttempts !== undefined)
    out.maxAttempts = checkNumber(value.maxAttempts, `${path}.maxAttempts`, {
      integer: true,
      allowInfinity: true,
    });
  if (value.stableAfterMs !== undefined)
    out.stableAfterMs = checkNumber(value.stableAfterMs, `${path}.stableAfterMs`, { max: MAX_TIMER_MS });
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
  if (value.intervalMs !== undefined)
    out.intervalMs = checkNumber(value.intervalMs, `${path}.intervalMs`, { min: 1, max: MAX_TIMER_MS });
  if (value.timeoutMs !== undefined)
    out.timeoutMs = checkNumber(value.timeoutMs, `${path}.timeoutMs`, { min: 1, max: MAX_TIMER_MS });
  if (value.maxMissed !== undefined)
    out.maxMissed = checkNumber(value.maxMissed, `${path}.maxMissed`, { min: 1, max: 1000, integer: true });
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
  if (value.maxRestarts !== undefined)
    out.maxRestarts = checkNumber(value.maxRestarts, `${path}.maxRestarts`, { max: 1000, integer: true });
  if (value.withinMs !== undefined)
    out.withinMs = checkNumber(value.withinMs, `${path}.withinMs`, { min: 1, max: MAX_TIMER_MS });
  if (value.then !== undefined) {
    // biome-ignore lint/suspicious/noThenProperty: a string, never callable, so never a thenable
    out.then = checkOneOf(value.then, INTENSITY_ACTIONS, `${path}.then`);
  }
  if (value.coolDownMs !== undefined)
    out.coolDownMs = checkNumber(value.coolDownMs, `${path}.coolDownMs`, { max: MAX_TIMER_MS });
  if (value.maxCoolDownMs !== undefined)
    out.maxCoolDownMs = checkNumber(value.maxCoolDownMs, `${path}.maxCoolDownMs`, { max: MAX_TIMER_MS });
  if (value.jitterRatio !== undefined)
    out.jitterRatio = checkNumber(value.jitterRatio, `${path}.jitterRatio`, { max: 1 });
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
  if (value.maxMessages !== undefined)
    out.maxMessages = checkNumber(value.maxMessages, `${path}.maxMessages`, { integer: true });
  if (value.maxBytes !== undefined)
    out.maxBytes = checkNumber(value.maxBytes, `${path}.maxBytes`, { integer: true });
  if (value.overflow !== undefined)
    out.overflow = checkOneOf(value.overflow, OVERFLOW_POLICIES, `${path}.overflow`);
  return out;
}
