/**
 * Many messages held behind a handshake (a server that sends a backlog before the handshake is
 * done): their release after the ready step takes time linear in their number. It took each
 * message with `Array.prototype.shift()`, which copies the rest of an array too large for V8 to
 * trim in place (over ~16,000 elements): 100,000 held messages took ~10 s to release, quadratic
 * (src/runtime/held-messages.ts now walks them with an index). Also: a `message` listener that
 * pauses the link in the middle of the release gets nothing more until `resume()`, then the rest
 * in order. Real `ws` server on loopback.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import type { HandshakeSession } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { writeOneRead } from './one-read.js';

/** How many messages the server sends right behind the handshake's reply. */
const MANY = 100_000;
/** The release of MANY held messages, from `ready` to the last one delivered, in ms: linear, it
 * takes tens of ms (hundreds on a loaded host); quadratic, ~10 s. */
const RELEASE_BOUND_MS = 3_000;

describe('many messages held behind a handshake', () => {
  const h = useHarness();

  it(`${MANY.toLocaleString('en')} held: released in order, each once, within ${RELEASE_BOUND_MS} ms of ready`, async () => {
    let backlogSent: () => void = () => {};
    const sent = new Promise<void>((resolve) => {
      backlogSent = resolve;
    });
    const server = await h.wsServer({
      onConnection: (ws: WebSocket) =>
        ws.on('message', (data) => {
          if (String(data) !== 'hello') return;
          ws.send('welcome');
          for (let i = 0; i < MANY - 1; i++) ws.send(String(i));
          ws.send(String(MANY - 1), () => backlogSent());
        }),
    });
    const handshake = async (session: HandshakeSession) => {
      session.send('hello');
      expect(String(await session.next())).toBe('welcome');
      // The backlog is on its way: read (and held) while the handshake is still running.
      await sent;
      await sleep(300);
    };
    const link = h
      .supervisor({ ...FAST, networkSignals: false })
      .connect(server.url, { handshake, handshakeTimeoutMs: 30_000 });
    let readyAt = 0;
    let lastAt = 0;
    let inOrder = true;
    let count = 0;
    link.on('ready', () => {
      readyAt = performance.now();
    });
    link.on('message', (data) => {
      if (Number(String(data)) !== count) inOrder = false;
      count++;
      if (count === MANY) lastAt = performance.now();
    });
    await waitFor(() => count >= MANY, { timeoutMs: 40_000, message: 'every message delivered' });
    expect({ count, inOrder }).toEqual({ count: MANY, inOrder: true });
    expect(lastAt - readyAt).toBeLessThan(RELEASE_BOUND_MS);
  }, 60_000);
});

describe('a message listener that pauses among the held messages', () => {
  const h = useHarness();
  const BATCH = Array.from({ length: 6 }, (_, i) => `${i}`);

  it('the rest wait for resume(), then come in order, each once; nothing dropped', async () => {
    const server = await h.wsServer({
      onConnection: (ws: WebSocket) =>
        ws.on('message', (data) => String(data) === 'hello' && writeOneRead(ws, ['welcome', ...BATCH])),
    });
    const handshake = async (session: HandshakeSession) => {
      session.send('hello');
      expect(String(await session.next())).toBe('welcome');
    };
    const link = h.supervisor({ ...FAST, networkSignals: false }).connect(server.url, { handshake });
    const delivered: string[] = [];
    const dropped: string[] = [];
    link.on('message', (data) => {
      delivered.push(String(data));
      if (String(data) === '1') expect(link.pause()).toBe(true);
    });
    link.on('dropped', ({ data }) => dropped.push(String(data)));
    await waitFor(() => delivered.length >= 2, { message: 'the first two delivered' });
    await sleep(100);
    expect(delivered).toEqual(['0', '1']);
    expect(link.status().paused).toBe(true);
    expect(link.resume()).toBe(true);
    await waitFor(() => delivered.length >= BATCH.length, { message: 'the rest delivered on resume' });
    await sleep(50);
    expect({ delivered, dropped }).toEqual({ delivered: BATCH, dropped: [] });
  });
});
