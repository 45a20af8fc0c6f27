/**
 * A probe that ignores its abort signal and settles late: after its timeout (the watcher recorded
 * a failure at the timeout, `lastCheck` then) or after `stop()`. Its late answer changes nothing:
 * not `lastCheck`, not the state, the error, the counts or the callbacks. Simulated clock.
 */
import { describe, expect, it } from 'vitest';
import type { WatcherStatus } from '../../src/index.js';
import { useWatcherEnv } from './watcher-env.js';

const setup = useWatcherEnv();

/** Probes answer `ok` (or `fail` once, if `failFirst`) until `hang()`; then each ignores its
 * signal and waits for `settle()`. */
function lateProbe(failFirst = false) {
  let hanging = false;
  let failNext = failFirst;
  const held: { resolve: () => void; reject: (error: Error) => void }[] = [];
  return {
    probe: async () => {
      if (failNext) {
        failNext = false;
        throw new Error('refused');
      }
      if (!hanging) return;
      await new Promise<void>((resolve, reject) => held.push({ resolve, reject }));
    },
    hang: () => {
      hanging = true;
    },
    held: () => held.length,
    settle: async (outcome: 'ok' | 'fail') => {
      for (const h of held.splice(0)) {
        if (outcome === 'ok') h.resolve();
        else h.reject(new Error('late refusal'));
      }
      // Let the settled promise's handlers run.
      for (let i = 0; i < 5; i++) await Promise.resolve();
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

const at = (status: WatcherStatus) => Date.parse(status.lastCheck ?? '');

describe('a probe that settles after its timeout or after stop()', () => {
  for (const outcome of ['ok', 'fail'] as const) {
    it(`startup: timed out at probeTimeoutMs, lastCheck then; its late ${outcome} changes nothing`, async () => {
      const { clock, supervisor } = setup();
      const p = lateProbe(true);
      p.hang();
      const watcher = supervisor.watch({ name: 'db', probe: p.probe, probeTimeoutMs: 3_000 });
      await clock.advance(0);
      const refused = watcher.status();
      expect(refused.lastError).toEqual({ message: 'refused' });
      // The retry 2 s later hangs; it times out 3 s after that.
      await clock.advance(5_000);
      const timedOut = watcher.status();
      expect(timedOut.lastError).toEqual({ message: 'probe timed out after 3000 ms', timeout: true });
      expect(timedOut.state).toBe('starting');
      expect(timedOut.failures).toBe(2);
      expect(at(timedOut) - at(refused)).toBe(5_000);
      await clock.advance(1_000); // the retry waits 2 s: no probe runs now
      expect(p.held()).toBe(1);
      await p.settle(outcome);
      expect(watcher.status()).toEqual(timedOut);
    });
  }

  it('ready: a poll that hangs goes down at its timeout; its late success neither stamps lastCheck nor makes it ready', async () => {
    const { clock, supervisor } = setup();
    const p = lateProbe();
    const edges: string[] = [];
    const watcher = supervisor.watch({
      name: 'api',
      probe: p.probe,
      pollIntervalMs: 10_000,
      probeTimeoutMs: 500,
      onReady: () => edges.push('ready'),
      onDown: () => edges.push('down'),
    });
    await clock.advance(0);
    expect(watcher.isReady()).toBe(true);
    const first = at(watcher.status());
    p.hang();
    await clock.advance(10_500); // polled at 10 s, timed out at 10.5 s
    const down = watcher.status();
    expect(down.state).toBe('down');
    expect(at(down) - first).toBe(10_500);
    await p.settle('ok');
    expect(watcher.status()).toEqual(down);
    expect(watcher.isReady()).toBe(false);
    expect(edges).toEqual(['ready', 'down']);
  });

  for (const outcome of ['ok', 'fail'] as const) {
    it(`stop(): a probe in flight that answers ${outcome} afterwards leaves the stopped watcher as it was`, async () => {
      const { clock, supervisor } = setup();
      const p = lateProbe();
      const watcher = supervisor.watch({ name: 'cache', probe: p.probe, pollIntervalMs: 10_000 });
      await clock.advance(0);
      p.hang();
      await clock.advance(10_000);
      expect(p.held()).toBe(1);
      await watcher.stop();
      const stopped = watcher.status();
      expect(stopped.state).toBe('stopped');
      await clock.advance(1_000);
      await p.settle(outcome);
      expect(watcher.status()).toEqual(stopped);
    });
  }
});
