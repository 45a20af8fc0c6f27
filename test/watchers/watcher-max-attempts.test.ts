/**
 * A watcher's `backoff.maxAttempts` is the number of its startup probes, the first included (a
 * link's counts retries): 0 would be a watcher that never says whether its service is up, so it is
 * refused (LV_ERR_INVALID_OPTION naming `backoff.maxAttempts`); 1 is one startup probe, then
 * background polls. Simulated clock.
 */
import { describe, expect, it } from 'vitest';
import type { LinkvisorError } from '../../src/index.js';
import { useWatcherEnv } from './watcher-env.js';

const setup = useWatcherEnv();

function errorOf(run: () => unknown): LinkvisorError {
  try {
    run();
  } catch (error) {
    return error as LinkvisorError;
  }
  throw new Error('expected the call to throw');
}

describe('watcher: backoff.maxAttempts', () => {
  it('0 is refused, LV_ERR_INVALID_OPTION naming backoff.maxAttempts, nothing probed or kept; 1 is one startup probe', async () => {
    const { clock, supervisor } = setup();
    const calls: number[] = [];
    const probe = async () => {
      calls.push(clock.now());
      throw new Error('down');
    };
    const error = errorOf(() => supervisor.watch({ name: 'api', probe, backoff: { maxAttempts: 0 } }));
    expect(error).toMatchObject({
      name: 'LinkvisorError',
      code: 'LV_ERR_INVALID_OPTION',
      option: 'backoff.maxAttempts',
      message: expect.stringMatching(/at least 1.*got 0/),
    });
    // Below 0 the same words, not "between 0 and …" (0 is refused too).
    for (const bad of [-1, -0.5, Number.NEGATIVE_INFINITY])
      expect(
        errorOf(() => supervisor.watch({ name: 'api', probe, backoff: { maxAttempts: bad } })),
      ).toMatchObject({
        code: 'LV_ERR_INVALID_OPTION',
        option: 'backoff.maxAttempts',
        message: `backoff.maxAttempts: must be at least 1 (startup probes, the first included), got ${bad}`,
      });
    await clock.advance(1_000);
    expect(calls).toEqual([]);
    expect(supervisor.status().watchers).toEqual([]);
    // The name was not taken; 1 is the fewest: one startup probe, then background polls.
    const watcher = supervisor.watch({
      name: 'api',
      probe,
      backoff: { initialDelayMs: 100, maxAttempts: 1 },
      pollIntervalMs: 1_000,
    });
    for (let i = 0; i < 25; i++) await clock.advance(100);
    expect(calls).toEqual([1_000, 2_000, 3_000]);
    expect(watcher.status()).toMatchObject({ state: 'down', attempts: 1, probes: 3 });
  });

  it('Infinity and an omitted maxAttempts are taken; a backoff function is refused as such (a link may have one, a watcher not)', () => {
    const { supervisor } = setup();
    const probe = async () => {};
    expect(() =>
      supervisor.watch({ name: 'a', probe, backoff: { maxAttempts: Number.POSITIVE_INFINITY } }),
    ).not.toThrow();
    expect(() => supervisor.watch({ name: 'b', probe, backoff: { initialDelayMs: 10 } })).not.toThrow();
    const error = errorOf(() => supervisor.watch({ name: 'c', probe, backoff: (() => 10) as never }));
    expect(error).toMatchObject({ name: 'LinkvisorError', code: 'LV_ERR_INVALID_OPTION', option: 'backoff' });
    // Before: "must be an object or a function, got function".
    expect(error.message).toMatch(/must be an object, got function/);
  });
});
