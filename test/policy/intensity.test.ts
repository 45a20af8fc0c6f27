/**
 * Restart intensity (machines/policy/intensity.ts): unit and property tests.
 *
 * The promises under test: more than maxRestarts restarts within a sliding window escalate, fewer
 * never do, and restarts that left the window no longer count; the cool-down is base × n for the
 * n-th consecutive escalation, capped, shortened by at most jitterRatio, never NaN or negative;
 * a whole quiet window (cool-downs excluded) ends the run of consecutive escalations; the history
 * stays bounded.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  baseCoolDownMs,
  DEGRADED_SHARE_DEFAULT,
  escalate,
  INTENSITY_ACTIONS,
  INTENSITY_DEFAULTS,
  type IntensityOptions,
  type IntensityState,
  initialIntensityState,
  intensityExceeded,
  isDegraded,
  recordRestart,
} from '../../machines/policy/intensity.js';
import { nextRandom, seedRandom } from '../../machines/policy/random.js';
import { MAX_TIMER_MS } from '../../machines/policy/timeouts.js';

function options(overrides: Partial<IntensityOptions> = {}): IntensityOptions {
  return { ...INTENSITY_DEFAULTS, ...overrides };
}

/** The history after restarts at the given times. */
function restartsAt(
  times: number[],
  opts: IntensityOptions,
  from?: IntensityState,
): IntensityState | undefined {
  let state = from;
  for (const at of times) state = recordRestart(state, at, opts);
  return state;
}

