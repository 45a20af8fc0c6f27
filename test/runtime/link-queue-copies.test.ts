/**
 * A binary message a link queues while not ready is copied once: the queue's copy (taken at
 * send(), src/runtime/outbound-queue.ts) is the very buffer the socket sends once the link is
 * ready, also when the socket compresses (the transports copy a message a compressing ws reads
 * later, test/runtime/ws-transport-copies.test.ts; not the queue's own copy, which no application
 * holds: src/transports/owned-payload.ts). Before: copied again at the flush. The mark is the
 * queue's copy's only while it is written: a buffer handed back to the application (`dropped`)
 * carries none, and neither does one the socket took. Real ws servers with permessage-deflate on
 * 127.0.0.1; ws's send() is only recorded, still run.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket as WS } from 'ws';
import type { Link } from '../../src/index.js';
import type { Queued } from '../../src/runtime/outbound-queue.js';
import { createBrowserTransport } from '../../src/transports/browser-transport.js';
import { takeOwned } from '../../src/transports/owned-payload.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { receivedShapes } from '../helpers/received-shapes.js';
import { waitFor } from '../helpers/wait.js';

const SIZE = 50_000;

/** What the link's queue holds (its own copies), oldest first. */
function queued(link: Link): Queued[] {
  const queue = (link.wire as unknown as { queue: { items: Queued[]; head: number } }).queue;
  return queue.items.slice(queue.head);
}

