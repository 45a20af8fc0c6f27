/**
 * Reconnect backoff: THE home of the numbers that decide when a link tries again.
 *
 * The connection chart refers to this module through its named delay `reconnectDelay`; the
 * runtime holds no timing default of its own. Everything here is pure: the PRNG state travels
 * in and out with the backoff state, so the same seed always gives the same schedule.
 *
 * Schedule for retry n (1-based): base(n) = min(maxDelayMs, initialDelayMs × multiplier^(n-1)),
 * then jitter is applied AFTER the cap (so a fleet at the cap still spreads out) and to the
 * first retry too (so a fleet dropped at once does not come back at once):
 *
 *   none           base
 *   full           uniform [0, base]                       (default: least total work, Brooker)
 *   equal          uniform [base/2, base]
 *   proportional   uniform [base × (1 − r), base × (1 + r)]   (gRPC style, r = jitterRatio)
 *   decorrelated   uniform [initialDelayMs, min(maxDelayMs, 3 × max(initialDelayMs, previous delay))]
 *
 * The attempt counter resets only after the link stayed ready for `stableAfterMs`, never on
 * open: a server that accepts and drops at once is not hammered.
 */
import { nextRandom, type RandomState } from './random.js';
import { MAX_TIMER_MS } from './timeouts.js';

/**
 * How a retry delay is randomised: `none` (exact), `full` [0, d], `equal` [d/2, d], `proportional`
 * [d(1−r), d(1+r)], `decorrelated` [initial, min(cap, 3 × previous)].
 */
export type JitterStrategy = 'none' | 'full' | 'equal' | 'proportional' | 'decorrelated';

/** Every jitter strategy, in the order of the docs' table. */
export const JITTER_STRATEGIES: readonly JitterStrategy[] = [
  'none',
  'full',
  'equal',
  'proportional',
  'decorrelated',
];

/**
 * The retry schedule of a link: exponential from `initialDelayMs` by `multiplier` up to
 * `maxDelayMs`, randomised by `jitter`, reset after `stableAfterMs` in ready (defaults:
 * `BACKOFF_DEFAULTS`).
 */
export interface BackoffOptions {
  /** Base delay of the first retry, in ms. */
  initialDelayMs: number;
  /** Cap of the base delay, in ms (jitter may take `proportional` above it by `jitterRatio`). */
  maxDelayMs: number;
  /** Growth of the base delay per attempt; at least 1. */
  multiplier: number;
  /** How the delay is randomised; see the table above. */
  jitter: JitterStrategy;
  /** The ± ratio of `proportional` jitter, in [0, 1]. */
  jitterRatio: number;
  /** Consecutive failed attempts before the link gives up (`failed`, reason "gave up"). */
  maxAttempts: number;
  /** Time a link must stay ready before the attempt counter resets, in ms. */
  stableAfterMs: number;
}

/** Defaults, with the reason for each in docs/lifecycle.md's policy table. */
export const BACKOFF_DEFAULTS: Readonly<BackoffOptions> = Object.freeze({
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  multiplier: 2,
  jitter: 'full',
  jitterRatio: 0.2,
  maxAttempts: Number.POSITIVE_INFINITY,
  stableAfterMs: 5_000,
});

/** Where a link is in its retry schedule; plain data, kept in the machine's context. */
export interface BackoffState {
  /** Retries scheduled since the link was last stable. */
  attempt: number;
  /** The previous delay, in ms (decorrelated jitter grows from it). */
  previousDelayMs: number;
  /** The PRNG state. */
  random: RandomState;
  /**
   * A credentials rejection's one fresh attempt was made since the link was last stable or
   * waited through the backoff (absent otherwise): a rejection before either is a second in a
   * row, not a first (connection-retry.ts `canRefresh`). Cleared by `resetBackoff` (stable, paused
   * included), by `nextDelay` (a retry that waits is paced by the backoff, so it cannot loop at
   * once; a token that expired during an outage right after a refresh gets its fresh attempt) and
   * by `endRefreshTrial` (a disconnect that is no rejection: what follows waits, in the backoff,
   * a cool-down or suspended until the network is back).
   */
  refreshed?: true;
}

