/**
 * `resume()` delivers the kept messages while its socket is still told to pause (it reads again
 * after them): a `message` listener that reconnects or ends the link then terminates a socket that
 * holds what Node had read. That last read is taken as for a paused link (ReadingHold.takeLastRead)
 * and goes after the kept messages: delivered in order on a reconnect, reported `dropped`
 * (`unread`) when the link ends. Before, the link was no longer paused, so nothing took it: lost,
 * neither delivered nor reported. Real `ws` server on loopback.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { createActor } from 'xstate';
import { defineLink, type Link } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { sendAll } from './send-all.js';

describe('resume(): a listener reconnects or ends the link while the held socket has read more', () => {
  const h = useHarness();

  /** A paused link on its second socket: three messages kept (its first socket's), one more
   * read by Node on the second socket, held. */
  async function withHeldSocket() {
    const sockets: WebSocket[] = [];
    const server = await h.wsServer({ onConnection: (ws) => sockets.push(ws) });
    const feed = defineLink(server.url, { ...FAST, heartbeat: { intervalMs: 200, timeoutMs: 300 } });
    const actor = createActor(feed.machine, { input: feed.input() }).start();
    h.defer(() => actor.stop());
    const link: Link = feed.handle(actor);
    const events: string[] = [];
    link.on('dropped', ({ data, reason }) => events.push(`dropped:${reason}:${String(data)}`));
    await link.ready();
    expect(link.pause()).toBe(true);
    await sendAll(sockets[0], ['m0', 'm1', 'm2']);
    sockets[0]?.terminate();
    await waitFor(() => {
      if (link.state === 'ready' && sockets.length === 1) link.send('anyone there?');
      return sockets.length === 2 && link.state === 'ready';
    });
    await sendAll(sockets[1], ['m3']);
    return { actor, link, events, sockets };
  }
  const shown = (events: string[]) => events.filter((e) => !e.includes('anyone there?'));

  it('a reconnect: every message delivered once, in order', async () => {
    const { link, events, sockets } = await withHeldSocket();
    link.on('message', (data) => {
      events.push(`message:${String(data)}`);
      if (String(data) === 'm0') link.actor.send({ type: 'link.reconnect' });
    });
    expect(link.resume()).toBe(true);
    await waitFor(() => sockets.length === 3 && link.state === 'ready', { message: 'the new socket' });
    await waitFor(() => shown(events).length >= 4, { message: 'four messages' });
    await sleep(50);
    expect(shown(events)).toEqual(['message:m0', 'message:m1', 'message:m2', 'message:m3']);
  });

  it('the link ended: the rest reported unread, the held socket’s last read among them', async () => {
    const { actor, link, events } = await withHeldSocket();
    link.on('message', (data) => {
      events.push(`message:${String(data)}`);
      if (String(data) === 'm0') actor.stop();
    });
    expect(link.resume()).toBe(true);
    await link.ended();
    await sleep(50);
    expect(shown(events)).toEqual([
      'message:m0',
      'dropped:unread:m1',
      'dropped:unread:m2',
      'dropped:unread:m3',
    ]);
  });
});
