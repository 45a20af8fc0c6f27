/**
 * A defineLink id used again while its old link still closes (a new `input({ id })` for a fresh
 * link, the old one closed gracefully): each link runs its own wire. Before, a wire belonged to
 * the first actor that looked its id up: the old link, closing after the new input was made, took
 * the new wire (the new link failed, LV_ERR_NO_TRANSPORT, and `handle()` threw), or, the new link
 * started first, found none (its close never reached its socket: ended at the close timeout, not
 * with the close handshake). Real `ws` server on loopback.
 */
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { defineLink } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

describe('defineLink: an id used again while its old link closes', () => {
  const h = useHarness();

  for (const order of ['old closes, then new starts', 'new starts, then old closes'] as const)
    it(`${order}: the new link runs, the old one closes its own socket`, async () => {
      const closes: number[] = [];
      const server = await h.wsServer({
        onConnection: (ws) => {
          ws.on('message', (data) => ws.send(`echo ${String(data)}`));
          ws.on('close', (code) => closes.push(code));
        },
      });
      const feed = defineLink(server.url, FAST);
      const first = createActor(feed.machine, { input: feed.input({ id: 'feed' }) }).start();
      h.defer(() => first.stop());
      const old = feed.handle(first);
      await old.ready();

      const input = feed.input({ id: 'feed' });
      if (order === 'old closes, then new starts') old.close();
      const second = createActor(feed.machine, { input }).start();
      h.defer(() => second.stop());
      const link = feed.handle(second);
      if (order === 'new starts, then old closes') old.close();
      await link.ready();
      const messages: unknown[] = [];
      link.on('message', (data) => messages.push(data));
      link.send('ping');
      await waitFor(() => messages.length > 0, { message: 'the echo' });
      expect(messages).toEqual(['echo ping']);
      await old.ended();
      expect(old.state).toBe('closed');
      // The old socket closed with the close handshake (1000), not at the close timeout.
      await waitFor(() => closes.length === 1, { message: 'the old socket closed' });
      expect(closes).toEqual([1000]);
      expect(server.upgrades).toBe(2);
      expect(link.state).toBe('ready');
    });
});
