/**
 * `resume()` delivers what was read while paused, one message at a time, to listeners that may act
 * on the link at once: one that ends the link (its actor stopped) has the messages not delivered yet
 * reported `dropped` (`unread`), never the ones it was already given (delivered AND reported, before);
 * one that pauses and resumes again gets each message once (the inner resume delivered the kept
 * messages again from the first, before). Real `ws` server on loopback: the kept messages are what
 * the paused socket had read when the server reset it (./pause-across-reconnect.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { withKeptMessages as keptMessages } from './kept-messages.js';

describe('resume(): listeners that act on the link while kept messages are delivered', () => {
  const h = useHarness();

  const withKeptMessages = () => keptMessages(h);

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
    await waitFor(() => events.length >= 3, { message: 'three messages' });
    await sleep(50);
    expect(events).toEqual(['message:m0', 'message:m1', 'message:m2']);
    // And the socket reads again.
    sockets[1]?.send('m3');
    await waitFor(() => events.length === 4, { message: 'm3' });
    expect(events).toEqual(['message:m0', 'message:m1', 'message:m2', 'message:m3']);
  });
});
