/**
 * Health watchers under a simulated clock (TestClock): stop() during a probe and between probes, twice,
 * and supervisor.close().
 * No real time passes: every probe time is read from the test clock (watcher-env.ts, watcher-fixtures.ts).
 */
import { describe, expect, it, vi } from 'vitest';
import { useWatcherEnv } from './watcher-env.js';
import { hangingProbe, scriptedProbe } from './watcher-fixtures.js';

const setup = useWatcherEnv();

describe('watcher: stop', () => {
  it('stop() during a probe aborts it and resolves; no timer is left', async () => {
    const { clock, supervisor } = setup();
    const { signals, probe } = hangingProbe(clock);
    const watcher = supervisor.watch({ name: 'mid', probe, probeTimeoutMs: 10_000 });
    await clock.advance(1_000);
    expect(signals).toHaveLength(1);
    expect(signals[0]?.aborted).toBe(false);
    expect(clock.pending).toBeGreaterThan(0);

    await watcher.stop();
    expect(signals[0]?.aborted).toBe(true);
    expect(clock.pending).toBe(0);
    expect(watcher.status().state).toBe('stopped');
    expect(watcher.isReady()).toBe(false);
    expect(supervisor.watcher('mid')).toBeUndefined();
    // Idempotent, and nothing runs afterwards.
    await watcher.stop();
    await clock.advance(120_000);
    expect(signals).toHaveLength(1);
  });

  it('stop() twice is quiet: no XState warning about an event sent to a stopped actor', async () => {
    const { clock, supervisor } = setup();
    const { probe } = scriptedProbe(clock, ['ok']);
    const watcher = supervisor.watch({ name: 'twice', probe });
    await clock.advance(0);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      await watcher.stop();
      await watcher.stop();
      expect(warn.mock.calls.map((args) => String(args[0]).split('\n')[0])).toEqual([]);
    } finally {
      warn.mockRestore();
    }
  });

  it('stop() while waiting between probes clears the timer; supervisor.close() stops every watcher', async () => {
    const { clock, supervisor } = setup();
    const a = scriptedProbe(clock, ['fail']);
    const b = scriptedProbe(clock, ['ok']);
    const wa = supervisor.watch({ name: 'a', probe: a.probe });
    const wb = supervisor.watch({ name: 'b', probe: b.probe });
    await clock.advance(100);
    await wa.stop();
    expect(wa.status().state).toBe('stopped');
    expect(wb.isReady()).toBe(true);
    await supervisor.close();
    expect(wb.status().state).toBe('stopped');
    expect(clock.pending).toBe(0);
    expect(() => supervisor.watch({ name: 'c', probe: b.probe })).toThrow(
      expect.objectContaining({ code: 'LV_ERR_SUPERVISOR_CLOSED' }),
    );
  });
});
