/**
 * A small seeded pseudo-random source whose whole state is one 32-bit integer, so it can live in
 * a machine's context, be inspected, snapshotted and replayed. Algorithm: mulberry32.
 *
 * Pure: `nextRandom(state)` returns the value and the next state; nothing is mutated.
 */

/** The PRNG state: an unsigned 32-bit integer. */
export type RandomState = number;

/** Turns any finite number (for example a test seed) into a valid PRNG state. */
export function seedRandom(seed: number): RandomState {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  // Mix the seed so that small neighbouring seeds do not give correlated first values.
  let h = Math.floor(seed) ^ 0x9e3779b9;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Draws a number in [0, 1) and returns it with the next state. */
export function nextRandom(state: RandomState): { value: number; state: RandomState } {
  const next = (state + 0x6d2b79f5) >>> 0;
  let t = next;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  const value = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  return { value, state: next };
}
