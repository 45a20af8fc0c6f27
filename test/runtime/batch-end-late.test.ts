/**
 * A `message` listener reconnects an unpaused link while ws still inflates the rest of one read
 * (permessage-deflate: one message at a time on libuv's thread pool), and the new socket's first
 * message comes before the old socket has handed over its rest: the new socket's message is held
 * until the old socket is done (its `lateEnd`: ws's own `close`), then delivered after the rest,
 * so every message is delivered, in order, none reported. (Before, the old socket's late messages
 * that came after it were reported `dropped`, `unread`: never out of order, but not delivered.)
 *
 * The `reading` event's `unread` count says that held message too (ReadingHold `later`): paused and
 * resumed while it is held, the link reports unread 1 each time.
 *
 * Deterministic: the listener holds the thread pool (./thread-pool.ts) before it reconnects, so no
 * more of the old read is inflated until the new socket's message is in; a canary job on the pool
 * proves it was held. Real `ws` server on loopback.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { FAST, useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { writeOneRead } from './one-read.js';
import { holdThreadPool } from './thread-pool.js';
import { deliveredAndUnread } from './unread-reports.js';

const N = 12;
const AT = 3;
const NEW = 100_000;

/** The scenario: message AT's listener holds the pool and reconnects; the old socket's rest waits
 * on the pool, the new socket's message NEW comes first and is held. Returns once it is held. */
async function heldBehindOldRead(h: ReturnType<typeof useHarness>) {
  const sockets: WebSocket[] = [];
  const server = await h.wsServer({
    onConnection: (ws) => {
      sockets.push(ws);
      if (sockets.length === 2) ws.send(`${NEW}`, { compress: false });
    },
    perMessageDeflate: { threshold: 0 },
  });
  const supervisor = h.supervisor({ ...FAST, networkSignals: false });
  const link = supervisor.connect(server.url, { heartbeat: false });
  const { delivered, unread } = deliveredAndUnread(link);
  const reading: { paused: boolean; unread: number }[] = [];
  link.on('reading', (event) => reading.push(event));
  await link.ready();
  let pool: ReturnType<typeof holdThreadPool> | null = null;
  link.on('message', (data) => {
    if (Number.parseInt(String(data), 10) !== AT) return;
    pool = holdThreadPool();
    h.defer(() => pool?.release());
    link.actor.send({ type: 'link.reconnect' });
  });
  writeOneRead(
    sockets[0],
    Array.from({ length: N }, (_, i) => `${i}`),
    true,
  );
  await waitFor(() => sockets.length === 2 && link.state === 'ready', { message: 'the new socket' });
  await waitFor(
    () => (link.wire as unknown as { reading: { later: unknown[] } }).reading.later.length === 1,
    { message: 'the new socket’s message held' },
  );
  const held = pool as ReturnType<typeof holdThreadPool> | null;
  return { link, delivered, unread, reading, held };
}

/** Releases the pool: every message delivered, in order, the new socket's last; none reported. */
async function everyMessageInOrder(run: Awaited<ReturnType<typeof heldBehindOldRead>>) {
  run.held?.release();
  await waitFor(() => run.delivered.length === N + 1, { message: 'every message' });
  await sleep(50);
  expect({ delivered: run.delivered, unread: run.unread }).toEqual({
    delivered: [...Array.from({ length: N }, (_, i) => i), NEW],
    unread: [],
  });
}

describe('a listener reconnects mid-read; the new socket’s message comes before the old socket’s rest', () => {
  const h = useHarness();

  it('held until the old socket is done: every message delivered in order, none reported', async () => {
    const run = await heldBehindOldRead(h);
    // The pool was held all along: none of the old read's rest could come yet.
    expect({ delivered: run.delivered, held: run.held?.held() }).toEqual({
      delivered: [0, 1, 2, 3],
      held: true,
    });
    await everyMessageInOrder(run);
  }, 30_000);

  it('the reading event counts it: paused and resumed while it is held, unread 1 each time', async () => {
    const run = await heldBehindOldRead(h);
    expect(run.link.pause()).toBe(true);
    expect(run.link.resume()).toBe(true);
    expect({ delivered: run.delivered, held: run.held?.held() }).toEqual({
      delivered: [0, 1, 2, 3],
      held: true,
    });
    expect(run.reading).toEqual([
      { paused: true, unread: 1 },
      { paused: false, unread: 1 },
    ]);
    await everyMessageInOrder(run);
  }, 30_000);
});
