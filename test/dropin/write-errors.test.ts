/**
 * The drop-in and what applications hand it (issue 10, defects 2, 5, 6, 7 and the readyState of
 * close() before open): a bad or changed message never stops the queue nor keeps the socket in
 * CONNECTING; a message that cannot be written is reported (`dropped`, debugLogger), never as a
 * WebSocket `error` (which means the connection failed); binary queued while not OPEN is copied;
 * a close the peer never answers ends as 1006, not clean; bufferedAmount counts wire bytes.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { CloseEvent, DroppedEvent } from '../../src/entries/ws.js';
import { ReconnectingWebSocket } from '../../src/entries/ws.js';
import { useHarness } from '../helpers/harness.js';
import type { WsTestServer } from '../helpers/servers.js';
import { waitFor } from '../helpers/wait.js';
import { dropIn, FAST, nextWsEvent, recordWs } from './helpers.js';

function inbox(server: WsTestServer): unknown[] {
  const messages: unknown[] = [];
  server.wss.on('connection', (ws) =>
    ws.on('message', (data: Buffer, isBinary) => messages.push(isBinary ? [...data] : data.toString())),
  );
  return messages;
}

function detach(buffer: ArrayBufferLike): void {
  structuredClone(buffer, { transfer: [buffer as ArrayBuffer] });
}

/** A WebSocket class (the `WebSocket` option) whose send() refuses one payload. */
class PickyWebSocket extends WebSocket {
  override send(data: unknown, ...rest: unknown[]): void {
    if (data === 'boom') throw new TypeError('cannot write boom');
    (super.send as (...args: unknown[]) => void)(data, ...rest);
  }
}

describe('drop-in: bad and changed messages', () => {
  const h = useHarness();

  it("send('a'), send(ab), detach ab, send('b'): the server gets all three as sent, OPEN, open fires", async () => {
    const server = await h.wsServer();
    const messages = inbox(server);
    const rws = dropIn(h, server.url, undefined, FAST);
    const log = recordWs(rws);
    const ab = new Uint8Array([1, 2, 3]).buffer;
    rws.send('a');
    rws.send(ab);
    detach(ab);
    rws.send('b');
    await nextWsEvent(rws, 'open');
    expect(rws.readyState).toBe(ReconnectingWebSocket.OPEN);
    await waitFor(() => messages.length === 3, { message: 'three messages' });
    expect(messages).toEqual(['a', [1, 2, 3], 'b']);
    expect(log.count('error')).toBe(0);
    expect(rws.link?.actor.getSnapshot().status).toBe('active');
  });

  it('a Uint8Array, a Buffer and an ArrayBuffer queued while CONNECTING and changed afterwards are sent as queued', async () => {
    const server = await h.wsServer();
    const messages = inbox(server);
    const rws = dropIn(h, server.url, undefined, FAST);
    const u8 = new Uint8Array([1, 2]);
    const buf = Buffer.from([3, 4]);
    const ab = new Uint8Array([5, 6]).buffer;
    for (const data of [u8, buf, ab]) rws.send(data);
    u8.fill(0);
    buf.fill(0);
    new Uint8Array(ab).fill(0);
    await nextWsEvent(rws, 'open');
    await waitFor(() => messages.length === 3, { message: 'three messages' });
    expect(messages).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
  });

  it('a queued message the socket refuses: the others are delivered, OPEN, open fires; reported as dropped and to debugLogger, not as error', async () => {
    const server = await h.wsServer();
    const messages = inbox(server);
    const lines: string[] = [];
    const rws = dropIn(h, server.url, undefined, {
      ...FAST,
      WebSocket: PickyWebSocket,
      debug: true,
      debugLogger: (...args: unknown[]) => lines.push(args.map(String).join(' ')),
    });
    const log = recordWs(rws);
    const dropped: DroppedEvent[] = [];
    const retried: unknown[] = [];
    rws.addEventListener('dropped', (event) => {
      dropped.push(event);
      // A listener that retries: OPEN already, so the retry meets the refusal at once.
      try {
        rws.send(event.data);
      } catch (error) {
        retried.push((error as { code?: string }).code);
      }
    });
    for (const data of ['a', 'boom', 'b']) expect(rws.send(data)).toBe(false); // buffered
    await nextWsEvent(rws, 'open');
    expect(rws.readyState).toBe(ReconnectingWebSocket.OPEN);
    await waitFor(() => messages.length === 2, { message: 'two messages' });
    expect(messages).toEqual(['a', 'b']);
    expect(dropped.map((e) => [e.data, e.reason, e.error?.code])).toEqual([
      ['boom', 'invalid', 'LV_ERR_INVALID_DATA'],
    ]);
    expect(lines.some((line) => /dropped/.test(line) && /LV_ERR_INVALID_DATA|refused/.test(line))).toBe(true);
    expect(retried).toEqual(['LV_ERR_INVALID_DATA']);
    expect(rws.bufferedAmount).toBe(0);
    expect(log.count('error')).toBe(0);
    // Straight to an OPEN socket: the caller learns it at once.
    expect(() => rws.send('boom')).toThrow(expect.objectContaining({ code: 'LV_ERR_INVALID_DATA' }));
    rws.send('c');
    await waitFor(() => messages.length === 3, { message: 'the third message' });
  });

  it('a detached buffer passed to send() throws LV_ERR_INVALID_DATA, CONNECTING and OPEN', async () => {
    const server = await h.wsServer();
    const rws = dropIn(h, server.url, undefined, FAST);
    const ab = new ArrayBuffer(4);
    detach(ab);
    expect(() => rws.send(ab)).toThrow(expect.objectContaining({ code: 'LV_ERR_INVALID_DATA' }));
    expect(rws.bufferedAmount).toBe(0);
    await nextWsEvent(rws, 'open');
    const view = new Uint8Array(8);
    detach(view.buffer);
    expect(() => rws.send(view)).toThrow(expect.objectContaining({ code: 'LV_ERR_INVALID_DATA' }));
  });

  it("bufferedAmount counts wire bytes: '\\ud800\\u4e2d' is 6", async () => {
    const rws = new ReconnectingWebSocket('ws://127.0.0.1:1/', undefined, { ...FAST, startClosed: true });
    rws.send('\ud800\u4e2d');
    expect(rws.bufferedAmount).toBe(6);
    rws.send('\ud83d\ude00');
    expect(rws.bufferedAmount).toBe(10);
  });
});

