/**
 * Which events come, in which order, with which codes: a clean close from the server, refused
 * attempts (error, then close 1006 with the system error), fatal close codes and HTTP statuses
 * (the real code or status, `failed`, no retry), maxRetries, and the extras: shouldReconnect,
 * the application heartbeat, and the limits of a generic WebSocket constructor.
 */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { CloseEvent as DropInCloseEvent, ReconnectingEvent } from '../../src/entries/ws.js';
import { ReconnectingWebSocket } from '../../src/index.js';
import { useHarness } from '../helpers/harness.js';
import { BEHIND_HOST, rejectUpgrade } from '../helpers/servers.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { dropIn, FAST, nextWsEvent, recordWs } from './helpers.js';

const CAP_MS = FAST.maxReconnectionDelay;

/** A constructor that is not the `ws` class itself: it goes through the generic adapter. */
class OtherWebSocket extends WebSocket {}

describe('drop-in: events and their order', () => {
  const h = useHarness();

  it('server closes with 1000: open, message, close (clean, with its reason), reconnecting, open; no error', async () => {
    const server = await h.wsServer({
      onConnection: (ws) => {
        ws.send('hi');
        if (server.connections === 1) setTimeout(() => ws.close(1000, 'bye'), 10);
      },
    });
    const rws = dropIn(h, server.url, undefined, FAST);
    const log = recordWs(rws);
    await waitFor(() => log.count('open') === 2 && log.count('message') === 2, { message: 'second open' });
    expect(log.lines).toEqual(['open', 'message:hi', 'close:1000', 'reconnecting:1', 'open', 'message:hi']);
    const close = log.of('close')[0] as DropInCloseEvent;
    expect([close.reason, close.wasClean, close.detail.kind]).toEqual(['bye', true, 'close']);
  });

  it('refused attempts: error then close 1006 carrying ECONNREFUSED, then reconnecting with the schedule', async () => {
    const { port } = await h.keptPort();
    const rws = dropIn(h, `ws://${BEHIND_HOST}:${port}`, undefined, FAST);
    const log = recordWs(rws);
    await waitFor(() => log.count('reconnecting') === 3, { message: 'three retries planned' });
    rws.close();
    expect(log.lines.slice(0, 9)).toEqual([
      'error:error',
      'close:1006',
      'reconnecting:1',
      'error:error',
      'close:1006',
      'reconnecting:2',
      'error:error',
      'close:1006',
      'reconnecting:3',
    ]);
    const close = log.of('close')[0] as DropInCloseEvent;
    expect([close.wasClean, close.detail.errorCode]).toEqual([false, 'ECONNREFUSED']);
    // minReconnectionDelay × growFactor^(n-1), capped (jitter 'none')
    expect(log.of('reconnecting').map((e) => (e as ReconnectingEvent).delayMs)).toEqual([20, 40, 80]);
  });

  it.each([1008, 1002, 1003])(
    'server closes with %i: close with that code, failed, no retry',
    async (code) => {
      const server = await h.wsServer({ onConnection: (ws) => ws.close(code, 'no') });
      const rws = dropIn(h, server.url, undefined, FAST);
      const log = recordWs(rws);
      await nextWsEvent(rws, 'failed');
      await sleep(2 * CAP_MS);
      expect(log.lines).toEqual(['open', `close:${code}`, 'failed:close']);
      expect((log.of('close')[0] as DropInCloseEvent).reason).toBe('no');
      expect(server.connections).toBe(1);
      expect(rws.readyState).toBe(ReconnectingWebSocket.CLOSED);
    },
  );

  it('HTTP 401 on the upgrade: error, close 1006 with status 401, failed; one upgrade only', async () => {
    const server = await h.upgradeServer((_request, socket) => rejectUpgrade(socket, 401, 'Unauthorized'));
    const rws = dropIn(h, server.url, undefined, FAST);
    const log = recordWs(rws);
    await nextWsEvent(rws, 'failed');
    await sleep(2 * CAP_MS);
    expect(log.lines).toEqual(['error:http', 'close:1006', 'failed:http']);
    const close = log.of('close')[0] as DropInCloseEvent;
    expect([close.status, close.detail.status, close.wasClean]).toEqual([401, 401, false]);
    expect(server.upgrades).toBe(1);
  });

  it('maxRetries: 2 → three attempts, then failed (gave up); the last close keeps the real reason', async () => {
    const { port } = await h.keptPort();
    const rws = dropIn(h, `ws://${BEHIND_HOST}:${port}`, undefined, { ...FAST, maxRetries: 2 });
    const log = recordWs(rws);
    const failed = await nextWsEvent(rws, 'failed');
    expect((failed as unknown as { detail: { kind: string } }).detail.kind).toBe('gave-up');
    expect(log.count('close')).toBe(3);
    expect(log.count('reconnecting')).toBe(2);
    expect((log.of('close')[2] as DropInCloseEvent).detail.errorCode).toBe('ECONNREFUSED');
    expect(rws.retryCount).toBe(2);
  });

  it('shouldReconnect (extra): false for an application code stops retrying', async () => {
    const server = await h.wsServer({ onConnection: (ws) => ws.close(4401, 'token expired') });
    const rws = dropIn(h, server.url, undefined, {
      ...FAST,
      shouldReconnect: (reason) => reason.code !== 4401,
    });
    const log = recordWs(rws);
    await nextWsEvent(rws, 'failed');
    await sleep(2 * CAP_MS);
    expect(log.lines).toEqual(['open', 'close:4401', 'failed:close']);
    expect(server.connections).toBe(1);
  });

  it('heartbeat (extra, app mode): a peer that stops answering is found; the close says why; it reconnects', async () => {
    let answer = true;
    const server = await h.wsServer({
      onConnection: (ws) =>
        ws.on('message', (data) => {
          if (String(data) === 'ping' && answer) ws.send('pong');
        }),
    });
    const rws = dropIn(h, server.url, undefined, {
      ...FAST,
      heartbeat: {
        mode: 'app',
        intervalMs: 30,
        timeoutMs: 60,
        ping: () => 'ping',
        isPong: (data) => data === 'pong',
      },
    });
    const log = recordWs(rws);
    await nextWsEvent(rws, 'open');
    await waitFor(() => rws.link?.status().rttMs !== null, { message: 'a pong' });
    expect(log.count('message')).toBe(0); // pongs are not messages
    answer = false;
    const close = await nextWsEvent<DropInCloseEvent>(rws, 'close');
    expect([close.code, close.detail.kind]).toEqual([1006, 'heartbeat']);
    answer = true;
    // An open after that close (a 60 ms pong timeout can also lose a socket earlier on a busy host:
    // the count of opens before it is not always 1).
    const opens = log.count('open');
    await waitFor(() => log.count('open') > opens, { message: 'open again' });
  });

  it('a generic WebSocket constructor: works, but an HTTP 401 looks like 1006 and is retried (documented)', async () => {
    const echo = await h.wsServer({ onConnection: (ws) => ws.on('message', (d) => ws.send(`echo:${d}`)) });
    const rws = dropIn(h, echo.url, undefined, { ...FAST, WebSocket: OtherWebSocket });
    rws.send('hello');
    const message = await nextWsEvent<MessageEvent>(rws, 'message');
    expect(message.data).toBe('echo:hello');
    expect(rws.link?.status().state).toBe('ready');

    const denied = await h.upgradeServer((_request, socket) => rejectUpgrade(socket, 401, 'Unauthorized'));
    const other = dropIn(h, denied.url, undefined, { ...FAST, WebSocket: OtherWebSocket });
    const log = recordWs(other);
    await waitFor(() => log.count('reconnecting') >= 2, { message: 'two retries' });
    const close = log.of('close')[0] as DropInCloseEvent;
    expect([close.code, close.status]).toEqual([1006, undefined]);
    expect(log.count('failed')).toBe(0);
  });
});
