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
  escalate,
  INTENSITY_DEFAULTS,
  type IntensityOptions,
  type IntensityState,
  intensityExceeded,
  recordRestart,
} from '../../machines/policy/intensity.js';
import { seedRandom } from '../../machines/policy/random.js';

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
});