describe('restart intensity', () => {
  it('defaults: more than 5 restarts in a minute cool down for 30 s, growing to 300 s', () => {
    expect(INTENSITY_DEFAULTS).toEqual({
      maxRestarts: 5,
      withinMs: 60_000,
      // biome-ignore lint/suspicious/noThenProperty: a string, never callable, so never a thenable
      then: 'cool-down',
      coolDownMs: 30_000,
      maxCoolDownMs: 300_000,
      jitterRatio: 0.2,
    });
  });

  it('escalates on the restart after maxRestarts within the window, not before', () => {
    const opts = options({ maxRestarts: 3, withinMs: 10_000 });
    expect(intensityExceeded(undefined, opts)).toBe(false);
    expect(intensityExceeded(restartsAt([0, 1000, 2000], opts), opts)).toBe(false);
    expect(intensityExceeded(restartsAt([0, 1000, 2000, 3000], opts), opts)).toBe(true);
  });

  it('slides: a restart that left the window no longer counts', () => {
    const opts = options({ maxRestarts: 2, withinMs: 10_000 });
    // 0 is out of the window at 10 000 (the window is (now − withinMs, now]).
    expect(intensityExceeded(restartsAt([0, 5_000, 10_000], opts), opts)).toBe(false);
    expect(intensityExceeded(restartsAt([1, 5_000, 10_000], opts), opts)).toBe(true);
  });

  it('maxRestarts 0 escalates on the first restart', () => {
    const opts = options({ maxRestarts: 0 });
    expect(intensityExceeded(restartsAt([42], opts), opts)).toBe(true);
  });

  it('the cool-down grows linearly with consecutive escalations, up to the cap', () => {
    const opts = options({ coolDownMs: 1_000, maxCoolDownMs: 3_500 });
    expect([1, 2, 3, 4, 5].map((n) => baseCoolDownMs(n, opts))).toEqual([1_000, 2_000, 3_000, 3_500, 3_500]);
  });

  it('an escalation opens a fresh window and counts itself; a whole quiet window resets the count', () => {
    const opts = options({ maxRestarts: 1, withinMs: 10_000, coolDownMs: 1_000, jitterRatio: 0 });
    const first = escalate(restartsAt([0, 1_000], opts), 1_000, seedRandom(1), opts);
    expect(first.delayMs).toBe(1_000);
    expect(first.state).toEqual({ restarts: [], escalations: 1, quietSinceMs: 2_000, sick: true });
    // Restarts soon after the cool-down: consecutive, the next cool-down is twice as long.
    const again = restartsAt([5_000, 6_000], opts, first.state);
    expect(intensityExceeded(again, opts)).toBe(true);
    expect(escalate(again, 6_000, first.random, opts).delayMs).toBe(2_000);
    // A restart more than a window after the cool-down ended: the run starts again.
    const later = restartsAt([12_001, 12_500], opts, first.state);
    expect(later?.escalations).toBe(0);
    expect(escalate(later, 12_500, first.random, opts).delayMs).toBe(1_000);
  });

  it('property: cool-downs lie in [base × (1 − jitterRatio), base], are whole ms and reproducible', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 1_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 1_000 }),
        (seed, coolDownMs, extra, jitterRatio, escalations) => {
          const opts = options({ coolDownMs, maxCoolDownMs: coolDownMs + extra * 1_000, jitterRatio });
          const state: IntensityState = { restarts: [], escalations, quietSinceMs: 0, sick: false };
          const a = escalate(state, 0, seedRandom(seed), opts);
          const b = escalate(state, 0, seedRandom(seed), opts);
          const base = baseCoolDownMs(escalations + 1, opts);
          expect(a).toEqual(b);
          expect(Number.isInteger(a.delayMs)).toBe(true);
          expect(a.delayMs).toBeLessThanOrEqual(base);
          expect(a.delayMs).toBeGreaterThanOrEqual(Math.floor(base * (1 - jitterRatio)));
          expect(a.state.escalations).toBe(escalations + 1);
        },
      ),
    );
  });

  it('property: the history stays bounded and escalation matches a count over the window', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5_000 }), { maxLength: 60 }),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 1, max: 20_000 }),
        (gaps, maxRestarts, withinMs) => {
          const opts = options({ maxRestarts, withinMs });
          let now = 0;
          const times: number[] = [];
          let state: IntensityState | undefined;
          for (const gap of gaps) {
            now += gap;
            times.push(now);
            state = recordRestart(state, now, opts);
            expect(state.restarts.length).toBeLessThanOrEqual(maxRestarts + 1);
            const inWindow = times.filter((t) => t > now - withinMs).length;
            expect(intensityExceeded(state, opts)).toBe(inWindow > maxRestarts);
          }
        },
      ),
    );
  });

  it('what an escalation may do, and the share of escalated links that makes a service sick', () => {
    expect(INTENSITY_ACTIONS).toEqual(['cool-down', 'fail']);
    expect(DEGRADED_SHARE_DEFAULT).toBe(0.5);
    // More than the share, of live links; none live is never sick.
    expect(isDegraded(0, 0, 0.5)).toBe(false);
    expect(isDegraded(1, 0, 0)).toBe(false);
    expect(isDegraded(1, 2, 0.5)).toBe(false);
    expect(isDegraded(2, 3, 0.5)).toBe(true);
    expect(isDegraded(1, 1, 0)).toBe(true);
    expect(isDegraded(0, 1, 0)).toBe(false);
  });

  it('the cool-down: at least one step, capped by maxCoolDownMs and the longest timer, never NaN', () => {
    expect(baseCoolDownMs(0, options({ coolDownMs: 700, maxCoolDownMs: 10_000 }))).toBe(700);
    expect(baseCoolDownMs(3, options({ coolDownMs: 700, maxCoolDownMs: 10_000 }))).toBe(2_100);
    expect(baseCoolDownMs(2, options({ coolDownMs: MAX_TIMER_MS, maxCoolDownMs: 2 * MAX_TIMER_MS }))).toBe(
      MAX_TIMER_MS,
    );
    const huge = options({ coolDownMs: Number.MAX_VALUE, maxCoolDownMs: 5_000 });
    expect(baseCoolDownMs(10, huge)).toBe(5_000);
    expect(
      baseCoolDownMs(10, options({ coolDownMs: Number.MAX_VALUE, maxCoolDownMs: Number.POSITIVE_INFINITY })),
    ).toBe(MAX_TIMER_MS);
  });

  it('jitter: base × (1 − jitterRatio × draw), rounded; no draw without jitter or without a cool-down', () => {
    const opts = options({ coolDownMs: 10_000, maxCoolDownMs: 10_000, jitterRatio: 0.5 });
    const random = seedRandom(3);
    const draw = nextRandom(random);
    const out = escalate(undefined, 100, random, opts);
    expect(out.delayMs).toBe(Math.round(10_000 * (1 - 0.5 * draw.value)));
    expect(out.random).toBe(draw.state);
    expect(out.state).toEqual({ restarts: [], escalations: 1, quietSinceMs: 100 + out.delayMs, sick: true });
    expect(escalate(undefined, 0, random, { ...opts, jitterRatio: 0 })).toMatchObject({
      delayMs: 10_000,
      random,
    });
    expect(escalate(undefined, 0, random, { ...opts, coolDownMs: 0, maxCoolDownMs: 0 })).toMatchObject({
      delayMs: 0,
      random,
    });
  });

  it('a link that never restarted: no restarts, no escalations, quiet since 0, not sick', () => {
    expect(initialIntensityState()).toEqual({ restarts: [], escalations: 0, quietSinceMs: 0, sick: false });
  });

  it('a restart keeps the sick flag and the latest quiet time; quiet means MORE than a window', () => {
    const opts = options({ maxRestarts: 5, withinMs: 1_000 });
    const sick = { restarts: [], escalations: 2, quietSinceMs: 5_000, sick: true };
    expect(recordRestart(sick, 4_000, opts)).toEqual({
      restarts: [4_000],
      escalations: 2,
      quietSinceMs: 5_000,
      sick: true,
    });
    expect(recordRestart(sick, 6_000, opts)).toEqual({
      restarts: [6_000],
      escalations: 2,
      quietSinceMs: 6_000,
      sick: true,
    });
    expect(recordRestart(sick, 6_001, opts).escalations).toBe(0);
    expect(recordRestart(undefined, 9_999_999, opts)).toEqual({
      restarts: [9_999_999],
      escalations: 0,
      quietSinceMs: 9_999_999,
      sick: false,
    });
  });
});
