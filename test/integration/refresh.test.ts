/**
 * Credentials that refresh, against real servers on 127.0.0.1: a credentials rejection (HTTP 401,
 * close 3000, a close code listed in `authCloseCodes`) gets ONE attempt at once when the link has
 * a per-attempt function, which sees the rejection as `lastReason`; the second rejection in a row
 * is fatal; without a per-attempt function the first one is. The backoff is 30 s throughout: any
 * retry seen within the test's seconds is the refresh, not the schedule.
 */
import { describe, expect, it } from 'vitest';
import type { AttemptInfo, Reason } from '../../src/index.js';
import { rejectsCredentials } from '../../src/index.js';
import { nextEvent, recordEvents } from '../helpers/events.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';

const SLOW = { ...FAST, backoff: { ...FAST.backoff, initialDelayMs: 30_000, maxDelayMs: 30_000 } };

describe('integration: credentials that refresh', () => {
  const h = useHarness();

  it('HTTP 401 with a per-attempt URL: one attempt at once that sees the 401; a second 401 is fatal', async () => {
    const server = await h.upgradeServer((_request, socket) => {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
    });
    const supervisor = h.supervisor(SLOW);
    const seen: (Reason | null)[] = [];
    const link = supervisor.connect(({ lastReason }: AttemptInfo) => {
      seen.push(lastReason);
      return server.url;
    });
    const log = recordEvents(link);
    const failed = await nextEvent(link, 'failed');
    expect(failed.reason).toMatchObject({ kind: 'http', status: 401 });
    expect(server.upgrades).toBe(2);
    expect(seen).toEqual([null, expect.objectContaining({ kind: 'http', status: 401 })]);
    expect(rejectsCredentials(seen[1])).toBe(true);
    // The fresh attempt is announced (in 0 ms); the fatal second rejection is not a retry.
    expect(log.of('reconnecting')).toEqual([
      expect.objectContaining({ delayMs: 0, reason: expect.objectContaining({ status: 401 }) }),
    ]);
    await sleep(200);
    expect(server.upgrades).toBe(2);
  });

  it('a fresh token after a rejection (close 3000) gets the link ready', async () => {
    const server = await h.wsServer({
      onConnection: (ws, request) => {
        if (request.headers.authorization !== 'Bearer fresh') ws.close(3000, 'unauthorized');
      },
    });
    const supervisor = h.supervisor(SLOW);
    let fetched = 0;
    const link = supervisor.connect(server.url, {
      headers: ({ lastReason }) => {
        if (rejectsCredentials(lastReason)) fetched++;
        return { authorization: fetched > 0 ? 'Bearer fresh' : 'Bearer stale' };
      },
    });
    // The stale session opens, then is closed with 3000; the fresh one stays.
    await waitFor(() => link.status().readyCount >= 2, { message: 'a second session' });
    await sleep(100);
    expect(link.state).toBe('ready');
    expect(fetched).toBe(1);
    expect(server.connections).toBe(2);
  });

  it('a server that accepts then closes 3000 at once is not hammered: the second rejection before the link was stable fails it', async () => {
    const server = await h.wsServer({ onConnection: (ws) => ws.close(3000, 'unauthorized') });
    // Fast options, intensity off: neither the backoff nor the intensity could stop a loop of
    // retries made at once (they are decided before both).
    const supervisor = h.supervisor({ ...FAST, intensity: false });
    const seen: (Reason | null)[] = [];
    const link = supervisor.connect(({ lastReason }: AttemptInfo) => {
      seen.push(lastReason);
      return server.url;
    });
    const log = recordEvents(link);
    // Until failed, or a loop shows (hundreds of connections in seconds: 1,505 in 5 s); a generous
    // bound, not a window the link must fail in (a busy host takes seconds for two attempts).
    await waitFor(() => link.state === 'failed' || server.connections > 3, {
      timeoutMs: 20_000,
      message: 'failed, or a loop of connections',
    });
    await sleep(300);
    expect(server.connections).toBeLessThanOrEqual(3);
    expect(server.connections).toBe(2);
    expect(link.state).toBe('failed');
    expect(log.of('failed')).toEqual([{ reason: expect.objectContaining({ kind: 'close', code: 3000 }) }]);
    // What the per-attempt function sees is unchanged: nothing first, then the rejection.
    expect(seen).toEqual([null, expect.objectContaining({ kind: 'close', code: 3000 })]);
    expect(log.of('ready')).toHaveLength(2);
  });

  it('a token that expires during an outage right after a refresh: the retry through the backoff is followed by one fresh attempt, not failed', async () => {
    let n = 0;
    const server = await h.wsServer({
      onConnection: (ws) => {
        n += 1;
        // 1: expired; 2: the refreshed session, dropped 30 ms in (not stable: 5 s); 3: after the
        // backoff retry the cached token has expired meanwhile; 4: the fresh token stays.
        if (n === 1 || n === 3) ws.close(3000, 'expired');
        else if (n === 2) setTimeout(() => ws.terminate(), 30);
      },
    });
    const supervisor = h.supervisor({
      ...FAST,
      backoff: { ...FAST.backoff, stableAfterMs: 5_000 },
      intensity: false,
    });
    const seen: (Reason | null)[] = [];
    const link = supervisor.connect(({ lastReason }: AttemptInfo) => {
      seen.push(lastReason);
      return server.url;
    });
    const log = recordEvents(link);
    await waitFor(() => n >= 4 || link.state === 'failed', {
      timeoutMs: 5_000,
      message: 'a fourth connection',
    });
    await waitFor(() => link.state === 'ready', { message: 'ready with the fresh token' });
    expect(log.of('failed')).toEqual([]);
    expect(seen.map((r) => r && [r.kind, (r as { code?: number }).code])).toEqual([
      null,
      ['close', 3000],
      ['close', 1006],
      ['close', 3000],
    ]);
    // Both refreshes at once; the outage's retry through the backoff.
    expect(log.of<{ delayMs: number }>('reconnecting').map((r) => r.delayMs > 0)).toEqual([
      false,
      true,
      false,
    ]);
    await link.close();
  });

  it('a close code listed in authCloseCodes after the link was stable: refreshed at once each time; the same code unlisted retries with backoff', async () => {
    // The server expires the session 300 ms in, long after the link is stable (20 ms).
    const server = await h.wsServer({
      onConnection: (ws) => setTimeout(() => ws.close(4401, 'expired'), 300),
    });
    const supervisor = h.supervisor({
      ...SLOW,
      backoff: { ...SLOW.backoff, stableAfterMs: 20 },
      intensity: false,
    });
    const reasons: (Reason | null)[] = [];
    const marked = supervisor.connect(
      ({ lastReason }) => {
        reasons.push(lastReason);
        return server.url;
      },
      { authCloseCodes: [4401] },
    );
    const log = recordEvents(marked);
    await waitFor(() => marked.status().readyCount >= 3, { message: 'three sessions' });
    expect(reasons).toHaveLength(3);
    expect(reasons[0]).toBeNull();
    expect(reasons[1]).toMatchObject({ kind: 'close', code: 4401, auth: true });
    expect(reasons[2]).toMatchObject({ kind: 'close', code: 4401, auth: true });
    // Both refreshes at once (the backoff is 30 s).
    expect(log.of<{ delayMs: number }>('reconnecting').map((r) => r.delayMs)).toEqual([0, 0]);
    await marked.close();

    const unmarked = supervisor.connect(() => server.url);
    const reconnecting = await nextEvent(unmarked, 'reconnecting');
    expect(reconnecting.reason).toMatchObject({ kind: 'close', code: 4401 });
    expect(reconnecting.reason.auth).toBeUndefined();
  });

  it('close 3000 (IANA unauthorized) is a rejection by default; without a per-attempt function it is fatal', async () => {
    const server = await h.wsServer({ onConnection: (ws) => ws.close(3000, 'unauthorized') });
    const supervisor = h.supervisor(SLOW);
    const link = supervisor.connect(server.url);
    const failed = await nextEvent(link, 'failed');
    expect(failed.reason).toMatchObject({ kind: 'close', code: 3000 });
    expect(server.connections).toBe(1);
  });

  it('bad authCloseCodes name the option', () => {
    const supervisor = h.supervisor(FAST);
    for (const bad of [4401, ['4401'], [999], [5000], [4401.5]]) {
      expect(() => supervisor.connect('ws://127.0.0.1:1', { authCloseCodes: bad as never })).toThrow(
        /authCloseCodes/,
      );
    }
  });

  it('authCloseCodes with 1005, 1006 or 1015 (codes no peer sends; 1006 is every drop): refused, naming the option', () => {
    const supervisor = h.supervisor(FAST);
    for (const code of [1005, 1006, 1015]) {
      expect(() => supervisor.connect('ws://127.0.0.1:1', { authCloseCodes: [4401, code] })).toThrow(
        expect.objectContaining({ code: 'LV_ERR_INVALID_OPTION', option: 'authCloseCodes' }),
      );
    }
    expect(supervisor.list()).toEqual([]);
    expect(() => supervisor.connect('ws://127.0.0.1:1', { authCloseCodes: [1008, 4401] })).not.toThrow();
  });
});
