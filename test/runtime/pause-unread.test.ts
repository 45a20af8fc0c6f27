/**
 * A paused link that ends accounts for every message its peer sent on the socket (docs/links.md,
 * "Pausing"): each is delivered or reported `dropped` with reason `unread`, never lost silently.
 * On a real `ws` server on loopback: `close()` of a paused link reads its socket again until the
 * close is answered (TCP keeps the order, so every message sent before the answer is read) and ends
 * on that answer, not on the close timeout; a paused socket that is terminated (no close
 * handshake) first hands over what Node had read and ws had not parsed (ws would parse it once the
 * socket is gone, too late to tell).
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { FAST, useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { numbered, sendAll } from './send-all.js';
import { unreadReports } from './unread-reports.js';

/** Well beyond Node's stream buffer and the kernel's: most of it waits in the server. */
const N = 3_000;
const BODY = 'x'.repeat(300);

describe('a paused link that ends reports every message it did not deliver', () => {
  const h = useHarness();

  /** '': plain; compressed: permessage-deflate (ws inflates on zlib's threads); deferred: ws's
   * `allowSynchronousEvents: false` (one message per turn). Both hand messages over late. */
  type Kind = '' | 'compressed' | 'deferred';

  async function pausedLink(closeTimeoutMs: number, kind: Kind = '') {
    const sockets: WebSocket[] = [];
    const server = await h.wsServer({
      onConnection: (ws) => sockets.push(ws),
      ...(kind === 'compressed' ? { perMessageDeflate: { threshold: 0 } } : {}),
    });
    const supervisor = h.supervisor({ ...FAST, closeTimeoutMs, networkSignals: false });
    const link = supervisor.connect(server.url, {
      heartbeat: { intervalMs: 200, timeoutMs: 300 },
      ...(kind === 'deferred' ? { wsOptions: { allowSynchronousEvents: false } } : {}),
    });
    const delivered: number[] = [];
    link.on('message', (data) => delivered.push(Number.parseInt(String(data), 10)));
    const { unread, events } = unreadReports(link);
    await link.ready();
    return { supervisor, link, sockets, peer: () => sockets[0] as WebSocket, delivered, unread, events };
  }

  for (const kind of ['', 'compressed'] as const) {
    it(`close()${kind && `, ${kind}`}: the socket reads to the close’s answer; delivered + dropped(unread) = N, in order`, async () => {
      const { link, peer, delivered, unread, events } = await pausedLink(20_000, kind);
      for (let i = 0; i < 10; i++) peer().send(`${i} ${BODY}`);
      await waitFor(() => delivered.length === 10);
      expect(link.pause()).toBe(true);
      for (let i = 10; i < N; i++) peer().send(`${i} ${BODY}`);
      await sleep(100);
      expect(delivered).toHaveLength(10);
      const started = Date.now();
      await link.close();
      // Ended on the server's answer, not on the (20 s) close timeout.
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(delivered.length + unread.length).toBe(N);
      expect([...delivered, ...unread]).toEqual(Array.from({ length: N }, (_, i) => i));
      expect(events).toEqual(['dropped', 'closed']);
    }, 30_000);
  }

  // On a compressed socket (permessage-deflate, which ws clients offer by default) ws inflates the
  // messages on zlib's threads, after the terminate: the link's end waits for ws's 'close'.
  for (const kind of ['', 'compressed', 'deferred'] as const) {
    it(`terminated while paused${kind && `, ${kind}`}: what Node had read and ws had not parsed is reported, before closed`, async () => {
      const { supervisor, link, peer, delivered, unread, events } = await pausedLink(2_000, kind);
      expect(link.pause()).toBe(true);
      // In the client's stream buffer (a paused ws socket parses nothing), well under its high-water mark.
      await sendAll(peer(), numbered(0, 20, BODY));
      await supervisor.terminate();
      expect(delivered).toEqual([]);
      expect(unread).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expect(events).toEqual(['dropped', 'closed']);
      // And nothing after closed.
      await sleep(100);
      expect(unread).toHaveLength(20);
      expect(events).toEqual(['dropped', 'closed']);
    });
  }

  it('a compressed socket of a paused link that reconnects: what it hands over late is kept, before the next socket’s, and only once', async () => {
    const { link, sockets, peer, delivered, unread } = await pausedLink(2_000, 'compressed');
    expect(link.pause()).toBe(true);
    await sendAll(peer(), numbered(0, 20, BODY));
    // The next socket is held from its open: what its peer sends waits for the resume.
    const next = sockets.length;
    link.actor.send({ type: 'link.reconnect' });
    await waitFor(() => sockets.length === next + 1 && link.state === 'ready');
    await sendAll(sockets[next], numbered(20, 30, BODY));
    expect(delivered).toEqual([]);
    expect(link.resume()).toBe(true);
    await waitFor(() => delivered.length >= 30);
    await sleep(50);
    expect(delivered).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(unread).toEqual([]);
  });
});