describe('drop-in: close() as partysocket does', () => {
  const h = useHarness();

  it('close() to a peer that never answers the close frame: the close event at once, the socket ended after closeTimeoutMs', async () => {
    // Completes the upgrade, then reads nothing and answers nothing.
    const server = await h.upgradeServer((request, socket) => {
      const key = String(request.headers['sec-websocket-key']);
      const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
      );
    });
    const lines: string[] = [];
    const rws = dropIn(h, server.url, undefined, {
      ...FAST,
      closeTimeoutMs: 150,
      debug: true,
      debugLogger: (...args: unknown[]) => lines.push(args.map(String).join(' ')),
    });
    const log = recordWs(rws);
    await nextWsEvent(rws, 'open');
    const link = rws.link;
    rws.close(1000, 'bye');
    expect(rws.readyState).toBe(ReconnectingWebSocket.CLOSED);
    expect(log.lines).toEqual(['open', 'close:1000']);
    const started = Date.now();
    await link?.ended();
    // Ended by the close timeout, not by the peer (which never answers): at least ~150 ms later.
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(link?.state).toBe('closed');
    expect(log.lines).toEqual(['open', 'close:1000']);
  });

  it('close() to a peer that answers: the close event has the code and reason given, clean; the server gets them', async () => {
    const closes: [number, string][] = [];
    const server = await h.wsServer({
      onConnection: (ws) => ws.on('close', (code, reason) => closes.push([code, String(reason)])),
    });
    const rws = dropIn(h, server.url, undefined, FAST);
    await nextWsEvent(rws, 'open');
    const events: CloseEvent[] = [];
    rws.addEventListener('close', (event) => events.push(event));
    rws.close(4001, 'done');
    expect(events.map((e) => [e.code, e.reason, e.wasClean])).toEqual([[4001, 'done', true]]);
    await waitFor(() => closes.length === 1, { message: 'the server saw the close' });
    expect(closes).toEqual([[4001, 'done']]);
  });

  it('close() before open: CLOSED at once, one close event in readyState CLOSED, no error; closing again does nothing', async () => {
    const server = await h.netServer(() => {}); // accepts TCP, never answers the upgrade
    const rws = dropIn(h, `ws://127.0.0.1:${server.port}`, undefined, FAST);
    const seen: [string, number][] = [];
    for (const type of ['error', 'close'] as const) {
      rws.addEventListener(type, () => seen.push([type, rws.readyState]));
    }
    expect(rws.readyState).toBe(ReconnectingWebSocket.CONNECTING);
    rws.close();
    expect(rws.readyState).toBe(ReconnectingWebSocket.CLOSED);
    rws.close(); // again: nothing changes
    expect(seen).toEqual([['close', ReconnectingWebSocket.CLOSED]]);
    await rws.link?.ended();
    expect(seen).toEqual([['close', ReconnectingWebSocket.CLOSED]]);
  });
});
