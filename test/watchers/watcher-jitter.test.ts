/**
 * A watcher's startup backoff with jitter (`backoff.jitter`, off by default) under a simulated
 * clock: without a `seed`, each watcher draws its own delays, as each link does, so the processes
 * of a fleet that start together spread their probes out; the same `seed` gives the same delays.
 *
 * Every watcher used to take seed 0: with jitter asked for, every watcher of every process drew
 * the same "random" delays, probing a recovering service all at once.
 */
import { describe, expect, it } from 'vitest';
import { useWatcherEnv } from './watcher-env.js';
import { advanceBy, scriptedProbe } from './watcher-fixtures.js';

const setup = useWatcherEnv();
const WATCHERS = 8;

/** When each of `WATCHERS` watchers (seed given or not) made its second startup probe. */
async function secondProbes(seed?: number): Promise<number[]> {
  const { clock, supervisor } = setup();
  const all = Array.from({ length: WATCHERS }, (_, i) => {
    const { calls, probe } = scriptedProbe(clock, ['fail']);
    supervisor.watch({
      name: `db${i}`,
      probe,
      backoff: { initialDelayMs: 10_000, maxDelayMs: 10_000, maxAttempts: 2, jitter: 'full' },
      pollIntervalMs: 3_600_000,
      ...(seed === undefined ? {} : { seed }),
    });
    return calls;
  });
  await advanceBy(clock, 10_000, 10);
  for (const calls of all) expect(calls).toHaveLength(2);
  return all.map((calls) => (calls[1] ?? 0) - (calls[0] ?? 0));
}

describe('watcher: startup jitter', () => {
  it('without a seed, each watcher draws its own delays', async () => {
    const delays = await secondProbes();
    for (const delay of delays) expect(delay).toBeLessThanOrEqual(10_000);
    // 8 uniform draws over 10 s in steps of 10 ms: all equal has a chance of 1 in 10^21.
    expect(new Set(delays).size).toBeGreaterThan(1);
  });

  it('the same seed: the same delays (reproducible)', async () => {
    const delays = await secondProbes(7);
    expect(new Set(delays).size).toBe(1);
  });
});
