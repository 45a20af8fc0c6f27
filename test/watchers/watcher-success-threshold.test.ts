/**
 * `successesBeforeUp` (Kubernetes' successThreshold; `failuresBeforeDown` is its twin): one success
 * made a down watcher ready, so a service that answers once between crashes flapped down → ready →
 * down. Now a down watcher is ready at its Nth consecutive success, stays down before with
 * `status().successes` telling, and a failure resets the count. Default 1, as before; startup is
 * not affected. Bad values: LV_ERR_INVALID_OPTION naming the option.
 */
import { describe, expect, it } from 'vitest';
import type { LinkvisorError } from '../../src/index.js';
import { useWatcherEnv } from './watcher-env.js';

const setup = useWatcherEnv();

describe('watcher: successesBeforeUp', () => {
  it('3: down, two successes keep it down, a failure resets, the third in a row is ready (onReady once more)', async () => {
    const { clock, supervisor } = setup();
    const answers: boolean[] = [true, false, true, true, false, true, true, true, true, true];
    let readies = 0;
    const watcher = supervisor.watch({
      name: 'api',
      pollIntervalMs: 1_000,
      successesBeforeUp: 3,
      probe: () => answers.shift(),
      onReady: () => void readies++,
    });
    await clock.advance(0);
    expect(watcher.isReady()).toBe(true);
    expect(readies).toBe(1);
    const seen: [string, number][] = [];
    for (let i = 0; i < 7; i++) {
      await clock.advance(1_000);
      seen.push([watcher.status().state, watcher.status().successes]);
    }
    expect(seen).toEqual([
      ['down', 0],
      ['down', 1],
      ['down', 2],
      ['down', 0],
      ['down', 1],
      ['down', 2],
      ['ready', 3],
    ]);
    expect(readies).toBe(2);
    expect(watcher.status()).toMatchObject({
      failures: 0,
      lastError: { message: 'the probe answered false' },
    });
    // A streak, counting on while ready (as `failures` does while down): 4, then 5.
    await clock.advance(1_000);
    await clock.advance(1_000);
    expect(watcher.status()).toMatchObject({ state: 'ready', successes: 5, failures: 0 });
  });

  it('with failuresBeforeDown 2: each threshold resets the other count; onDown once, onReady once more', async () => {
    const { clock, supervisor } = setup();
    // ready; F (tolerated) S; F F (down); S F (reset); S S (ready)
    const answers = [true, false, true, false, false, true, false, true, true];
    const edges: string[] = [];
    const watcher = supervisor.watch({
      name: 'api',
      pollIntervalMs: 1_000,
      failuresBeforeDown: 2,
      successesBeforeUp: 2,
      probe: () => answers.shift(),
      onReady: () => void edges.push('ready'),
      onDown: () => void edges.push('down'),
    });
    await clock.advance(0);
    const seen: [string, number, number][] = [];
    for (let i = 0; i < 8; i++) {
      await clock.advance(1_000);
      const { state, failures, successes } = watcher.status();
      seen.push([state, failures, successes]);
    }
    expect(seen).toEqual([
      ['ready', 1, 0],
      ['ready', 0, 1],
      ['ready', 1, 0],
      ['down', 2, 0],
      ['down', 0, 1],
      ['down', 1, 0],
      ['down', 0, 1],
      ['ready', 0, 2],
    ]);
    expect(edges).toEqual(['ready', 'down', 'ready']);
  });

  it('startup probes run out: down, and it counts to successesBeforeUp like any down watcher', async () => {
    const { clock, supervisor } = setup();
    const answers = [false, false, true, true];
    const watcher = supervisor.watch({
      name: 'db',
      pollIntervalMs: 1_000,
      successesBeforeUp: 2,
      backoff: { initialDelayMs: 100, maxAttempts: 2, jitter: 'none' },
      probe: () => answers.shift(),
    });
    await clock.advance(0);
    await clock.advance(100);
    expect(watcher.status()).toMatchObject({ state: 'down', attempts: 2, successes: 0 });
    await clock.advance(1_000);
    expect(watcher.status()).toMatchObject({ state: 'down', successes: 1 });
    await clock.advance(1_000);
    expect(watcher.status()).toMatchObject({ state: 'ready', successes: 2 });
  });

  it('startup is not affected: the first success of a starting watcher is ready', async () => {
    const { clock, supervisor } = setup();
    const watcher = supervisor.watch({ name: 'db', successesBeforeUp: 5, probe: () => {} });
    await clock.advance(0);
    expect(watcher.status()).toMatchObject({ state: 'ready', successes: 1 });
  });

  it('1 (the default): the first success of a down watcher is ready', async () => {
    const { clock, supervisor } = setup();
    const answers = [true, false, true];
    const watcher = supervisor.watch({ name: 'db', pollIntervalMs: 1_000, probe: () => answers.shift() });
    await clock.advance(1_000);
    expect(watcher.status().state).toBe('down');
    await clock.advance(1_000);
    expect(watcher.status().state).toBe('ready');
  });

  it.each([0, -1, 1.5, 1_001, Number.NaN, Number.POSITIVE_INFINITY, '3', null])(
    'successesBeforeUp %s: LV_ERR_INVALID_OPTION naming it',
    (value) => {
      const { supervisor } = setup();
      let error: LinkvisorError | undefined;
      try {
        supervisor.watch({ name: 'x', probe: () => {}, successesBeforeUp: value as number });
      } catch (e) {
        error = e as LinkvisorError;
      }
      expect(error?.code).toBe('LV_ERR_INVALID_OPTION');
      expect(error?.option).toBe('successesBeforeUp');
      expect(error?.message).toMatch(/^successesBeforeUp: /);
    },
  );

  it('1 000 is accepted', async () => {
    const { supervisor } = setup();
    expect(supervisor.watch({ name: 'x', probe: () => {}, successesBeforeUp: 1_000 }).name).toBe('x');
  });
});
