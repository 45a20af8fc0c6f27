/**
 * libuv's thread pool held (zlib inflates there: a compressed message ws has read waits), so a test
 * can order a socket's late messages after another's (./pause-late-read-two-sockets.test.ts,
 * ./batch-end-late.test.ts).
 */
import { execFileSync } from 'node:child_process';
import { pbkdf2 } from 'node:crypto';
import { closeSync, constants, mkdtempSync, open, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Blocks every thread of libuv's pool until `release()`: each opens a FIFO no one writes yet.
 * `release()` never blocks the test's own thread: it opens each FIFO's write side with O_NONBLOCK,
 * which succeeds once that FIFO's reader is waiting in its open (Linux counts it as a reader) and
 * fails with ENXIO while that open has not started (a thread busy elsewhere): then it tries again a
 * turn later. A blocking open of the write side would hang the whole test process in that case.
 */
export function holdThreadPool(): { held: () => boolean; release: () => void } {
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
