/**
 * A binary message sent while CONNECTING is copied once: the queue's copy (taken at send(), as a
 * WebSocket's send() takes the bytes as they are then) is the very buffer the socket sends on
 * open, also when the socket compresses (the transports copy a message a compressing ws reads
 * later, test/runtime/ws-transport-copies.test.ts; not the queue's own copy, which no application
 * holds). Before: copied again at the flush (the socket got a second copy, not the queue's).
 * On the ws transport and on the WebSocket-constructor adapter given a ws subclass; real ws
 * servers with permessage-deflate on 127.0.0.1; ws's send() is only recorded, still run.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocket as WS } from 'ws';
import { ReconnectingWebSocket } from '../../src/entries/ws.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

const SIZE = 50_000;

describe('drop-in: a queued binary message is copied once', () => {
  const h = useHarness();
  const realSend = WS.prototype.send;
  afterEach(() => {
    WS.prototype.send = realSend;
  });

  for (const [socket, WebSocket] of [
    ['the ws transport', undefined],
    ['the WebSocket-constructor adapter on a ws subclass', class extends WS {}],
  ] as const)
    it(`on ${socket}, compressing: the socket sends the queue's own copy`, async () => {
      const server = await h.wsServer({ perMessageDeflate: { threshold: 0 } });
      const got: string[] = [];
      server.wss.on('connection', (ws: WebSocket) =>
        ws.on('message', (data: Buffer) => got.push(`${data.length}:${data[0]},${data[data.length - 1]}`)),
      );
      const written: unknown[] = [];
      WS.prototype.send = function (this: WS, data: unknown, ...rest: unknown[]) {
        written.push(data);
        return (realSend as (...args: unknown[]) => void).call(this, data, ...rest);
      } as typeof realSend;
      const rws = new ReconnectingWebSocket(server.url, undefined, { heartbeat: false, WebSocket });
      h.defer(async () => {
        rws.close();
        await rws.link?.ended();
      });
      const mine = new Uint8Array(SIZE).fill(1);
      expect(rws.send(mine)).toBe(false);
      mine.fill(9); // the sender's to reuse: the queue holds a copy
      const queued = (rws as unknown as { queue: unknown[] }).queue[0];
      expect(queued).not.toBe(mine);
      await new Promise((resolve) => rws.addEventListener('open', resolve, { once: true }));
      expect(rws.extensions).toBe('permessage-deflate');
      await waitFor(() => got.length === 1, { message: 'the queued message' });
      expect(got).toEqual([`${SIZE}:1,1`]);
      expect(written).toHaveLength(1);
      expect(written[0]).toBe(queued); // no second copy
    });

  // The mark is the queue's copy's, never the sender's buffer: one buffer sent twice while
  // CONNECTING, then twice while OPEN, refilled after each send(), arrives as it was at each send().
  it('one buffer sent four times, refilled after each: every message as it was at its send()', async () => {
    const server = await h.wsServer({ perMessageDeflate: { threshold: 0 } });
    const got: string[] = [];
    server.wss.on('connection', (ws: WebSocket) =>
      ws.on('message', (data: Buffer) => got.push(`${data.length}:${data[0]},${data[data.length - 1]}`)),
    );
    const rws = new ReconnectingWebSocket(server.url, undefined, { heartbeat: false });
    h.defer(async () => {
      rws.close();
      await rws.link?.ended();
    });
    const mine = new Uint8Array(SIZE).fill(1);
    rws.send(mine);
    mine.fill(2);
    rws.send(mine);
    mine.fill(3);
    await new Promise((resolve) => rws.addEventListener('open', resolve, { once: true }));
    rws.send(mine);
    mine.fill(4);
    rws.send(mine);
    mine.fill(5);
    await waitFor(() => got.length === 4, { message: 'four messages' });
    expect(got).toEqual([1, 2, 3, 4].map((n) => `${SIZE}:${n},${n}`));
  });
});
