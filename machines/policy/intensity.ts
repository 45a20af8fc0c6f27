/**
 * Restart intensity: THE home of the numbers that decide when a flapping link escalates.
 *
 * A *restart* is a ready link lost (the peer dropped it, or its heartbeat found it dead). Failed
 * connection attempts are not restarts: the backoff already spaces them and `maxAttempts` bounds
 * them. A link that comes up, stays past `stableAfterMs` (so its backoff resets) and drops again,
 * forever, is what only this policy catches.
 *
 *   more than maxRestarts restarts within a sliding window of withinMs → escalate:
 *     then 'cool-down'  rest in the chart's `coolingDown` state for
 *                       min(maxCoolDownMs, coolDownMs × n) × (1 − jitterRatio × u), u uniform [0, 1)
 *                       n = consecutive escalations (Envoy: base ejection time × times ejected),
 *                       then try again with a fresh window
 *     then 'fail'       end as `failed`, reason kind `intensity` (OTP: the supervisor gives up)
 *   escalations are consecutive until a whole window passes without a restart (cool-downs excluded)
 *
 * The connection chart refers to this module through the guard `intensityExceeded`, the actions
 * `recordRestart` / `escalate` and the named delay `coolDown`. Pure: the time of a restart is
 * handed in (the runtime reads its clock), the jitter's PRNG state travels in and out.
 */
import { nextRandom, type RandomState } from './random.js';
import { MAX_TIMER_MS } from './timeouts.js';

/** What an escalation does: rest for a growing cool-down, or end the link as `failed`. */
export type IntensityAction = 'cool-down' | 'fail';

/** Every value `intensity.then` accepts (option checks list them in their error). */
export const INTENSITY_ACTIONS: readonly IntensityAction[] = ['cool-down', 'fail'];

/** The `intensity` option: how many restarts in how long a window escalate, and what follows. */
export interface IntensityOptions {
  /** Restarts tolerated within the window; one more escalates. 0 escalates on the first loss. */
  maxRestarts: number;
  /** Length of the sliding window, in ms. */
  withinMs: number;
  /** What an escalation does: rest for a growing cool-down (default), or fail the link. */
  then: IntensityAction;
  /** Cool-down of the first escalation, in ms; the n-th consecutive one rests n times as long. */
  coolDownMs: number;
  /** Cap of the cool-down, in ms. */
  maxCoolDownMs: number;
  /** The cool-down is shortened by up to this ratio, at random, so a fleet escalated together
   * does not come back together; in [0, 1]. */
  jitterRatio: number;
}

/**
 * Defaults, with the reason for each in docs/supervisor.md's table. OTP's default (1 restart in
 * 5 s) is made for processes that restart in microseconds; a network link's restart takes a
 * connect plus `stableAfterMs` (5 s) before its backoff even resets, so a window of one minute
 * sees at most ~10 restarts of a link that flaps as fast as the backoff allows. More than 5 in a
 * minute is a link that is down every ~10 s; a rolling deploy or a load-balancer drain drops a
 * link once or twice. The cool-down starts at Envoy's base ejection time (30 s, also our backoff
 * cap) and grows linearly to Envoy's maximum ejection time (300 s).
 */
export const INTENSITY_DEFAULTS: Readonly<IntensityOptions> = Object.freeze({
  maxRestarts: 5,
  withinMs: 60_000,
  // biome-ignore lint/suspicious/noThenProperty: a string, never callable, so never a thenable
  then: 'cool-down',
  coolDownMs: 30_000,
  maxCoolDownMs: 300_000,
  jitterRatio: 0.2,
});

/**
 * A socket (supervisor) or a group is *degraded* while more than this share of its live links are
 * escalated (escalated and not stable again). A minority of flapping links is a per-link problem
 * (a bad route, one bad backend behind a balancer); more than half is the service itself.
 */
export const DEGRADED_SHARE_DEFAULT = 0.5;

/** Whether `escalated` of `peers` live links exceed `share`. */
export function isDegraded(escalated: number, peers: number, share: number): boolean {
  return peers > 0 && escalated > share * peers;
}

/** A link's restart history, plain data in the chart's context (absent until the first restart). */
export interface IntensityState {
  /** Times of the restarts still in the window, oldest first (at most maxRestarts + 1). */
  restarts: number[];
  /** Consecutive escalations so far. */
  escalations: number;
  /** Since when the link has been quiet: the last restart, or the end of the last cool-down (ms). */
  quietSinceMs: number;
  /** Escalated and not yet stable again (the socket counts such links as sick). */
  sick: boolean;
}

/** A link's restart history before its first restart. */
export function initialIntensityState(): IntensityState {
  return { restarts: [], escalations: 0, quietSinceMs: 0, sick: false };
}

/** The history after a restart at `nowMs`: restarts older than the window are forgotten; a whole
 * quiet window also ends the run of consecutive escalations. */
export function recordRestart(
  state: IntensityState | undefined,
  nowMs: number,
  options: IntensityOptions,
): IntensityState {
  const current = state ?? initialIntensityState();
  const from = nowMs - options.withinMs;
  const restarts = current.restarts.filter((at) => at > from);
  restarts.push(nowMs);
  // Keep the list bounded: only whether it exceeds maxRestarts matters.
  while (restarts.length > options.maxRestarts + 1) restarts.shift();
  // A first restart has no run of escalations to end: quiet or not, it starts at 0.
  const quiet = nowMs - current.quietSinceMs > options.withinMs;
  return {
    restarts,
    escalations: quiet ? 0 : current.escalations,
    quietSinceMs: Math.max(current.quietSinceMs, nowMs),
    sick: current.sick,
  };
}

/** Whether the restarts in the window exceed `maxRestarts`. */
export function intensityExceeded(state: IntensityState | undefined, options: IntensityOptions): boolean {
  return state !== undefined && state.restarts.length > options.maxRestarts;
}

/** The cool-down of the n-th consecutive escalation before jitter, in ms (never NaN or above the cap). */
export function baseCoolDownMs(escalation: number, options: IntensityOptions): number {
  const grown = options.coolDownMs * Math.max(1, escalation);
  return Math.min(
    options.maxCoolDownMs,
    MAX_TIMER_MS,
    Number.isFinite(grown) ? grown : options.maxCoolDownMs,
  );
}

/** An escalation at `nowMs`: the cool-down to rest for, the history after it (a fresh window),
 * and the PRNG state after the jitter's draw. */
export function escalate(
  state: IntensityState | undefined,
  nowMs: number,
  random: RandomState,
  options: IntensityOptions,
): { delayMs: number; state: IntensityState; random: RandomState } {
  const escalations = (state?.escalations ?? 0) + 1;
  const base = baseCoolDownMs(escalations, options);
  let delayMs = base;
  let next = random;
  if (options.jitterRatio > 0 && base > 0) {
    const draw = nextRandom(random);
    next = draw.state;
    delayMs = base * (1 - options.jitterRatio * draw.value);
  }
  delayMs = Math.max(0, Math.round(delayMs));
  return {
    delayMs,
    state: { restarts: [], escalations, quietSinceMs: nowMs + delayMs, sick: true },
    random: next,
  };
}
