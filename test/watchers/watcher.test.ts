/**
 * Health watchers under a simulated clock (TestClock): the startup schedule, background polling,
 * one callback per edge, probe timeouts, misbehaving callbacks, stop(), option errors, status.
 * No real time passes: every probe time is read from the test clock.
 */
import { describe, expect, it, vi } from 'vitest';
import { WATCHER_DEFAULTS } from '../../machines/policy/watcher.js';
import { healthReport, LinkvisorError, type ProbeError, type WatcherOptions } from '../../src/index.js';
import type { TestClock } from '../../src/testing/index.js';
import { useWatcherEnv } from './watcher-env.js';

const setup = useWatcherEnv();

type Outcome = 'ok' | 'fail';

/**
 * A probe that answers from a script (then repeats its last answer), recording the clock time
 * of every call.
 */
function scriptedProbe(clock: TestClock, script: readonly Outcome[]) {
  const calls: number[] = [];
  const probe = async (_signal: AbortSignal) => {
    const outcome = script[Math.min(calls.length, script.length - 1)] ?? 'fail';
    calls.push(clock.now());
    if (outcome === 'fail') throw new Error(`probe ${calls.length} failed`);
  };
  return { calls, probe };
}

/** A probe that never settles by itself; it rejects when its signal aborts. */
function hangingProbe(clock: TestClock) {
  const signals: AbortSignal[] = [];
  const abortedAt: number[] = [];
  const probe = (signal: AbortSignal) =>
    new Promise<void>((_, reject) => {
      signals.push(signal);
      signal.addEventListener('abort', () => {
        abortedAt.push(clock.now());
        reject(new Error('aborted'));
      });
    });
  return { signals, abortedAt, probe };
}

/** Advances in steps of `stepMs` (timers scheduled on the way fire in order), at most `maxSteps`. */
async function advanceBy(clock: TestClock, totalMs: number, stepMs = 1_000): Promise<void> {
  const steps = Math.ceil(totalMs / stepMs);
  for (let i = 0; i < steps && i < 100_000; i++) await clock.advance(Math.min(stepMs, totalMs - i * stepMs));
}

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

describe('watcher: options', () => {
  const probe = async () => {};

  function errorOf(fn: () => unknown): LinkvisorError {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(LinkvisorError);
      return error as LinkvisorError;
    }
    throw new Error('expected a LinkvisorError');
  }

  it('missing or empty name, missing probe: LV_ERR_INVALID_OPTION naming the option', () => {
    const { supervisor } = setup();
    const noName = errorOf(() => supervisor.watch({ probe } as unknown as WatcherOptions));
    expect(noName).toMatchObject({ code: 'LV_ERR_INVALID_OPTION', option: 'name' });
    expect(noName.message).toMatch(/^name:/);
    expect(errorOf(() => supervisor.watch({ name: '  ', probe }))).toMatchObject({
      code: 'LV_ERR_INVALID_OPTION',
      option: 'name',
    });
    const noProbe = errorOf(() => supervisor.watch({ name: 'x' } as unknown as WatcherOptions));
    expect(noProbe).toMatchObject({ code: 'LV_ERR_INVALID_OPTION', option: 'probe' });
    expect(noProbe.message).toMatch(/^probe:/);
    expect(errorOf(() => supervisor.watch(undefined as unknown as WatcherOptions))).toMatchObject({
      code: 'LV_ERR_INVALID_OPTION',
    });
  });

  it('wrong types and unknown keys name the option', () => {
    const { supervisor } = setup();
    expect(errorOf(() => supervisor.watch({ name: 'x', probe, pollIntervalMs: 0 }))).toMatchObject({
      code: 'LV_ERR_INVALID_OPTION',
      option: 'pollIntervalMs',
    });
    expect(errorOf(() => supervisor.watch({ name: 'x', probe, probeTimeoutMs: -1 }))).toMatchObject({
      code: 'LV_ERR_INVALID_OPTION',
      option: 'probeTimeoutMs',
    });
    expect(
      errorOf(() => supervisor.watch({ name: 'x', probe, onReady: 'yes' } as unknown as WatcherOptions)),
    ).toMatchObject({ code: 'LV_ERR_INVALID_OPTION', option: 'onReady' });
    expect(
      errorOf(() => supervisor.watch({ name: 'x', probe, pollInterval: 5 } as unknown as WatcherOptions)),
    ).toMatchObject({ code: 'LV_ERR_UNKNOWN_OPTION', option: 'pollInterval' });
    expect(supervisor.status().watchers).toEqual([]);
  });

  it('a duplicate name: LV_ERR_DUPLICATE_ID naming `name`; the name is free again once stopped', async () => {
    const { supervisor } = setup();
    const first = supervisor.watch({ name: 'pg', probe });
    const duplicate = errorOf(() => supervisor.watch({ name: 'pg', probe }));
    expect(duplicate).toMatchObject({ code: 'LV_ERR_DUPLICATE_ID', option: 'name' });
    expect(duplicate.message).toBe('watch(): a watcher with this name exists');
    expect(supervisor.watcher('pg')).toBe(first);
    await first.stop();
    const second = supervisor.watch({ name: 'pg', probe });
    expect(supervisor.watcher('pg')).toBe(second);
  });
});

