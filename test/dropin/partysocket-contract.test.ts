/**
 * partysocket 1.3's public contract on the drop-in class, against real ws servers on loopback:
 * send()'s boolean, drainQueuedMessages(), shouldReconnectOnClose, close()'s synchronous,
 * exactly-once close event (also while CONNECTING), the send-after-close warning and delivery
 * after reconnect(), reconnect() after maxRetries ran out, debug / debugLogger, the
 * shouldReconnect getter, the getters before the first connection, and the number of
 * connections for a sequence of server closes. test/dropin/differential/ runs the same kind of
 * scenarios against partysocket and reconnecting-websocket themselves.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CloseEvent } from '../../src/index.js';
import { ReconnectingWebSocket } from '../../src/index.js';
import { useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { dropIn, FAST, nextWsEvent, recordWs } from './helpers.js';

const CAP_MS = FAST.maxReconnectionDelay;

/** A ws server that records the text messages it receives, in order. */
async function recordingServer(
  h: ReturnType<typeof useHarness>,
  onConnection?: (n: number) => number | null,
) {
  const received: string[] = [];
  const server = await h.wsServer({
    onConnection: (ws) => {
      ws.on('message', (data) => received.push(String(data)));
      const code = onConnection?.(server.connections) ?? null;
      if (code !== null) ws.close(code, 'by the server');
    },
  });
  return { server, received };
}

