/**
 * The timings the race tests put between two calls, to hit the windows of the runtime's seams:
 * none (the same job), a microtask, a turn of the event loop, a few ms. Deterministic where a
 * window is a job or a microtask; the ms gaps only vary the interleaving with real sockets.
 */
import { nextTurn, sleep } from '../helpers/wait.js';

export const GAPS: readonly [string, () => Promise<void>][] = [
  ['same job', async () => {}],
  ['a microtask', () => Promise.resolve()],
  ['a turn', () => nextTurn()],
  ['1 ms', () => sleep(1)],
  ['4 ms', () => sleep(4)],
];

/** Polls `predicate` every 2 ms for up to `timeoutMs` (generous: a busy host). */
export async function until(predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error('until: condition not met in time');
    await sleep(2);
  }
}
