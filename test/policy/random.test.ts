/**
 * The seeded PRNG (machines/policy/random.ts): range, determinism, rough uniformity, seeding.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextRandom, type RandomState, seedRandom } from '../../machines/policy/random.js';

/** `n` values from `state`, one stream. Bounded by `n`. */
function draws(state: RandomState, n: number): number[] {
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    const next = nextRandom(state);
    values.push(next.value);
    state = next.state;
  }
  return values;
}

/** Pearson's chi-square statistic of `values` in `buckets` equal buckets of [0, 1). */
function chiSquare(values: number[], buckets: number): number {
  const counts = new Array<number>(buckets).fill(0);
  for (const v of values) counts[Math.floor(v * buckets)]! += 1;
  const expected = values.length / buckets;
  return counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
}

describe('random', () => {
  it('values are in [0, 1) and states are unsigned 32-bit integers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (state) => {
        const { value, state: next } = nextRandom(state);
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThan(1);
        expect(Number.isInteger(next)).toBe(true);
        expect(next).toBeGreaterThanOrEqual(0);
        expect(next).toBeLessThan(2 ** 32);
      }),
      { numRuns: 1_000 },
    );
    // The extreme states too.
    for (const state of [0, 1, 2 ** 31, 2 ** 32 - 1]) {
      const v = nextRandom(state).value;
      expect(v >= 0 && v < 1).toBe(true);
    }
  });

  it('is deterministic: the same state gives the same value and next state', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (state) => {
        expect(nextRandom(state)).toEqual(nextRandom(state));
        expect(draws(state, 20)).toEqual(draws(state, 20));
      }),
      { numRuns: 200 },
    );
    expect(seedRandom(12345)).toBe(seedRandom(12345));
  });

  it('is roughly uniform (chi-square over 10 buckets, 10k draws)', () => {
    // 9 degrees of freedom: P(χ² > 27.9) = 0.001. The bound is loose on purpose.
    for (const seed of [0, 1, 42, -7, 2 ** 31]) {
      const values = draws(seedRandom(seed), 10_000);
      expect(chiSquare(values, 10)).toBeLessThan(35);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      expect(Math.abs(mean - 0.5)).toBeLessThan(0.02);
    }
  });

  it('successive values are not correlated (lag-1 pairs over a 4×4 grid)', () => {
    const values = draws(seedRandom(3), 10_001);
    const cells: number[] = [];
    for (let i = 0; i < 10_000; i++) {
      const a = Math.floor(values[i]! * 4);
      const b = Math.floor(values[i + 1]! * 4);
      cells.push((a * 4 + b + 0.5) / 16);
    }
    // 15 degrees of freedom: P(χ² > 37.7) = 0.001.
    expect(chiSquare(cells, 16)).toBeLessThan(45);
  });

  it('seedRandom turns any finite number into a valid state', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (seed) => {
        const state = seedRandom(seed);
        expect(Number.isInteger(state)).toBe(true);
        expect(state).toBeGreaterThanOrEqual(0);
        expect(state).toBeLessThan(2 ** 32);
      }),
      { numRuns: 500 },
    );
  });

  it('neighbouring seeds give unrelated first values', () => {
    const firsts = new Set<number>();
    for (let seed = 0; seed < 1_000; seed++)
      firsts.add(Math.floor(nextRandom(seedRandom(seed)).value * 1000));
    // 1000 draws into 1000 bins: about 632 distinct bins are expected for independent values.
    expect(firsts.size).toBeGreaterThan(560);
  });

  it('seedRandom rejects NaN and ±Infinity', () => {
    expect(() => seedRandom(Number.NaN)).toThrow(RangeError);
    expect(() => seedRandom(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => seedRandom(Number.NEGATIVE_INFINITY)).toThrow(RangeError);
  });
});
