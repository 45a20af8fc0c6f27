/**
 * The `reading` event's `unread` count (`Link.pause`, `Link.resume`) says every message the link
 * holds and has not delivered: also a newer socket's, held while an older terminated socket still
 * hands over what it had read (ReadingHold `later`). Scenario of ./batch-end-late.test.ts: a
 * listener reconnects mid-read with libuv's pool held (./thread-pool.ts), the new socket's message
 * comes first and is held; the link is paused then (unread 1), resumed (unread 1), and every
 * message is delivered in order, none reported. Real `ws` server on loopback.
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

describe('the reading event counts messages held behind an older socket’s late read', () => {
  const h = useHarness();

  it('paused and resumed while the new socket’s message is held: unread 1 each time', async () => {
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
    expect(link.pause()).toBe(true);
    expect(link.resume()).toBe(true);
    const held = pool as ReturnType<typeof holdThreadPool> | null;
    expect({ delivered, held: held?.held() }).toEqual({ delivered: [0, 1, 2, 3], held: true });
    expect(reading).toEqual([
      { paused: true, unread: 1 },
      { paused: false, unread: 1 },
    ]);
    held?.release();
    await waitFor(() => delivered.length === N + 1, { message: 'every message' });
    await sleep(50);
    expect({ delivered, unread }).toEqual({
      delivered: [...Array.from({ length: N }, (_, i) => i), NEW],
      unread: [],
    });
  }, 30_000);
});
