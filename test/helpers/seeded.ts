/**
 * A seeded sequence of numbers in [0, 1) for tests that walk at random (the stepper's
 * differential walks, the secrets index's): the same sequence for a seed on every run. The draw is
 * the charts' own PRNG (machines/policy/random.ts, mulberry32), the seed taken as its state.
 */
import { nextRandom } from '../../machines/policy/random.js';

export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    const draw = nextRandom(state);
    state = draw.state;
    return draw.value;
  };
}
