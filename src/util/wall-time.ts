/**
 * Wall time read through a supervisor's clock: timestamps a status reports (ISO strings) move
 * with that clock, so under a simulated clock they show simulated time, and under the system clock
 * (monotonic) a wall-clock step does not reorder them.
 */
import type { Clock } from './clock.js';

/**
 * Returns a reader of epoch ms that moves with `clock`: the wall time when it was made, plus the
 * clock's time since.
 */
export function wallTimeOf(clock: Clock): () => number {
  const offset = Date.now() - clock.now();
  return () => offset + clock.now();
}
