/**
 * A `ready` listener that reconnects (paused or not) while the socket's read is still being handed
 * over (permessage-deflate: ws inflates the read's compressed messages one by one on zlib's
 * threads): the messages held behind the handshake came first on the wire and must come first to
 * the application, before what the terminated socket hands over late, each once, none dropped.
 * The read: the handshake's `welcome`, `0` and `1` as is (held: read after the handshake's last
 * read), then compressed `2`..: the socket is mid-read when the link is ready. Real `ws` server.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import type { HandshakeSession } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { writeOneRead } from './one-read.js';

const COMPRESSED = 30;
const ALL = COMPRESSED + 2;
const messages = [
  'welcome',
  ...Array.from({ length: ALL }, (_, i) => `${i} ${'x'.repeat(i < 2 ? 1 : 2_000)}`),
];

const handshake = async (session: HandshakeSession) => {
  session.send('hello');
  expect(String(await session.next())).toBe('welcome');
};

describe('held messages vs a socket handing over its read late (a ready listener reconnects)', () => {
  const h = useHarness();

  it.each([
    ['not paused', false],
    ['paused', true],
  ])(
    '%s: held messages first, then the late ones, in order, each once',
    async (_name, pause) => {
      const sockets: WebSocket[] = [];
      const server = await h.wsServer({
        onConnection: (ws) => {
          sockets.push(ws);
          ws.on('message', (data) => {
            // The second socket answers the handshake only.
            if (String(data) === 'hello')
              writeOneRead(ws, sockets.length === 1 ? messages : ['welcome'], { from: 3 });
          });
        },
        perMessageDeflate: { threshold: 0 },
      });
      const link = h.supervisor({ ...FAST, networkSignals: false }).connect(server.url, { handshake });
      const delivered: number[] = [];
      const dropped: number[] = [];
      link.on('message', (data) => delivered.push(Number.parseInt(String(data), 10)));
      link.on('dropped', ({ data }) => dropped.push(Number.parseInt(String(data), 10)));
      let readies = 0;
      link.on('ready', () => {
        if (++readies > 1) return;
        if (pause) expect(link.pause()).toBe(true);
        link.actor.send({ type: 'link.reconnect' });
      });
      await waitFor(() => readies === 2 && sockets.length === 2, { timeoutMs: 10_000 });
      // The old socket's late messages have come by now.
      await sleep(300);
      if (pause) expect(link.resume()).toBe(true);
      await waitFor(() => delivered.length + dropped.length >= ALL, { timeoutMs: 10_000 });
      await sleep(50);
      expect(dropped).toEqual([]);
      expect(delivered).toEqual(Array.from({ length: ALL }, (_, i) => i));
    },
    30_000,
  );
});

describe('a message listener of a held message that reconnects (the rest still being delivered)', () => {
  const h = useHarness();

  it.each([
    ['as is', 99, false],
    ['then a late read', 3, false],
    ['paused first, then a late read', 3, true],
  ])(
    '%s: every listener gets each message once, in order, none inside another',
    async (_name, from, pause) => {
      const sockets: WebSocket[] = [];
      const server = await h.wsServer({
        onConnection: (ws) => {
          sockets.push(ws);
          ws.on('message', (data) => {
            if (String(data) === 'hello')
              writeOneRead(ws, sockets.length === 1 ? messages : ['welcome'], { from });
          });
        },
        perMessageDeflate: { threshold: 0 },
      });
      const link = h.supervisor({ ...FAST, networkSignals: false }).connect(server.url, { handshake });
      const first: number[] = [];
      const second: number[] = [];
      const dropped: number[] = [];
      let depth = 0;
      let nested = 0;
      link.on('message', (data) => {
        if (depth > 0) nested++;
        depth++;
        const n = Number.parseInt(String(data), 10);
        first.push(n);
        if (n === 0) {
          if (pause) expect(link.pause()).toBe(true);
          link.actor.send({ type: 'link.reconnect' });
        }
        depth--;
      });
      link.on('message', (data) => second.push(Number.parseInt(String(data), 10)));
      link.on('dropped', ({ data }) => dropped.push(Number.parseInt(String(data), 10)));
      await waitFor(() => sockets.length === 2 && link.state === 'ready', { timeoutMs: 10_000 });
      if (pause) {
        await sleep(300);
        expect(link.resume()).toBe(true);
      }
      await waitFor(() => second.length + dropped.length >= ALL, { timeoutMs: 10_000 });
      await sleep(50);
      const all = Array.from({ length: ALL }, (_, i) => i);
      expect({ nested, dropped, first, second }).toEqual({ nested: 0, dropped: [], first: all, second: all });
    },
    30_000,
  );
});

describe('a message listener of a held message that terminates', () => {
  const h = useHarness();

  it('the rest are reported unread (each once, none delivered), all before closed', async () => {
    const server = await h.wsServer({
      onConnection: (ws) =>
        ws.on('message', (data) => String(data) === 'hello' && writeOneRead(ws, messages)),
    });
    const supervisor = h.supervisor({ ...FAST, networkSignals: false });
    const link = supervisor.connect(server.url, { handshake });
    const order: string[] = [];
    link.on('message', (data) => {
      order.push(`message ${Number.parseInt(String(data), 10)}`);
      void supervisor.terminate();
    });
    link.on('dropped', ({ data, reason }) =>
      order.push(`dropped ${Number.parseInt(String(data), 10)} ${reason}`),
    );
    link.on('closed', () => order.push('closed'));
    await link.ended();
    await sleep(50);
    expect(order).toEqual([
      'message 0',
      ...Array.from({ length: ALL - 1 }, (_, i) => `dropped ${i + 1} unread`),
      'closed',
    ]);
  });
});