describe('drop-in: partysocket 1.3 contract', () => {
  const h = useHarness();
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('send() returns true when handed to the open socket, false when buffered or dropped', async () => {
    const { server, received } = await recordingServer(h);
    const rws = dropIn(h, server.url, undefined, { ...FAST, maxEnqueuedMessages: 2 });
    expect([rws.send('q1'), rws.send('q2'), rws.send('q3')]).toEqual([false, false, false]);
    await nextWsEvent(rws, 'open');
    expect(rws.send('now')).toBe(true);
    await waitFor(() => received.length === 3, { message: 'the server received 3 messages' });
    expect(received).toEqual(['q1', 'q2', 'now']);
  });

  it('drainQueuedMessages() removes and returns the buffered messages; they are never sent', async () => {
    const { server, received } = await recordingServer(h);
    const rws = dropIn(h, server.url, undefined, { ...FAST, startClosed: true });
    const bytes = new Uint8Array([1, 2, 3]);
    rws.send('a');
    rws.send(bytes);
    expect(rws.bufferedAmount).toBe(4);
    const drained = rws.drainQueuedMessages();
    expect(drained).toHaveLength(2);
    expect(drained[0]).toBe('a');
    expect([...new Uint8Array((drained[1] as Uint8Array).buffer)]).toEqual([1, 2, 3]);
    expect(rws.bufferedAmount).toBe(0);
    expect(rws.drainQueuedMessages()).toEqual([]);
    rws.reconnect();
    await nextWsEvent(rws, 'open');
    rws.send('after');
    await waitFor(() => received.length === 1, { message: 'the server received "after"' });
    await sleep(50);
    expect(received).toEqual(['after']);
  });

  it('shouldReconnectOnClose(event) → false stops before the close listeners run; reconnect() re-enables', async () => {
    const { server } = await recordingServer(h, (n) => (n <= 2 ? 4000 : null));
    const order: string[] = [];
    const rws = dropIn(h, server.url, undefined, {
      ...FAST,
      shouldReconnectOnClose: (event) => {
        order.push(`decide:${event.code}:${event.reason}`);
        return false;
      },
    });
    rws.addEventListener('close', (event) => {
      order.push(`close:${event.code}:shouldReconnect=${rws.shouldReconnect}`);
    });
    await waitFor(() => order.length === 2, { message: 'decision and close' });
    expect(order).toEqual(['decide:4000:by the server', 'close:4000:shouldReconnect=false']);
    await sleep(3 * CAP_MS);
    expect(server.connections).toBe(1);
    expect(rws.readyState).toBe(ReconnectingWebSocket.CLOSED);

    rws.reconnect();
    expect(rws.shouldReconnect).toBe(true);
    await waitFor(() => server.connections === 2, { message: 'a second connection' });
    await waitFor(() => order.length === 4, { message: 'the second close' });
    await sleep(3 * CAP_MS);
    expect(server.connections).toBe(2);
  });

  it('shouldReconnectOnClose → true keeps reconnecting, also on a code the close table calls fatal', async () => {
    const { server } = await recordingServer(h, (n) => (n <= 2 ? 1008 : null));
    const codes: number[] = [];
    const rws = dropIn(h, server.url, undefined, {
      ...FAST,
      shouldReconnectOnClose: (event) => {
        codes.push(event.code);
        return true;
      },
    });
    await waitFor(() => server.connections === 3 && rws.readyState === rws.OPEN, { message: 'third open' });
    expect(codes).toEqual([1008, 1008]);
  });

  it('close() while OPEN dispatches close synchronously, once, in readyState CLOSED', async () => {
    const server = await h.wsServer();
    const rws = dropIn(h, server.url, undefined, FAST);
    const log = recordWs(rws);
    await nextWsEvent(rws, 'open');
    const states: number[] = [];
    rws.addEventListener('close', () => states.push(rws.readyState));
    rws.close(4001, 'bye');
    expect(log.lines).toEqual(['open', 'close:4001']);
    const event = log.of('close')[0] as CloseEvent;
    expect([event.code, event.reason, event.wasClean]).toEqual([4001, 'bye', true]);
    expect(states).toEqual([ReconnectingWebSocket.CLOSED]);
    expect(rws.readyState).toBe(ReconnectingWebSocket.CLOSED);
    await waitFor(() => server.clients.size === 0, { message: 'the server saw the close' });
    await sleep(3 * CAP_MS);
    expect(log.lines).toEqual(['open', 'close:4001']);
    expect(server.connections).toBe(1);
  });

  it('close() while CONNECTING (socket pending, and before any socket) dispatches close synchronously, once, no error', async () => {
    const tcp = await h.netServer(() => {}); // accepts TCP, never answers the upgrade
    const pending = dropIn(h, `ws://127.0.0.1:${tcp.port}`, undefined, FAST);
    const pendingLog = recordWs(pending);
    await waitFor(() => tcp.connections === 1, { message: 'the TCP connection' });
    expect(pending.readyState).toBe(ReconnectingWebSocket.CONNECTING);
    pending.close();
    expect(pendingLog.lines).toEqual(['close:1000']);
    expect((pendingLog.of('close')[0] as CloseEvent).wasClean).toBe(true);
    await sleep(3 * CAP_MS);
    expect(tcp.connections).toBe(1); // no further attempt

    const fresh = dropIn(h, `ws://127.0.0.1:${tcp.port}`, undefined, FAST);
    const freshLog = recordWs(fresh);
    fresh.close(4002, 'never mind');
    expect(freshLog.lines).toEqual(['close:4002']);
    await sleep(3 * CAP_MS);
    expect(pendingLog.lines).toEqual(['close:1000']);
    expect(freshLog.lines).toEqual(['close:4002']);
    expect(tcp.connections).toBeLessThanOrEqual(2);
  });

  it('close() inside a close listener, close() twice and reconnect() right after close() never dispatch a duplicate', async () => {
    const server = await h.wsServer();
    const rws = dropIn(h, server.url, undefined, FAST);
    const log = recordWs(rws);
    await nextWsEvent(rws, 'open');
    rws.addEventListener('close', () => rws.close());
    rws.close();
    rws.close();
    expect(log.lines).toEqual(['open', 'close:1000']);
    rws.reconnect();
    expect(log.lines).toEqual(['open', 'close:1000']);
    await waitFor(() => log.count('open') === 2, { message: 'open again' });
    expect(log.lines).toEqual(['open', 'close:1000', 'open']);
  });

  it('close() in the listener of a server close stops reconnecting; no second close event', async () => {
    const { server } = await recordingServer(h, () => 4000);
    const rws = dropIn(h, server.url, undefined, FAST);
    const log = recordWs(rws);
    rws.onclose = () => rws.close();
    await waitFor(() => log.count('close') === 1, { message: 'the close' });
    await sleep(3 * CAP_MS);
    expect(log.lines).toEqual(['open', 'close:4000']);
    expect(server.connections).toBe(1);
  });

  it('send() after close() warns once; the messages go out after reconnect(), and the warning resets', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { server, received } = await recordingServer(h);
    const rws = dropIn(h, server.url, undefined, FAST);
    await nextWsEvent(rws, 'open');
    rws.close();
    expect(rws.send('late-1')).toBe(false);
    expect(rws.send('late-2')).toBe(false);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/send\(\) was called after close\(\)/);
    rws.reconnect();
    await waitFor(() => received.length === 2, { message: 'the late messages' });
    expect(received).toEqual(['late-1', 'late-2']);
    rws.close();
    rws.send('again');
    expect(warn).toHaveBeenCalledTimes(2);
    // startClosed is not a close(): buffering there is the point, no warning.
    const idle = dropIn(h, server.url, undefined, { ...FAST, startClosed: true });
    idle.send('early');
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it('reconnect() works after maxRetries ran out', async () => {
    const kept = await h.keptPort();
    const rws = dropIn(h, kept.url(), undefined, { ...FAST, maxRetries: 1 });
    const log = recordWs(rws);
    await nextWsEvent(rws, 'failed');
    expect(log.count('close')).toBe(2); // the first attempt and its one retry
    const server = await h.wsServer(kept.behind);
    rws.reconnect();
    await nextWsEvent(rws, 'open');
    expect(server.connections).toBe(1);
  });

  it('debug logs through debugLogger with the RWS> prefix; without debug nothing is logged', async () => {
    const server = await h.wsServer();
    const lines: unknown[][] = [];
    const loud = dropIn(h, server.url, undefined, {
      ...FAST,
      debug: true,
      debugLogger: (...a) => lines.push(a),
    });
    await nextWsEvent(loud, 'open');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((line) => line[0] === 'RWS>')).toBe(true);
    const quiet: unknown[][] = [];
    const silent = dropIn(h, server.url, undefined, { ...FAST, debugLogger: (...a) => quiet.push(a) });
    await nextWsEvent(silent, 'open');
    silent.close();
    expect(quiet).toEqual([]);
  });

  it('getters before the first connection are partysocket’s; shouldReconnect follows close() and reconnect()', async () => {
    const server = await h.wsServer();
    // An async URL: no socket yet, as partysocket's before its first (0 ms timer) attempt. With a
    // string URL ours has its socket at once, and url says where it is connecting.
    const rws = dropIn(h, async () => server.url, ['p1'], FAST);
    expect([rws.url, rws.protocol, rws.extensions, rws.bufferedAmount, rws.readyState]).toEqual([
      '',
      '',
      '',
      0,
      ReconnectingWebSocket.CONNECTING,
    ]);
    expect(rws.shouldReconnect).toBe(true);
    rws.send('abc');
    expect(rws.bufferedAmount).toBe(3);
    await nextWsEvent(rws, 'open');
    expect(rws.url).toBe(new URL(server.url).href);
    rws.close();
    expect(rws.shouldReconnect).toBe(false);

    const closed = dropIn(h, server.url, undefined, { ...FAST, startClosed: true });
    expect([closed.url, closed.readyState, closed.shouldReconnect]).toEqual([
      '',
      ReconnectingWebSocket.CLOSED,
      false,
    ]);
    closed.reconnect();
    expect(closed.shouldReconnect).toBe(true);
  });

  it.each([4000, 1000, 1011])(
    'server closes the first 3 connections with %i: exactly 4 connections',
    async (code) => {
      const { server } = await recordingServer(h, (n) => (n <= 3 ? code : null));
      const rws = dropIn(h, server.url, undefined, FAST);
      const log = recordWs(rws);
      await waitFor(() => log.count('open') === 4, { message: 'the fourth open' });
      await sleep(3 * CAP_MS);
      expect(server.connections).toBe(4);
      expect(log.count('close')).toBe(3);
    },
  );
});
