/**
 * A paused compressed socket terminated (a reconnect) whose buffered bytes start with a message
 * ws reads at once (uncompressed: below the server's threshold) and go on with compressed ones ws
 * hands over late: the late ones are the same socket's, in order after the first, so they are
 * kept unread and delivered on resume, never reported `dropped` as if a newer socket's message
 * had come first (reading-hold.ts's `seen` count). On a real `ws` server on loopback.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { FAST, useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { numbered, sendAll } from './send-all.js';

/** Compressed messages after the first (above the threshold), few enough for Node's read buffer. */
const LATE = 40;

describe('a paused socket terminated: its own late messages after one read at once', () => {
  const h = useHarness();

  it('are kept unread and delivered on resume, in order, none reported dropped', async () => {
    const sockets: WebSocket[] = [];
    const server = await h.wsServer({
      onConnection: (ws) => sockets.push(ws),
      // ws applies the threshold only without context takeover.
      perMessageDeflate: { threshold: 1_024, serverNoContextTakeover: true },
    });
    const supervisor = h.supervisor({ ...FAST, networkSignals: false });
    const link = supervisor.connect(server.url);
    const delivered: number[] = [];
    const dropped: number[] = [];
    link.on('message', (data) => delivered.push(Number.parseInt(String(data), 10)));
    link.on('dropped', ({ data }) => dropped.push(Number.parseInt(String(data), 10)));
    await link.ready();
    expect(link.pause()).toBe(true);
    // In the client's stream buffer: `0 small` (sent as is), then compressed ones.
    await sendAll(sockets[0], ['0 small', ...numbered(1, LATE + 1, 'x'.repeat(2_000))]);
    link.actor.send({ type: 'link.reconnect' });
    await waitFor(() => sockets.length === 2 && link.state === 'ready', { timeoutMs: 10_000 });
    // The old socket's late messages have come (kept unread) by now.
    await sleep(300);
    expect(link.resume()).toBe(true);
    await waitFor(() => delivered.length + dropped.length >= LATE + 1, { timeoutMs: 10_000 });
    expect(dropped).toEqual([]);
    expect(delivered).toEqual(Array.from({ length: LATE + 1 }, (_, i) => i));
  }, 30_000);
});
