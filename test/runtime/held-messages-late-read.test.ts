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
const messages = ['welcome', ...Array.from({ length: ALL }, (_, i) => `${i} ${'x'.repeat(i < 2 ? 1 : 2_000)}`)];

const handshake = async (session: HandshakeSession) => {
  session.send('hello');
  expect(String(await session.next())).toBe('welcome');
};

describe('held messages vs a socket handing over its read late (a ready listener reconnects)', () => {
  const h = useHarness();

  it.each([
    ['not paused', false],
    ['paused', true],
  ])('%s: held messages first, then the late ones, in order, each once', async (_name, pause) => {
    const sockets: WebSocket[] = [];
    const server = await h.wsServer({
      onConnection: (ws) => {
        sockets.push(ws);
        ws.on('message', (data) => {
          // The second socket answers the handshake only.
          if (String(data) === 'hello') writeOneRead(ws, sockets.length === 1 ? messages : ['welcome'], { from: 3 });
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
  }, 30_000);
});
