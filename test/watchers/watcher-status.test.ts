/**
 * Health watchers under a simulated clock (TestClock): status() (its fields, plain JSON, the supervisor's
 * clock) and the redaction of credentials in what it reports.
 * No real time passes: every probe time is read from the test clock (watcher-env.ts, watcher-fixtures.ts).
 */
import { describe, expect, it } from 'vitest';
import { healthReport, type ProbeError } from '../../src/index.js';
import { useWatcherEnv } from './watcher-env.js';
import { scriptedProbe } from './watcher-fixtures.js';

const setup = useWatcherEnv();

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
