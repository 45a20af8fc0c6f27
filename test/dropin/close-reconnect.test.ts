/**
 * close() and reconnect() in every state: close() stops reconnecting for good (its close event
 * dispatched at once, as partysocket's); reconnect() works afterwards, also after close() during
 * the backoff wait (reconnecting-websocket's stuck lock); reconnect() while open closes with the
 * given code and resets the retry count; startClosed; close() while connecting; close() and
 * reconnect() called from an onclose handler.
 */
import { describe, expect, it } from 'vitest';
import { ReconnectingWebSocket } from '../../src/index.js';
import { useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { dropIn, FAST, nextWsEvent, recordWs } from './helpers.js';

const CAP_MS = FAST.maxReconnectionDelay;

describe('drop-in: close() and reconnect()', () => {
  const h = useHarness();

  it('close() while open: one clean close event, then no further connection', async () => {
    const server = await h.wsServer();
    const rws = dropIn(h, server.url, undefined, FAST);
    const log = recordWs(rws);
    await nextWsEvent(rws, 'open');
    rws.close();
    expect(log.lines).toEqual(['open', 'close:1000']); // dispatched before close() returned
    await sleep(3 * CAP_MS);
    expect(server.connections).toBe(1);
    expect(log.lines).toEqual(['open', 'close:1000']);
    expect(rws.readyState).toBe(ReconnectingWebSocket.CLOSED);
  });

  it('close() during the backoff wait, then reconnect(): connects at once, again and again (no stuck lock)', async () => {
    // Nothing listens on the kept port yet (refused); the server comes there later.
    const kept = await h.keptPort();
    const url = kept.url();
    // A long wait: if reconnect() waited for it, the test would time out.
    const rws = dropIn(h, url, undefined, {
      ...FAST,
      minReconnectionDelay: 60_000,
      maxReconnectionDelay: 60_000,
    });
    const log = recordWs(rws);
    await nextWsEvent(rws, 'reconnecting');
    expect(rws.readyState).toBe(ReconnectingWebSocket.CLOSED);
    rws.close();
    expect(log.count('close')).toBe(1); // the refused attempt's; closing while waiting adds none

    const server = await h.wsServer(kept.behind);
    for (let round = 1; round <= 3; round++) {
      const started = Date.now();
      rws.reconnect();
      expect(rws.readyState).toBe(ReconnectingWebSocket.CONNECTING);
      // Far below the 60 s wait, generous for a busy machine.
      await nextWsEvent(rws, 'open', 10_000);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(server.connections).toBe(round);
      rws.close();
      await sleep(20);
    }
    expect(server.connections).toBe(3);
  });

  it('close() during the backoff wait clears the wait: no attempt is made when it would have ended', async () => {
    const kept = await h.keptPort();
    const rws = dropIn(h, kept.url(), undefined, { ...FAST, minReconnectionDelay: 100 });
    await nextWsEvent(rws, 'reconnecting');
    rws.close();
    const server = await h.wsServer(kept.behind);
    await sleep(400);
    expect(server.upgrades).toBe(0);
    expect(rws.link?.state).toBe('closed');
  });

  it('reconnect() while open: closes with the given code (dispatching close), opens a new socket, resets retryCount', async () => {
    const closes: number[] = [];
    const server = await h.wsServer({ onConnection: (ws) => ws.on('close', (code) => closes.push(code)) });
    const rws = dropIn(h, server.url, undefined, FAST);
    const log = recordWs(rws);
    await nextWsEvent(rws, 'open');
    rws.reconnect(4001, 'switching');
    expect(log.lines).toEqual(['open', 'close:4001']);
    const close = log.of('close')[0] as CloseEvent;
    expect([close.reason, close.wasClean]).toEqual(['switching', true]);
    await waitFor(() => log.count('open') === 2, { message: 'open again' });
    await waitFor(() => closes.length === 1, { message: 'the server saw the old socket close' });
    expect(closes).toEqual([4001]);
    expect(server.connections).toBe(2);
    expect(rws.retryCount).toBe(0);
  });

  it('reconnect() after failing on a fatal close code: a fresh start that connects again', async () => {
    const server = await h.wsServer({
      onConnection: (ws) => {
        if (server.connections === 1) ws.close(1008, 'policy');
      },
    });
    const rws = dropIn(h, server.url, undefined, FAST);
    const log = recordWs(rws);
    await nextWsEvent(rws, 'failed');
    expect(rws.readyState).toBe(ReconnectingWebSocket.CLOSED);
    rws.reconnect();
    await nextWsEvent(rws, 'open');
    expect(log.lines).toEqual(['open', 'close:1008', 'failed:close', 'open']);
    expect(server.connections).toBe(2);
  });

  it('startClosed: CLOSED and no connection until reconnect()', async () => {
    const server = await h.wsServer();
    const rws = dropIn(h, server.url, undefined, { ...FAST, startClosed: true });
    expect(rws.readyState).toBe(ReconnectingWebSocket.CLOSED);
    expect(rws.link).toBeNull();
    await sleep(100);
    expect(server.upgrades).toBe(0);
    rws.reconnect();
    await nextWsEvent(rws, 'open');
    expect(server.connections).toBe(1);
  });

  it('close() from an onclose handler stops at once: no reconnecting event, no new connection', async () => {
    const server = await h.wsServer({ onConnection: (ws) => ws.close(4003, 'banned') });
    const rws = dropIn(h, server.url, undefined, FAST);
    const log = recordWs(rws);
    rws.onclose = (event) => {
      if (event.code === 4003) rws.close();
    };
    await waitFor(() => log.count('close') === 1, { message: 'the close' });
    await sleep(3 * CAP_MS);
    expect(log.lines).toEqual(['open', 'close:4003']);
    expect(server.connections).toBe(1);
    expect(rws.link?.state).toBe('closed');
  });

  it('reconnect() from an onclose handler: one new connection, at once', async () => {
    const server = await h.wsServer({
      onConnection: (ws) => {
        if (server.connections === 1) ws.close(4000, 'move');
      },
    });
    const rws = dropIn(h, server.url, undefined, {
      ...FAST,
      minReconnectionDelay: 60_000,
      maxReconnectionDelay: 60_000,
    });
    const log = recordWs(rws);
    let reconnected = false;
    rws.onclose = () => {
      if (!reconnected) {
        reconnected = true;
        rws.reconnect();
      }
    };
    // A hang guard, not a bound on reconnect(): far under the 60 s backoff it must not wait.
    await waitFor(() => log.count('open') === 2, { message: 'open twice', timeoutMs: 20_000 });
    expect(log.lines).toEqual(['open', 'close:4000', 'open']);
    expect(server.connections).toBe(2);
  });
});
