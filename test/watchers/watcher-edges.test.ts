/**
 * Health watchers under a simulated clock (TestClock): one callback per edge, never per probe; probe
 * timeouts; callbacks and probes that misbehave.
 * No real time passes: every probe time is read from the test clock (watcher-env.ts, watcher-fixtures.ts).
 */
import { describe, expect, it } from 'vitest';
import type { LinkvisorError, ProbeError } from '../../src/index.js';
import { useWatcherEnv } from './watcher-env.js';
import { advanceBy, hangingProbe, type Outcome, scriptedProbe } from './watcher-fixtures.js';

const setup = useWatcherEnv();

describe('watcher: edges', () => {
  it('exactly one onReady / onDown per edge across a flapping probe sequence, never per probe', async () => {
    const { clock, supervisor } = setup();
    const script: Outcome[] = [
      'ok',
      'ok',
      'fail',
      'fail',
      'ok',
      'fail',
      'ok',
      'ok',
      'ok',
      'fail',
      'fail',
      'ok',
    ];
    const { calls, probe } = scriptedProbe(clock, script);
    const edges: string[] = [];
    const downErrors: ProbeError[] = [];
    const watcher = supervisor.watch({
      name: 'flappy',
      probe,
      pollIntervalMs: 1_000,
      onReady: () => {
        edges.push('ready');
      },
      onDown: (error) => {
        edges.push('down');
        downErrors.push(error);
      },
    });
    const readiness: boolean[] = [];
    await clock.advance(0);
    readiness.push(watcher.isReady());
    for (let i = 1; i < script.length; i++) {
      await clock.advance(1_000);
      readiness.push(watcher.isReady());
    }
    expect(calls).toHaveLength(script.length);
    expect(readiness).toEqual(script.map((o) => o === 'ok'));
    // Edges: ok (ready) ok · fail (down) fail · ok (ready) · fail (down) · ok (ready) ok ok · fail (down) fail · ok (ready)
    expect(edges).toEqual(['ready', 'down', 'ready', 'down', 'ready', 'down', 'ready']);
    expect(downErrors.map((e) => e.message)).toEqual(['probe 3 failed', 'probe 6 failed', 'probe 10 failed']);
    expect(watcher.lastError()?.message).toBe('probe 11 failed');
  });

  it('failures during startup are not a down edge (it was never ready)', async () => {
    const { clock, supervisor } = setup();
    const { probe } = scriptedProbe(clock, ['fail', 'fail', 'fail', 'ok']);
    const edges: string[] = [];
    supervisor.watch({
      name: 'late',
      probe,
      onReady: () => edges.push('ready'),
      onDown: () => edges.push('down'),
    });
    await advanceBy(clock, 14_000);
    expect(edges).toEqual(['ready']);
  });

  it('a probe that hangs is aborted at probeTimeoutMs: its signal fires, the error says timeout', async () => {
    const { clock, supervisor } = setup();
    const { signals, abortedAt, probe } = hangingProbe(clock);
    const watcher = supervisor.watch({ name: 'slow', probe, probeTimeoutMs: 3_000 });
    await clock.advance(0);
    expect(signals).toHaveLength(1);
    await clock.advance(2_999);
    expect(signals[0]?.aborted).toBe(false);
    await clock.advance(1);
    expect(signals[0]?.aborted).toBe(true);
    expect(abortedAt).toEqual([3_000]);
    expect(watcher.lastError()).toEqual({ message: 'probe timed out after 3000 ms', timeout: true });
    expect(watcher.lastError()?.message).toMatch(/timed? ?out/);
    expect(watcher.status()).toMatchObject({ state: 'starting', attempts: 1, failures: 1 });

    // The next startup probe comes 2 s after the timeout, and is bounded the same way.
    await clock.advance(2_000);
    expect(signals).toHaveLength(2);
    await clock.advance(3_000);
    expect(signals[1]?.aborted).toBe(true);
    expect(abortedAt).toEqual([3_000, 8_000]);
  });

  it('a ready service whose probe hangs goes down at probeTimeoutMs, with the timeout as the reason', async () => {
    const { clock, supervisor } = setup();
    let hang = false;
    const signals: AbortSignal[] = [];
    const downs: ProbeError[] = [];
    const watcher = supervisor.watch({
      name: 'stuck',
      probeTimeoutMs: 500,
      pollIntervalMs: 1_000,
      probe: (signal) => {
        signals.push(signal);
        return hang ? new Promise<void>(() => {}) : Promise.resolve();
      },
      onDown: (error) => {
        downs.push(error);
      },
    });
    await clock.advance(0);
    expect(watcher.isReady()).toBe(true);
    hang = true;
    await clock.advance(1_000);
    expect(signals).toHaveLength(2);
    expect(watcher.isReady()).toBe(true);
    await clock.advance(500);
    expect(signals[1]?.aborted).toBe(true);
    expect(watcher.isReady()).toBe(false);
    expect(downs).toEqual([{ message: 'probe timed out after 500 ms', timeout: true }]);
  });

  it("onReady / onDown that throw, reject or never resolve do not break the watcher; each throw and rejection reaches the supervisor's error event", async () => {
    const { clock, supervisor } = setup();
    const errors: LinkvisorError[] = [];
    supervisor.on('error', (error) => errors.push(error));
    const script: Outcome[] = ['ok', 'fail', 'ok', 'fail', 'ok', 'fail', 'ok'];
    const { probe } = scriptedProbe(clock, script);
    const readyCalls: number[] = [];
    const downCalls: number[] = [];
    const watcher = supervisor.watch({
      name: 'rude',
      probe,
      pollIntervalMs: 1_000,
      onReady: () => {
        readyCalls.push(clock.now());
        const n = readyCalls.length;
        if (n === 1) throw new Error('onReady throws');
        if (n === 2) return Promise.reject(new Error('onReady rejects'));
        return new Promise(() => {}); // never resolves
      },
      onDown: () => {
        downCalls.push(clock.now());
        const n = downCalls.length;
        if (n === 1) return new Promise(() => {}); // never resolves
        if (n === 2) throw new Error('onDown throws');
        return Promise.reject(new Error('onDown rejects'));
      },
    });
    await clock.advance(0);
    for (let i = 1; i < script.length; i++) await clock.advance(1_000);
    expect(readyCalls).toEqual([0, 2_000, 4_000, 6_000]);
    expect(downCalls).toEqual([1_000, 3_000, 5_000]);
    expect(watcher.isReady()).toBe(true);
    expect(watcher.status().state).toBe('ready');
    // Reported, never swallowed: LV_ERR_LISTENER naming the callback, its error as the cause (a
    // rejection once it settles, a callback that never resolves says nothing).
    await clock.advance(0);
    const seen = errors.map((e) => [e.code, e.option, (e.cause as Error).message]);
    expect(seen).toEqual([
      ['LV_ERR_LISTENER', 'onReady', 'onReady throws'],
      ['LV_ERR_LISTENER', 'onReady', 'onReady rejects'],
      ['LV_ERR_LISTENER', 'onDown', 'onDown throws'],
      ['LV_ERR_LISTENER', 'onDown', 'onDown rejects'],
    ]);
    expect(errors[0]?.message).toBe("watcher 'rude': onReady() failed");
  });

  it('a probe that throws synchronously, or rejects with a non-Error, counts as a failure', async () => {
    const { clock, supervisor } = setup();
    let n = 0;
    const watcher = supervisor.watch({
      name: 'odd',
      probe: () => {
        n++;
        if (n === 1) throw new Error('sync throw');
        if (n === 2) return Promise.reject('a string');
        return undefined;
      },
    });
    await clock.advance(0);
    expect(watcher.lastError()).toEqual({ message: 'sync throw' });
    await clock.advance(2_000);
    expect(watcher.lastError()).toEqual({ message: 'a string' });
    await clock.advance(4_000);
    expect(watcher.isReady()).toBe(true);
  });
});
