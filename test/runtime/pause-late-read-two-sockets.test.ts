/**
 * Late messages across two terminated sockets of a paused link: socket A (compressed: ws inflates
 * on libuv's thread pool) is terminated while its messages wait to be inflated; the next socket B
 * is terminated with late messages of its own (ws's `allowSynchronousEvents: false`: one message
 * a turn); A's come after B's. B's are held until A has handed over all of its own (A's `lateEnd`),
 * then kept after them: on resume every message is delivered, A's then B's, in order; none is
 * reported, lost or doubled. (Before, each of A's that came after one of B's was reported
 * `dropped`, `unread`: never delivered out of order, but not delivered either.)
 *
 * Deterministic: the thread pool is held (every thread blocked opening a FIFO that has no writer
 * yet) from before A's terminate until B's late messages are in, so A's cannot come earlier; a
 * canary job on the pool proves it was held. Real `ws` server on loopback, permessage-deflate.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { FAST, useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { numbered, sendAll } from './send-all.js';
import { holdThreadPool } from './thread-pool.js';
import { deliveredAndUnread } from './unread-reports.js';

const BODY = 'x'.repeat(300);
/** B's messages are numbered from here. */
const B = 100_000;

describe('a paused link: late messages of two terminated sockets', () => {
  const h = useHarness();

  it("the newer socket's late messages wait for the older one's: all delivered in order on resume", async () => {
    const sockets: WebSocket[] = [];
    const server = await h.wsServer({
      onConnection: (ws) => sockets.push(ws),
      perMessageDeflate: { threshold: 0 },
    });
    const supervisor = h.supervisor({ ...FAST, networkSignals: false });
    const link = supervisor.connect(server.url, {
      heartbeat: false,
      wsOptions: { allowSynchronousEvents: false },
    });
    const { delivered, unread } = deliveredAndUnread(link);
    await link.ready();
    expect(link.pause()).toBe(true);
    // A: compressed, in the client's stream buffer (a paused ws socket parses nothing).
    await sendAll(sockets[0], numbered(0, 20, BODY));
    const pool = holdThreadPool();
    h.defer(() => pool.release());
    await sleep(50);
    // A terminated: its messages wait for the pool to inflate them.
    link.actor.send({ type: 'link.reconnect' });
    await waitFor(() => sockets.length === 2 && link.state === 'ready', { message: 'B ready' });
    // B: uncompressed (no pool), held from its open; its messages come late, one a turn.
    const b = sockets[1] as WebSocket;
    await Promise.all(
      numbered(B, B + 10, BODY).map(
        (m) =>
          new Promise<void>((resolve, reject) =>
            b.send(m, { compress: false }, (e) => (e ? reject(e) : resolve())),
          ),
      ),
    );
    await sleep(50);
    link.actor.send({ type: 'link.reconnect' });
    // B's late messages held back (A still has its own to hand over), none kept yet.
    const hold = (link.wire as unknown as { reading: { later: [number, unknown][]; unread: unknown[] } })
      .reading;
    await waitFor(() => hold.later.length === 10, { message: "B's late messages held" });
    expect(hold.later.map((m) => Number.parseInt(String(m[1]), 10))).toEqual(
      numbered(B, B + 10, '').map((m) => Number.parseInt(m, 10)),
    );
    expect(hold.unread).toEqual([]);
    // The pool was held all along: none of A's could come yet.
    expect(pool.held()).toBe(true);
    pool.release();
    await waitFor(() => !pool.held(), { message: 'the pool free' });
    await waitFor(() => sockets.length === 3 && link.state === 'ready', { message: 'C ready' });
    await sleep(200);
    expect(link.resume()).toBe(true);
    await waitFor(() => delivered.length + unread.length >= 30, { message: 'all accounted' });
    await sleep(100);
    expect({ delivered, unread }).toEqual({
      delivered: [...Array.from({ length: 20 }, (_, i) => i), ...Array.from({ length: 10 }, (_, i) => B + i)],
      unread: [],
    });
  }, 30_000);
});
