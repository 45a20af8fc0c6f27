/**
 * `failuresBeforeDown` (Kubernetes' failureThreshold): one failed probe took a ready watcher down,
 * so a probe that flakes once an hour flapped ready → down → ready. Now a ready watcher goes down
 * at its Nth consecutive failure (a timeout is one; so is a poll that finds a timed-out probe still
 * running), stays ready before with `failures` and `lastError` telling, and a success resets the
 * count. Default 1, as before. Bad values: LV_ERR_INVALID_OPTION naming the option.
 */
import { describe, expect, it } from 'vitest';
import type { LinkvisorError, ProbeError } from '../../src/index.js';
import { useWatcherEnv } from './watcher-env.js';

const setup = useWatcherEnv();

describe('watcher: failuresBeforeDown', () => {
  it('3: two failures in a row keep it ready, a success resets, the third in a row is down (onDown once)', async () => {
    const { clock, supervisor } = setup();
    const answers: boolean[] = [true, false, false, true, false, false, false, false];
    const downs: ProbeError[] = [];
    const watcher = supervisor.watch({
      name: 'api',
      pollIntervalMs: 1_000,
      failuresBeforeDown: 3,
      probe: async () => {
        if (answers.shift() === false) throw new Error('refused');
      },
      onDown: (error) => downs.push(error),
    });
    await clock.advance(0);
    expect(watcher.isReady()).toBe(true);
    const seen: [boolean, number][] = [];
    for (let i = 0; i < 6; i++) {
      await clock.advance(1_000);
      seen.push([watcher.isReady(), watcher.status().failures]);
    }
    expect(seen).toEqual([
      [true, 1],
      [true, 2],
      [true, 0],
      [true, 1],
      [true, 2],
      [false, 3],
    ]);
    expect(watcher.lastError()).toEqual({ message: 'refused' });
    expect(downs).toEqual([{ message: 'refused' }]);
    await clock.advance(1_000);
    expect(downs).toHaveLength(1);
  });

  it('2: a timeout is a failure; a probe that honours its abort leaves nothing held', async () => {
    const { clock, supervisor } = setup();
    let hang = false;
    const watcher = supervisor.watch({
      name: 'slow',
      pollIntervalMs: 1_000,
      probeTimeoutMs: 100,
      failuresBeforeDown: 2,
      probe: (signal) =>
        hang
          ? new Promise<void>((_resolve, reject) =>
              signal.addEventListener('abort', () => reject(signal.reason)),
            )
          : undefined,
    });
    await clock.advance(0);
    expect(watcher.isReady()).toBe(true);
    hang = true;
    await clock.advance(1_100);
    expect(watcher.status()).toMatchObject({ ready: true, failures: 1, lastError: { timeout: true } });
    await clock.advance(1_100);
    expect(watcher.status()).toMatchObject({ state: 'down', ready: false, failures: 2 });
  });

  it('3: a probe that ignores its abort: the timeout and each poll held by it count, the third is down', async () => {
    const { clock, supervisor } = setup();
    let hang = false;
    let release: () => void = () => {};
    let probes = 0;
    const watcher = supervisor.watch({
      name: 'stuck',
      pollIntervalMs: 1_000,
      probeTimeoutMs: 100,
      failuresBeforeDown: 3,
      probe: () => {
        probes++;
        return hang ? new Promise<void>((resolve) => (release = resolve)) : undefined;
      },
    });
    await clock.advance(0);
    hang = true;
    await clock.advance(1_100);
    expect(watcher.status()).toMatchObject({ ready: true, failures: 1, probes: 2 });
    await clock.advance(1_000);
    expect(watcher.status()).toMatchObject({
      ready: true,
      failures: 2,
      probes: 2,
      lastError: { message: 'the last probe ignored its abort and is still running', timeout: true },
    });
    await clock.advance(1_000);
    expect(watcher.status()).toMatchObject({ state: 'down', failures: 3, probes: 2 });
    // Released, it is probed again at the next poll (held in down until then), and ready.
    hang = false;
    release();
    await clock.advance(1_000);
    expect(watcher.isReady()).toBe(true);
    expect(probes).toBe(3);
  });

  it('startup is not affected: a watcher never ready stays not ready whatever the threshold', async () => {
    const { clock, supervisor } = setup();
    const watcher = supervisor.watch({
      name: 'never',
      failuresBeforeDown: 5,
      backoff: { maxAttempts: 1 },
      probe: () => false,
    });
    await clock.advance(0);
    expect(watcher.status()).toMatchObject({ state: 'down', ready: false, failures: 1 });
  });

  it.each([0, -1, 1.5, 1_001, Number.NaN, Number.POSITIVE_INFINITY, '3', null])(
    'failuresBeforeDown %s: LV_ERR_INVALID_OPTION naming it',
    (value) => {
      const { supervisor } = setup();
      let error: LinkvisorError | undefined;
      try {
        supervisor.watch({ name: 'x', probe: () => {}, failuresBeforeDown: value as number });
      } catch (e) {
        error = e as LinkvisorError;
      }
      expect(error?.code).toBe('LV_ERR_INVALID_OPTION');
      expect(error?.option).toBe('failuresBeforeDown');
      expect(error?.message).toMatch(/^failuresBeforeDown: /);
    },
  );
});