describe("a link's queued binary message is copied once", () => {
  const h = useHarness();
  const realSend = WS.prototype.send;
  afterEach(() => {
    WS.prototype.send = realSend;
  });

  /** Records what ws's send() is handed (the socket is ws's class, or a subclass of it). */
  function recordWrites(): unknown[] {
    const written: unknown[] = [];
    WS.prototype.send = function (this: WS, data: unknown, ...rest: unknown[]) {
      written.push(data);
      return (realSend as (...args: unknown[]) => void).call(this, data, ...rest);
    } as typeof realSend;
    return written;
  }

  for (const [socket, transport] of [
    ['the ws transport', undefined],
    ['the WebSocket-constructor adapter on a ws subclass', () => createBrowserTransport(class extends WS {})],
  ] as const)
    for (const perMessageDeflate of [{ threshold: 0 }, false] as const)
      it(`on ${socket}, ${perMessageDeflate ? 'compressing' : 'uncompressed'}: the socket sends the queue's own copy`, async () => {
        const server = await h.wsServer({ perMessageDeflate });
        const got = receivedShapes(server);
        const written = recordWrites();
        const link = h
          .supervisor({ ...FAST, networkSignals: false, ...(transport ? { transport: transport() } : {}) })
          .connect(server.url);
        const mine = new Uint8Array(SIZE).fill(1);
        expect(link.send(mine)).toBe('queued');
        mine.fill(9); // the sender's to reuse: the queue holds a copy
        const [copy] = queued(link);
        expect(copy?.data).not.toBe(mine);
        await link.ready();
        await waitFor(() => got.length === 1, { message: 'the queued message' });
        expect(got).toEqual([`${SIZE}:1,1`]);
        expect(written).toHaveLength(1);
        expect(written[0]).toBe(copy?.data); // no second copy
        // Written: the mark went with it (taken by the transport, or given back by the queue after).
        expect(takeOwned(copy?.data as Uint8Array)).toBe(false);
      });

  // The mark is the queue's copy's, never the sender's buffer: one buffer sent twice while
  // connecting, then twice while ready, refilled after each send(), arrives as it was at each send().
  it('one buffer sent four times, refilled after each: every message as it was at its send()', async () => {
    const server = await h.wsServer({ perMessageDeflate: { threshold: 0 } });
    const got = receivedShapes(server);
    const link = h.supervisor({ ...FAST, networkSignals: false }).connect(server.url);
    const mine = new Uint8Array(SIZE).fill(1);
    expect(link.send(mine)).toBe('queued');
    mine.fill(2);
    expect(link.send(mine)).toBe('queued');
    mine.fill(3);
    await link.ready();
    expect(link.send(mine)).toBe('sent');
    mine.fill(4);
    expect(link.send(mine)).toBe('sent');
    mine.fill(5);
    await waitFor(() => got.length === 4, { message: 'four messages' });
    expect(got).toEqual([1, 2, 3, 4].map((n) => `${SIZE}:${n},${n}`));
  });

  // Every kind of binary the application may hold, changed after send() while queued (a view over
  // a larger buffer, the buffer under it): arrives as it was at send(), on a compressing socket.
  it.each([
    ['an ArrayBuffer', (bytes: Uint8Array) => bytes.buffer as ArrayBuffer],
    ['a DataView over part of a buffer', (bytes: Uint8Array) => new DataView(bytes.buffer, 8, SIZE)],
    ['a Uint8Array subarray', (bytes: Uint8Array) => bytes.subarray(8, 8 + SIZE)],
    ['a Buffer over part of a buffer', (bytes: Uint8Array) => Buffer.from(bytes.buffer, 8, SIZE)],
    ['a Float64Array view', (bytes: Uint8Array) => new Float64Array(bytes.buffer, 8, SIZE / 8)],
  ])('%s changed after send() while queued: sent as it was', async (_kind, view) => {
    const server = await h.wsServer({ perMessageDeflate: { threshold: 0 } });
    const got = receivedShapes(server);
    const link = h.supervisor({ ...FAST, networkSignals: false }).connect(server.url);
    const under = new Uint8Array(SIZE + 16).fill(1);
    const data = view(under);
    const size = data.byteLength;
    expect(link.send(data)).toBe('queued');
    under.fill(7);
    await link.ready();
    expect(link.send(data)).toBe('sent');
    under.fill(8);
    await waitFor(() => got.length === 2, { message: 'two messages' });
    expect(got).toEqual([`${size}:1,1`, `${size}:7,7`]);
  });

  // Handed back to the application (overflow, the link ended): no mark, so the application's
  // sending it again is copied as any buffer of its own.
  it('a queued copy handed back (`dropped`: overflow, closed) carries no mark', async () => {
    const link = h
      .supervisor({ ...FAST, networkSignals: false })
      .connect('ws://127.0.0.1:9/', { queue: { maxMessages: 1, overflow: 'drop-oldest' } });
    const dropped: { reason: string; marked: boolean }[] = [];
    link.on('dropped', ({ data, reason }) => dropped.push({ reason, marked: takeOwned(data as Uint8Array) }));
    expect(link.send(new Uint8Array(4).fill(1))).toBe('queued');
    expect(link.send(new Uint8Array(4).fill(2))).toBe('queued');
    link.close();
    await link.ended();
    expect(dropped).toEqual([
      { reason: 'overflow', marked: false },
      { reason: 'closed', marked: false },
    ]);
  });

  // Refused by the socket at the flush (its send throws; uncompressed, the transport never looks
  // at the mark): reported as `dropped` (invalid), unmarked, and the messages after it still go.
  it('a queued copy the socket refuses at the flush: reported, unmarked, the rest sent', async () => {
    const server = await h.wsServer({ perMessageDeflate: false });
    const got = receivedShapes(server);
    WS.prototype.send = function (this: WS, data: unknown, ...rest: unknown[]) {
      if ((data as Uint8Array).byteLength === 3) throw new Error('refused');
      return (realSend as (...args: unknown[]) => void).call(this, data, ...rest);
    } as typeof realSend;
    const link = h.supervisor({ ...FAST, networkSignals: false }).connect(server.url);
    const dropped: { reason: string; marked: boolean }[] = [];
    link.on('dropped', ({ data, reason }) => dropped.push({ reason, marked: takeOwned(data as Uint8Array) }));
    link.on('error', () => {});
    expect(link.send(new Uint8Array(3).fill(1))).toBe('queued');
    expect(link.send(new Uint8Array(4).fill(2))).toBe('queued');
    await link.ready();
    await waitFor(() => got.length === 1, { message: 'the message after the refused one' });
    expect(got).toEqual(['4:2,2']);
    expect(dropped).toEqual([{ reason: 'invalid', marked: false }]);
  });
});
