/**
 * The network policy (machines/policy/network.ts): the rejoin delay after `online` / `wake` is a
 * whole number of ms, uniform in [0, rejoinJitterMs], drawn from the PRNG state it is given and
 * capped at the longest timer; no jitter draws nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NETWORK_DEFAULTS, rejoinDelay, WAKE_COALESCE_MS } from '../../machines/policy/network.js';
import { nextRandom, seedRandom } from '../../machines/policy/random.js';
import { MAX_TIMER_MS } from '../../machines/policy/timeouts.js';

describe('network policy', () => {
  it('defaults: rejoin within 1 s of the network coming back; wakes within 1 s are one', () => {
    expect(NETWORK_DEFAULTS).toEqual({ rejoinJitterMs: 1_000 });
    expect(Object.isFrozen(NETWORK_DEFAULTS)).toBe(true);
    expect(WAKE_COALESCE_MS).toBe(1_000);
  });

  it('no jitter: 0 ms at once, and the PRNG state is not advanced', () => {
    const random = seedRandom(7);
    expect(rejoinDelay(random, { rejoinJitterMs: 0 })).toEqual({ delayMs: 0, random });
    expect(rejoinDelay(random, { rejoinJitterMs: -5 })).toEqual({ delayMs: 0, random });
  });

  it('one draw: round(value × rejoinJitterMs), and the PRNG state after that draw', () => {
    const random = seedRandom(42);
    const draw = nextRandom(random);
    expect(rejoinDelay(random, { rejoinJitterMs: 1_000 })).toEqual({
      delayMs: Math.round(draw.value * 1_000),
      random: draw.state,
    });
    // A 1 ms window: a draw of at least one half rounds up to 1.
    const half = [...Array(50).keys()].map((seed) => nextRandom(seedRandom(seed)));
    for (const [seed, d] of half.entries()) {
      expect(rejoinDelay(seedRandom(seed), { rejoinJitterMs: 1 }).delayMs).toBe(d.value >= 0.5 ? 1 : 0);
    }
  });

  it('a window beyond the longest timer is capped at it', () => {
    const seed = [...Array(200).keys()].find((s) => nextRandom(seedRandom(s)).value > 0.6) ?? 0;
    expect(rejoinDelay(seedRandom(seed), { rejoinJitterMs: 2 * MAX_TIMER_MS }).delayMs).toBe(MAX_TIMER_MS);
  });

  it('property: whole ms in [0, rejoinJitterMs], reproducible from the same state', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 120_000 }), (seed, rejoinJitterMs) => {
        const random = seedRandom(seed);
        const first = rejoinDelay(random, { rejoinJitterMs });
        expect(Number.isInteger(first.delayMs)).toBe(true);
        expect(first.delayMs).toBeGreaterThanOrEqual(0);
        expect(first.delayMs).toBeLessThanOrEqual(rejoinJitterMs);
        expect(first.random).not.toBe(random);
        expect(rejoinDelay(random, { rejoinJitterMs })).toEqual(first);
      }),
    );
  });
});
