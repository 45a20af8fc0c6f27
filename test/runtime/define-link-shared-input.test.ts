/**
 * One defineLink input serves one link: started a second time while its first link is live (the
 * same input given to two actors, or another definition's input whose id this definition's own
 * live link has), the second link fails at once with LV_ERR_NO_TRANSPORT and leaves the first
 * alone: no socket of its own, the first's socket not ended, its messages still delivered, and
 * `handle()` of the second throws LV_ERR_INVALID_OPTION naming `ref`. Before, both actors drove one
 * wire: the second's attempt ended the first's socket and the first reconnected. Real `ws` server
 * on loopback.
 */

import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { defineLink } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

describe('defineLink: one input started twice', () => {
  const h = useHarness();

  for (const how of ['the same input', "another definition's input with the same id"] as const) {
    it(`${how}: the second link fails (LV_ERR_NO_TRANSPORT), the first keeps its socket`, async () => {
      const server = await h.wsServer({
        onConnection: (ws) => ws.on('message', (data) => ws.send(`echo ${String(data)}`)),
      });
      const feed = defineLink(server.url, FAST);
      const other = defineLink(server.url, FAST);
      const input = feed.input({ id: 'shared' });
      const first = createActor(feed.machine, { input }).start();
      h.defer(() => first.stop());
      const link = feed.handle(first);
      const messages: unknown[] = [];
      link.on('message', (data) => messages.push(data));
      await link.ready();

      const secondInput = how === 'the same input' ? input : other.input({ id: 'shared' });
      const second = createActor(feed.machine, { input: secondInput }).start();
      h.defer(() => second.stop());
      await waitFor(() => second.getSnapshot().status === 'done', { message: 'the second link ended' });
      expect(second.getSnapshot().context.failure).toMatchObject({
        kind: 'invalid',
        errorCode: 'LV_ERR_NO_TRANSPORT',
      });
      expect(() => feed.handle(second)).toThrow(
        expect.objectContaining({ name: 'LinkvisorError', code: 'LV_ERR_INVALID_OPTION', option: 'ref' }),
      );

      // The first link is untouched: one socket, still ready, still talking.
      expect(server.upgrades).toBe(1);
      expect(link.state).toBe('ready');
      link.send('ping');
      await waitFor(() => messages.length > 0, { message: 'the echo' });
      expect(messages).toEqual(['echo ping']);
      expect(server.connections).toBe(1);
      expect(link.state).toBe('ready');
    });
  }
});
