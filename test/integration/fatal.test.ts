/**
 * The close table against real servers: fatal close codes and HTTP statuses end the link with
 * no further attempt; application codes and 5xx retry, honouring Retry-After.
 */
import { describe, expect, it } from 'vitest';
import { LinkvisorError } from '../../src/index.js';
import { nextEvent, recordEvents } from '../helpers/events.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { rejectUpgrade } from '../helpers/servers.js';
import { sleep } from '../helpers/wait.js';

/** The backoff cap of FAST: a window of twice this would contain any retry. */
const CAP_MS = FAST.backoff.maxDelayMs;

describe('integration: fatal and retryable disconnects', () => {
  const h = useHarness();

  it.each([1008, 1002, 1003, 1007, 1009, 1010])(
    'server closes with %i: failed with that code, and no second connection',
    async (code) => {
      const server = await h.wsServer({ onConnection: (ws) => ws.close(code, 'go away') });
      const supervisor = h.supervisor(FAST);
      const link = supervisor.connect(server.url);
      const log = recordEvents(link);

      const failed = await nextEvent(link, 'failed');
      expect(failed.reason).toMatchObject({ kind: 'close', code });
      expect(link.state).toBe('failed');
      await expect(link.ready()).rejects.toMatchObject({ code: 'LV_ERR_LINK_FAILED' });
      expect(() => link.send('x')).toThrow(LinkvisorError);

      await sleep(2 * CAP_MS);
      expect(server.upgrades).toBe(1);
      expect(log.count('reconnecting')).toBe(0);
      expect(log.count('failed')).toBe(1);
      expect(link.status().failure).toMatchObject({ kind: 'close', code });
    },
  );

  it.each([4000, 4999, 1000, 1001, 1011, 1012, 1013])(
    'server closes with %i: retried, ready again on the next connection',
    async (code) => {
      const server = await h.wsServer({
        onConnection: (ws) => {
          if (server.connections === 1) ws.close(code, 'later');
        },
      });
      const supervisor = h.supervisor(FAST);
      const link = supervisor.connect(server.url);
      const log = recordEvents(link);

      const reconnecting = await nextEvent(link, 'reconnecting');
      expect(reconnecting.reason).toMatchObject({ kind: 'close', code });
      await nextEvent(link, 'ready');
      expect(server.connections).toBe(2);
      expect(log.count('failed')).toBe(0);
    },
  );

  it('HTTP 401 on the upgrade: failed (http 401), zero further attempts', async () => {
    const server = await h.upgradeServer((_request, socket) => {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
    });
    const supervisor = h.supervisor(FAST);
    const link = supervisor.connect(server.url);
    const log = recordEvents(link);

    const failed = await nextEvent(link, 'failed');
    expect(failed.reason).toMatchObject({ kind: 'http', status: 401 });
    expect(link.state).toBe('failed');
    await sleep(2 * CAP_MS);
    expect(server.upgrades).toBe(1);
    expect(log.count('reconnecting')).toBe(0);
  });

  // Redirects are not followed: a permanent one (moved for good) fails like the other statuses of a
  // wrong request, and so does a 2xx (not a WebSocket endpoint, or a proxy dropped the upgrade).
  it.each([
    [403, 'Forbidden'],
    [404, 'Not Found'],
    [400, 'Bad Request'],
    [301, 'Moved Permanently'],
    [308, 'Permanent Redirect'],
    [200, 'OK'],
    [204, 'No Content'],
  ])('HTTP %i %s on the upgrade: failed, zero further attempts', async (status, text) => {
    const server = await h.upgradeServer((_request, socket) =>
      rejectUpgrade(socket, status, text, ['Location: ws://127.0.0.1:1/elsewhere']),
    );
    const supervisor = h.supervisor(FAST);
    const link = supervisor.connect(server.url);

    const failed = await nextEvent(link, 'failed');
    expect(failed.reason).toMatchObject({ kind: 'http', status });
    await sleep(2 * CAP_MS);
    expect(server.upgrades).toBe(1);
  });

  it('HTTP 503 with Retry-After: 1: reconnecting with delayMs of at least 1000', async () => {
    const server = await h.upgradeServer((_request, socket) =>
      rejectUpgrade(socket, 503, 'Service Unavailable', ['Retry-After: 1']),
    );
    const supervisor = h.supervisor(FAST);
    const link = supervisor.connect(server.url);

    const reconnecting = await nextEvent(link, 'reconnecting');
    expect(reconnecting.reason).toMatchObject({ kind: 'http', status: 503, retryAfterMs: 1000 });
    expect(reconnecting.delayMs).toBeGreaterThanOrEqual(1_000);
    expect(link.status().nextDelayMs).toBeGreaterThanOrEqual(1_000);
    await link.close();
    expect(link.state).toBe('closed');
    expect(server.upgrades).toBe(1);
  });

  // 302, 303, 307: a temporary redirect (a proxy's maintenance page or sign-in): the URI stays right.
  it.each([429, 408, 502, 302, 303, 307])('HTTP %i on the upgrade is retried', async (status) => {
    const server = await h.upgradeServer((_request, socket) =>
      rejectUpgrade(socket, status, 'Nope', ['Location: ws://127.0.0.1:1/elsewhere']),
    );
    const supervisor = h.supervisor(FAST);
    const link = supervisor.connect(server.url);

    const reconnecting = await nextEvent(link, 'reconnecting');
    expect(reconnecting.reason).toMatchObject({ kind: 'http', status });
    await nextEvent(link, 'reconnecting');
    expect(server.upgrades).toBeGreaterThanOrEqual(2);
    expect(link.state).not.toBe('failed');
    // Retried for ever at the backoff cap (a sign-in page that never lets it through): the status
    // says why, the redirect's target (a sign-in URL may carry a token) nowhere in it.
    const { lastError } = link.status();
    expect(lastError).toMatchObject({ kind: 'http', status });
    expect(JSON.stringify(lastError)).not.toContain('elsewhere');
  });
});