/** The retry state of a link that has not retried yet, with the given PRNG state. */
export function initialBackoffState(random: RandomState): BackoffState {
  return { attempt: 0, previousDelayMs: 0, random };
}

/** The capped, un-jittered delay of retry `attempt` (1-based), in ms. Never NaN or Infinity. */
export function baseDelayMs(attempt: number, options: BackoffOptions): number {
  if (options.initialDelayMs <= 0) return 0;
  const exponent = Math.max(0, attempt - 1);
  // pow may overflow to Infinity for large attempts; min() with the cap keeps it finite.
  const grown = options.initialDelayMs * options.multiplier ** exponent;
  return Math.min(options.maxDelayMs, Number.isFinite(grown) ? grown : options.maxDelayMs);
}

/** The interval any delay of retry `attempt` lies in, for the given strategy (before rounding to
 * whole ms: a delay may lie up to 0.5 ms outside). */
export function delayBounds(
  attempt: number,
  options: BackoffOptions,
  previousDelayMs = 0,
): { minMs: number; maxMs: number } {
  const base = baseDelayMs(attempt, options);
  switch (options.jitter) {
    case 'none':
      return { minMs: base, maxMs: base };
    case 'full':
      return { minMs: 0, maxMs: base };
    case 'equal':
      return { minMs: base / 2, maxMs: base };
    case 'proportional':
      return {
        minMs: base * (1 - options.jitterRatio),
        maxMs: base * (1 + options.jitterRatio),
      };
    case 'decorrelated': {
      const low = Math.min(options.initialDelayMs, options.maxDelayMs);
      // AWS "decorrelated jitter": sleep = min(cap, uniform(base, 3 × previous)), previous ≥ base,
      // so the first retry is jittered too.
      const previous = Math.max(low, previousDelayMs);
      const high = Math.min(options.maxDelayMs, 3 * previous);
      return { minMs: low, maxMs: Math.max(low, high) };
    }
  }
}

/**
 * The delay before the next retry, and the state after scheduling it. Pure.
 * The returned delay is always a finite number ≥ 0 (a non-finite delay would fire at once in
 * XState, see DESIGN.md §8).
 */
export function nextDelay(
  state: BackoffState,
  options: BackoffOptions,
): { delayMs: number; state: BackoffState } {
  const attempt = state.attempt + 1;
  const { minMs, maxMs } = delayBounds(attempt, options, state.previousDelayMs);
  let random = state.random;
  let delayMs = minMs;
  if (maxMs > minMs) {
    const draw = nextRandom(random);
    random = draw.state;
    delayMs = minMs + draw.value * (maxMs - minMs);
  }
  delayMs = Math.min(MAX_TIMER_MS, Math.max(0, Math.round(delayMs)));
  // `refreshed` is dropped: the retry waits (see BackoffState).
  return { delayMs, state: { attempt, previousDelayMs: delayMs, random } };
}

/** The state after the link proved stable: the schedule starts again, the PRNG goes on, and a
 * credentials rejection is a first one again (`refreshed` cleared). */
export function resetBackoff(state: BackoffState): BackoffState {
  return { attempt: 0, previousDelayMs: 0, random: state.random };
}

/** The state after a disconnect that is no credentials rejection: the schedule where it was, a
 * rejection a first one again (`refreshed` dropped: connection-retry.ts `withReason`). */
export function endRefreshTrial(state: BackoffState): BackoffState {
  return { attempt: state.attempt, previousDelayMs: state.previousDelayMs, random: state.random };
}

/** Whether another retry is allowed after `failedAttempts` consecutive failures. */
export function hasAttemptsLeft(failedAttempts: number, options: BackoffOptions): boolean {
  return failedAttempts < options.maxAttempts;
}

/**
 * The delay a retry made at once announces, in ms (`reconnecting { delayMs }`): a credentials
 * rejection's one fresh attempt, or a member restarted by its group. No wait, and not a step of
 * the schedule: the attempt counter does not move, so the fresh attempt carries the number of the
 * one it replaces. 0, because the chart starts the attempt in the same step.
 */
export const RETRY_AT_ONCE_DELAY_MS = 0;
