/**
 * `resume()` delivers what was read while paused, one message at a time, to listeners that may act
 * on the link at once: one that ends the link (its actor stopped) has the messages not delivered yet
 * reported `dropped` (`unread`), never the ones it was already given (delivered AND reported, before);
 * one that pauses and resumes again gets each message once (the inner resume delivered the kept
 * messages again from the first, before). Real `ws` server on loopback: the kept messages are what
 * the paused socket had read when the server reset it (./pause-across-reconnect.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { createActor } from 'xstate';
import { defineLink, type Link } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { sendAll } from './send-all.js';

describe('resume(): listeners that act on the link while kept messages are delivered', () => {
  const h = useHarness();

  /** A paused link on its second socket, holding three messages its first socket had read. */
  async function withKeptMessages() {
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
    expect(link.status().paused).toBe(true);
    return { actor, link, events, sockets };
  }

  it('a listener that ends the link: the rest reported unread, the delivered one not', async () => {
    const { actor, link, events } = await withKeptMessages();
    link.on('message', (data) => {
      events.push(`message:${String(data)}`);
      if (String(data) === 'm0') actor.stop();
    });
    expect(link.resume()).toBe(true);
    await link.ended();
    await sleep(50);
    expect(events.filter((e) => !e.includes('anyone there?'))).toEqual([
      'message:m0',
      'dropped:unread:m1',
      'dropped:unread:m2',
    ]);
  });

  it('a listener that pauses and resumes again: each message once, in order', async () => {
    const { link, events, sockets } = await withKeptMessages();
    let again = true;
    link.on('message', (data) => {
      events.push(`message:${String(data)}`);
      if (again) {
        again = false;
        link.pause();
        link.resume();
      }
    });
    expect(link.resume()).toBe(true);
    await sleep(50);
    expect(events).toEqual(['message:m0', 'message:m1', 'message:m2']);
    // And the socket reads again.
    sockets[1]?.send('m3');
    await waitFor(() => events.length === 4, { message: 'm3' });
    expect(events).toEqual(['message:m0', 'message:m1', 'message:m2', 'message:m3']);
  });
});
