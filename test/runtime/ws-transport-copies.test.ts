/**
 * A binary message is the sender's to reuse once send() returned, as a WebSocket's (WHATWG: send()
 * takes the bytes as they are then), also when the ws transport's socket compresses. With
 * permessage-deflate negotiated (ws clients offer it; a server that enables it accepts), ws reads
 * the message on zlib's thread after send() returned and queues the next ones behind it as they
 * are: a buffer filled again right after send() went out as its new contents (the first torn,
 * half old, half new). Uncompressed, ws copies it into the frame itself. A supervisor's link and
 * the drop-in (Node: on the ws transport, and on the generic WebSocket-constructor adapter given a
 * ws subclass) on real ws servers on 127.0.0.1.
 */
import { describe, expect, it } from 'vitest';
import { type WebSocket, WebSocket as WS } from 'ws';
import { ReconnectingWebSocket } from '../../src/entries/ws.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { receivedShapes } from '../helpers/received-shapes.js';
import { waitFor } from '../helpers/wait.js';

const SIZE = 100_000;
const MESSAGES = 5;

/** Sends MESSAGES buffers of 1s, each filled with 9s right after its send() returned. */
function sendAndReuse(send: (data: Uint8Array) => unknown): void {
  for (let n = 0; n < MESSAGES; n++) {
    const buffer = new Uint8Array(SIZE).fill(1);
    send(buffer);
    buffer.fill(9);
  }
}

const EXPECTED = Array.from({ length: MESSAGES }, () => `${SIZE}:1,1`);

describe('ws transport: a binary message is copied when the socket compresses', () => {
  const h = useHarness();

  for (const perMessageDeflate of [{ threshold: 0 }, false] as const) {
    const name = perMessageDeflate ? 'compressed' : 'uncompressed (the control)';

    it(`a supervisor's link, ${name}: the bytes as they were at send()`, async () => {
      const server = await h.wsServer({ perMessageDeflate });
      const got = receivedShapes(server);
      const link = h.supervisor({ ...FAST, networkSignals: false }).connect(server.url);
      await link.ready();
      sendAndReuse((data) => expect(link.send(data)).toBe('sent'));
      await waitFor(() => got.length === MESSAGES, { message: `${MESSAGES} messages` });
      expect(got).toEqual(EXPECTED);
    });

    // `WebSocket: WS` itself takes the ws transport; a subclass of it (or another copy of ws, as
    // an application's own dependency may be) takes the generic WebSocket-constructor adapter,
    // which must copy too: it was torn there (the first message whole, the next ones all 9s).
    for (const [socket, WebSocket] of [
      ['the ws transport', undefined],
      ['the WebSocket-constructor adapter on a ws subclass', class extends WS {}],
    ] as const)
      it(`the drop-in on ${socket}, ${name}: the bytes as they were at send()`, async () => {
        const server = await h.wsServer({ perMessageDeflate });
        const got = receivedShapes(server);
        const rws = new ReconnectingWebSocket(server.url, undefined, { heartbeat: false, WebSocket });
        h.defer(async () => {
          rws.close();
          await rws.link?.ended();
        });
        await new Promise((resolve) => rws.addEventListener('open', resolve, { once: true }));
        expect(rws.extensions).toBe(perMessageDeflate ? 'permessage-deflate' : '');
        sendAndReuse((data) => expect(rws.send(data)).toBe(true));
        await waitFor(() => got.length === MESSAGES, { message: `${MESSAGES} messages` });
        expect(got).toEqual(EXPECTED);
      });
  }

  it('every binary type, compressed: views into a larger buffer, a DataView, a Float64Array, a pooled Buffer; text as is', async () => {
    const server = await h.wsServer({ perMessageDeflate: { threshold: 0 } });
    const got: string[] = [];
    server.wss.on('connection', (ws: WebSocket) =>
      ws.on('message', (data: Buffer, binary: boolean) =>
        got.push(binary ? data.toString('hex') : `text:${data}`),
      ),
    );
    const link = h.supervisor({ ...FAST, networkSignals: false }).connect(server.url);
    await link.ready();
    const memory = new ArrayBuffer(16);
    new Uint8Array(memory).forEach((_, i, bytes) => {
      bytes[i] = i;
    });
    const pooled = Buffer.from('abc'); // a slice of Node's shared pool
    const sent = [
      new Uint8Array(memory, 4, 4),
      new DataView(memory, 2, 3),
      new Float64Array(memory, 8, 1),
      new Uint16Array(memory, 6, 2),
      pooled,
      memory,
    ];
    for (const data of sent) expect(link.send(data)).toBe('sent');
    expect(link.send('text')).toBe('sent');
    new Uint8Array(memory).fill(0xff);
    pooled.fill(0);
    await waitFor(() => got.length === sent.length + 1, { message: 'every message' });
    expect(got).toEqual([
      '04050607',
      '020304',
      '08090a0b0c0d0e0f',
      '06070809',
      '616263',
      '000102030405060708090a0b0c0d0e0f',
      'text:text',
    ]);
  });

  // What ws's send() is handed: the application's own buffer unless the socket compresses. The
  // negotiation is read from the socket: offered and declined, or not offered, is no copy.
  it.each([
    ['the server declines', { server: false, client: undefined }, false],
    ['the client does not offer', { server: { threshold: 0 }, client: false }, false],
    ['negotiated', { server: { threshold: 0 }, client: undefined }, true],
  ] as const)(
    'permessage-deflate %s: a copy only when negotiated, text as is',
    async (_what, deflate, copied) => {
      const server = await h.wsServer({ perMessageDeflate: deflate.server });
      const got = receivedShapes(server);
      const link = h
        .supervisor({ ...FAST, networkSignals: false })
        .connect(server.url, deflate.client === false ? { wsOptions: { perMessageDeflate: false } } : {});
      await link.ready();
      // ws's own send(), recording what it is handed (the socket is ws's class: LinkSocket extends it).
      const original = WS.prototype.send;
      const handed: unknown[] = [];
      WS.prototype.send = function (this: WS, data: unknown, ...rest: unknown[]) {
        handed.push(data);
        return (original as (...args: unknown[]) => void).call(this, data, ...rest);
      } as typeof original;
      h.defer(() => {
        WS.prototype.send = original;
      });
      const bytes = new Uint8Array(8).fill(1);
      expect(link.send(bytes)).toBe('sent');
      expect(link.send('text')).toBe('sent');
      WS.prototype.send = original;
      expect(handed).toHaveLength(2);
      expect(handed[0] === bytes).toBe(!copied);
      expect(handed[0]).toEqual(bytes);
      expect(handed[1]).toBe('text');
      await waitFor(() => got.length === 2, { message: 'both messages' });
      expect(got[0]).toBe('8:1,1');
    },
  );
});
