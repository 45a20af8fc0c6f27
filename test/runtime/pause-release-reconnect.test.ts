/**
 * `resume()` delivers the kept messages while its socket is still told to pause (it reads again
 * after them): a `message` listener that reconnects or ends the link then terminates a socket that
 * holds what Node had read. That last read is taken as for a paused link (ReadingHold.takeLastRead)
 * and goes after the kept messages: delivered in order on a reconnect, reported `dropped`
 * (`unread`) when the link ends. Before, the link was no longer paused, so nothing took it: lost,
 * neither delivered nor reported. Real `ws` server on loopback.
 */
import { describe, expect, it } from 'vitest';
import { useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { withKeptMessages } from './kept-messages.js';
import { sendAll } from './send-all.js';

describe('resume(): a listener reconnects or ends the link while the held socket has read more', () => {
  const h = useHarness();

  /** A paused link on its second socket: three messages kept (its first socket's), one more
   * read by Node on the second socket, held. */
  async function withHeldSocket() {
    const held = await withKeptMessages(h);
    await sendAll(held.sockets[1], ['m3']);
    return held;
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
