/**
 * Late messages across two terminated sockets of a paused link: socket A (compressed: ws inflates
 * on libuv's thread pool) is terminated while its messages wait to be inflated; the next socket B
 * is terminated with late messages of its own (ws's `allowSynchronousEvents: false`: one message
 * a turn); A's come after B's. A's must never be delivered after B's: they are older. Each of A's
 * that comes after one of B's is reported `dropped` (`unread`), as one that comes after a newer
 * socket's read message is (./pause-late-read-resumed.test.ts); nothing is lost or doubled.
 *
 * Deterministic: the thread pool is held (every thread blocked opening a FIFO that has no writer
 * yet) from before A's terminate until B's late messages are in, so A's cannot come earlier; a
 * canary job on the pool proves it was held. Real `ws` server on loopback, permessage-deflate.
 */
import { execFileSync } from 'node:child_process';
import { pbkdf2 } from 'node:crypto';
import { closeSync, constants, mkdtempSync, open, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import type { ReadingHold } from '../../src/runtime/reading-hold.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { numbered, sendAll } from './send-all.js';
import { deliveredAndUnread } from './unread-reports.js';

const BODY = 'x'.repeat(300);
/** B's messages are numbered from here. */
const B = 100_000;

/**
 * Blocks every thread of libuv's pool until `release()`: each opens a FIFO no one writes yet.
 * `release()` never blocks the test's own thread: it opens each FIFO's write side with O_NONBLOCK,
 * which succeeds once that FIFO's reader is waiting in its open (Linux counts it as a reader) and
 * fails with ENXIO while that open has not started (a thread busy elsewhere): then it tries again a
 * turn later. A blocking open of the write side would hang the whole test process in that case.
 */
function holdThreadPool(): { held: () => boolean; release: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'lv-pool-'));
  const threads = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
  const fifos = Array.from({ length: threads }, (_, i) => path.join(dir, `f${i}`));
  for (const fifo of fifos) execFileSync('mkfifo', [fifo]);
  let cleaned = false;
  const readers: number[] = [];
  for (const fifo of fifos) {
    open(fifo, 'r', (error, fd) => {
      if (error) return;
      if (cleaned) closeSync(fd);
      else readers.push(fd);
    });
  }
  // Queued behind the blocked opens: it runs only once a thread is free again.
  let canary = false;
  let released = false;
  pbkdf2('x', 'y', 1, 8, 'sha1', () => {
    canary = true;
  });
  const cleanUp = () => {
    cleaned = true;
    for (const fd of readers.splice(0)) closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  };
  let waiting = fifos;
  const openWriters = () => {
    waiting = waiting.filter((fifo) => {
      try {
        closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
        return false;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENXIO') return true;
        throw error;
      }
    });
    setTimeout(waiting.length > 0 ? openWriters : cleanUp, waiting.length > 0 ? 10 : 200);
  };
  return {
    held: () => !canary,
    release: () => {
      if (released) return;
      released = true;
      openWriters();
    },
  };
}

describe('a paused link: late messages of two terminated sockets', () => {
  const h = useHarness();

  it("the older socket's late messages never come after the newer one's: they are reported unread", async () => {
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
    const hold = (link.wire as unknown as { reading: ReadingHold }).reading;
    await waitFor(() => hold.unread.length === 10, { message: "B's late messages kept" });
    expect(hold.unread.map((m) => Number.parseInt(String(m), 10))).toEqual(
      numbered(B, B + 10, '').map((m) => Number.parseInt(m, 10)),
    );
    // The pool was held all along: none of A's could come yet.
    expect(pool.held()).toBe(true);
    pool.release();
    await waitFor(() => !pool.held(), { message: 'the pool free' });
    await waitFor(() => sockets.length === 3 && link.state === 'ready', { message: 'C ready' });
    await sleep(200);
    expect(link.resume()).toBe(true);
    await sleep(100);
    const fromA = delivered.filter((n) => n < B);
    const firstB = delivered.findIndex((n) => n >= B);
    // Nothing of A's after B's first; B's all, in order; A's each once: delivered, then reported.
    expect(delivered.slice(firstB).filter((n) => n < B)).toEqual([]);
    expect(delivered.filter((n) => n >= B)).toEqual(Array.from({ length: 10 }, (_, i) => B + i));
    expect([...fromA, ...unread].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect([...fromA, ...unread]).toEqual(Array.from({ length: 20 }, (_, i) => i));
  }, 30_000);
});
