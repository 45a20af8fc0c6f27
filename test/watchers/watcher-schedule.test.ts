/**
 * Health watchers under a simulated clock (TestClock): the startup schedule (the default backoff and a
 * custom one) and background polling.
 * No real time passes: every probe time is read from the test clock (watcher-env.ts, watcher-fixtures.ts).
 */
import { describe, expect, it } from 'vitest';
import { WATCHER_DEFAULTS } from '../../machines/policy/watcher.js';
import { useWatcherEnv } from './watcher-env.js';
import { advanceBy, scriptedProbe } from './watcher-fixtures.js';

const setup = useWatcherEnv();

/** Expected startup probe times with the default policy: 0, 2 s, 6 s, 14 s … gaps doubling to 60 s. */
function defaultStartupSchedule(): number[] {
  const { initialDelayMs, multiplier, maxDelayMs, maxAttempts } = WATCHER_DEFAULTS.backoff;
  const times = [0];
  for (let n = 1; n < maxAttempts; n++) {
    const gap = Math.min(maxDelayMs, initialDelayMs * multiplier ** (n - 1));
    times.push((times.at(-1) ?? 0) + gap);
  }
  return times;
}

describe('watcher: schedule', () => {
  it('startup: probes at 0, 2 s, 6 s, 14 s … doubling to the 60 s cap, at most 10; then polls every pollIntervalMs', async () => {
    const { clock, supervisor } = setup();
    const { calls, probe } = scriptedProbe(clock, ['fail']);
    const pollIntervalMs = 45_000;
    const watcher = supervisor.watch({ name: 'db', probe, pollIntervalMs });

    const startup = [0, 2_000, 6_000, 14_000, 30_000, 62_000, 122_000, 182_000, 242_000, 302_000];
    expect(defaultStartupSchedule()).toEqual(startup);

    await clock.advance(0);
    expect(calls).toEqual([0]);
    expect(watcher.status().state).toBe('starting');
    await advanceBy(clock, 302_000);
    expect(calls).toEqual(startup);
    expect(watcher.status()).toMatchObject({ state: 'down', ready: false, attempts: 10, probes: 10 });

    // Startup probes used up: background polling every pollIntervalMs, never again by backoff.
    await advanceBy(clock, 4 * pollIntervalMs);
    expect(calls).toEqual([...startup, 347_000, 392_000, 437_000, 482_000]);
    expect(watcher.status()).toMatchObject({ state: 'down', attempts: 10, probes: 14, failures: 14 });
  });

  it('a custom startup backoff is honoured (maxAttempts too)', async () => {
    const { clock, supervisor } = setup();
    const { calls, probe } = scriptedProbe(clock, ['fail']);
    supervisor.watch({
      name: 'api',
      probe,
      backoff: { initialDelayMs: 100, multiplier: 3, maxDelayMs: 1_000, maxAttempts: 5 },
      pollIntervalMs: 10_000,
    });
    await advanceBy(clock, 31_300, 100);
    // 0, +100, +300, +900, +1000 (capped); then every 10 s.
    expect(calls).toEqual([0, 100, 400, 1_300, 2_300, 12_300, 22_300]);
  });

  it('once ready it polls every pollIntervalMs', async () => {
    const { clock, supervisor } = setup();
    const { calls, probe } = scriptedProbe(clock, ['fail', 'fail', 'ok']);
    const watcher = supervisor.watch({ name: 'cache', probe, pollIntervalMs: 5_000 });
    await advanceBy(clock, 6_000);
    expect(calls).toEqual([0, 2_000, 6_000]);
    expect(watcher.isReady()).toBe(true);
    await advanceBy(clock, 15_000);
    expect(calls).toEqual([0, 2_000, 6_000, 11_000, 16_000, 21_000]);
    expect(watcher.status()).toMatchObject({ state: 'ready', attempts: 3, probes: 6, failures: 0 });
  });
});
