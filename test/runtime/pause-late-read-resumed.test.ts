/**
 * A paused link whose compressed socket is terminated (a reconnect) while ws still inflates what
 * Node had read, then resumed before ws is done: the old socket's late messages must never be
 * delivered after the new socket's first ones (docs/links.md, "Pausing"). Each is delivered before
 * anything of the new socket (whose messages are held until the old socket is done), none reported
 * `dropped`, lost or delivered twice (before round 25 those that came after the new socket's first
 * were reported `unread`). On a real `ws` server on loopback with permessage-deflate.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { FAST, useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { numbered, sendAll } from './send-all.js';
import { deliveredAndUnread } from './unread-reports.js';

/** Enough compressed messages in the client's stream buffer that ws inflates them for a while
 * (one zlib call each, on the thread pool) after the terminate, longer than a loopback reconnect. */
const OLD = 2_000;
/** The new socket's messages are numbered from here. */
const NEW = 100_000;
const BODY = 'x'.repeat(300);

describe('a paused compressed socket terminated, then the link resumed and reconnected', () => {
  const h = useHarness();

  it('the old socket’s late messages come before the new socket’s, or are reported unread', async () => {
    const sockets: WebSocket[] = [];
    const server = await h.wsServer({
      onConnection: (ws) => {
        sockets.push(ws);
        // The new socket sends at once: its messages race the old socket's late ones.
        if (sockets.length > 1) for (let i = 0; i < 20; i++) ws.send(`${NEW + i} ${BODY}`);
      },
      perMessageDeflate: { threshold: 0 },
    });
    const supervisor = h.supervisor({ ...FAST, networkSignals: false });
    const link = supervisor.connect(server.url);
    const { delivered, unread } = deliveredAndUnread(link);
    await link.ready();
    expect(link.pause()).toBe(true);
    // In the client's stream buffer (a paused ws socket parses nothing).
    await sendAll(sockets[0], numbered(0, OLD, BODY));
    link.actor.send({ type: 'link.reconnect' });
    expect(link.resume()).toBe(true);
    await waitFor(() => delivered.filter((n) => n >= NEW).length === 20, { timeoutMs: 10_000 });
    await sleep(500);
    const old = delivered.filter((n) => n < NEW);
    const firstNew = delivered.findIndex((n) => n >= NEW);
    // Some of the old socket's messages were handed over late (else this test shows nothing).
    expect(old.length).toBeGreaterThan(0);
    // Nothing of the old socket after the new socket's first message.
    expect(delivered.slice(firstNew).filter((n) => n < NEW)).toEqual([]);
    // Each old message once, in order, delivered: none reported.
    expect({ old, unread }).toEqual({ old: Array.from({ length: old.length }, (_, i) => i), unread: [] });
    expect(delivered.slice(firstNew)).toEqual(Array.from({ length: 20 }, (_, i) => NEW + i));
  }, 30_000);
});