describe('watcher: status', () => {
  it('status() has name, state, ready, attempts, lastError, lastCheck, readySince, and is plain JSON', async () => {
    const { clock, supervisor } = setup();
    const { probe } = scriptedProbe(clock, ['fail', 'ok', 'ok', 'fail']);
    const watcher = supervisor.watch({ name: 'svc', probe, pollIntervalMs: 10_000 });

    const roundTrip = () => {
      const status = watcher.status();
      expect(JSON.parse(JSON.stringify(status))).toEqual(status);
      return status;
    };

    const before = roundTrip();
    expect(before).toMatchObject({
      name: 'svc',
      state: 'starting',
      ready: false,
      attempts: 1,
      readySince: null,
    });

    await clock.advance(0);
    const failed = roundTrip();
    expect(failed).toMatchObject({
      state: 'starting',
      ready: false,
      lastError: { message: 'probe 1 failed' },
    });
    expect(typeof failed.lastCheck).toBe('string');
    expect(Number.isNaN(Date.parse(failed.lastCheck ?? ''))).toBe(false);

    await clock.advance(2_000);
    const ready = roundTrip();
    expect(ready).toMatchObject({ name: 'svc', state: 'ready', ready: true, attempts: 2, failures: 0 });
    expect(typeof ready.readySince).toBe('string');
    expect(Number.isNaN(Date.parse(ready.readySince ?? ''))).toBe(false);

    await clock.advance(20_000);
    const down = roundTrip();
    expect(down).toMatchObject({
      state: 'down',
      ready: false,
      readySince: null,
      lastError: { message: 'probe 4 failed' },
    });

    for (const key of ['name', 'state', 'ready', 'attempts', 'lastError', 'lastCheck', 'readySince']) {
      expect(down).toHaveProperty(key);
    }
    expect(supervisor.status().watchers).toEqual([down]);
  });

  it('lastCheck and readySince are read from the supervisor clock: simulated time shows in them', async () => {
    const { clock, supervisor } = setup();
    const { calls, probe } = scriptedProbe(clock, ['fail', 'ok']);
    const watcher = supervisor.watch({ name: 'svc', probe, pollIntervalMs: 10_000 });
    await clock.advance(0);
    const firstCheck = Date.parse(watcher.status().lastCheck ?? '');
    await clock.advance(2_000);
    const ready = watcher.status();
    expect(ready.ready).toBe(true);
    const readySince = Date.parse(ready.readySince ?? '');
    // Only simulated time passed between them; the gaps are exactly the clock's.
    expect(readySince - firstCheck).toBe((calls[1] ?? 0) - (calls[0] ?? 0));
    await clock.advance(30_000);
    const later = watcher.status();
    expect(Date.parse(later.lastCheck ?? '') - firstCheck).toBe((calls.at(-1) ?? 0) - (calls[0] ?? 0));
    expect(Date.parse(later.lastCheck ?? '') - readySince).toBe(30_000);
    expect(Date.parse(later.readySince ?? '')).toBe(readySince);
  });

  it('an error message with a URL holding a password or token is redacted in status and callbacks', async () => {
    const { clock, supervisor } = setup();
    const downs: ProbeError[] = [];
    let n = 0;
    const watcher = supervisor.watch({
      name: 'pg',
      pollIntervalMs: 1_000,
      probe: async () => {
        n++;
        if (n === 1) return;
        const error = new Error(
          'connect ECONNREFUSED postgres://app:hunter2@db.internal:5432/main and https://api.example.com/v1?token=SECRET-42&x=1',
        ) as Error & { code: string };
        error.code = 'ECONNREFUSED';
        throw error;
      },
      onDown: (error) => {
        downs.push(error);
      },
    });
    await clock.advance(0);
    await clock.advance(1_000);
    const texts = [
      JSON.stringify(watcher.status()),
      JSON.stringify(watcher.lastError()),
      JSON.stringify(supervisor.status()),
      JSON.stringify(downs),
    ];
    for (const text of texts) {
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('SECRET-42');
    }
    const message = watcher.lastError()?.message ?? '';
    expect(message).toContain('db.internal:5432');
    expect(message).toContain('api.example.com');
    expect(watcher.lastError()?.code).toBe('ECONNREFUSED');
    expect(downs).toHaveLength(1);
  });

  it("credentials quoted in a probe's own error (Bearer, token=, password:) are redacted in status, callbacks and the health report", async () => {
    const { clock, supervisor } = setup();
    const downs: ProbeError[] = [];
    let n = 0;
    const watcher = supervisor.watch({
      name: 'api',
      pollIntervalMs: 1_000,
      probe: async () => {
        n++;
        if (n === 1) return;
        throw new Error(
          'GET /health 401 (sent Authorization: Bearer eyJhbGciOi.SECRET-1; api_key=SECRET-2, {"password": "SECRET-3"})',
        );
      },
      onDown: (error) => {
        downs.push(error);
      },
    });
    await clock.advance(0);
    await clock.advance(1_000);
    const texts = [
      JSON.stringify(watcher.status()),
      JSON.stringify(watcher.lastError()),
      JSON.stringify(healthReport(supervisor)),
      JSON.stringify(downs),
    ];
    for (const text of texts)
      for (const secret of ['SECRET-1', 'SECRET-2', 'SECRET-3']) expect(text).not.toContain(secret);
    expect(watcher.lastError()?.message).toMatch(
      /^GET \/health 401 \(sent Authorization: Bearer \[redacted\]; api_key=\[redacted\]/,
    );
    expect(downs).toHaveLength(1);
  });
});
