/**
 * A link refused a shared defineLink input (it fails at once, LV_ERR_NO_TRANSPORT:
 * ./define-link-shared-input.test.ts) never runs the first link's hooks: its retry decision asks
 * no `shouldReconnect` (it has no wire, so no hook of its own: the close table decides, `invalid`
 * is fatal) and its retry plan no `backoff` function. Before, the chart's guards and its clock and
 * plan actions looked the wire up by input (link id and parent), not by actor: they found the
 * first link's wire, so the refused link asked the first link's hook, and one that answered true
 * made it retry for ever on the first link's backoff function. Real `ws` server on loopback.
 */

import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import type { Reason } from '../../machines/policy/close-reason.js';
import { defineLink } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

describe("defineLink: a link refused a shared input runs none of the first link's hooks", () => {
  const h = useHarness();

  for (const how of ['the same input', "another definition's input with the same id"] as const) {
    it(`${how}: shouldReconnect and backoff are not called, the refused link fails at once`, async () => {
      const server = await h.wsServer();
      const asked: Reason[] = [];
      const planned: number[] = [];
      const options = {
        ...FAST,
        // The first link's hooks: both would keep a link retrying for ever.
        shouldReconnect: (reason: Reason) => {
          asked.push(reason);
          return true;
        },
        backoff: (attempt: number) => {
          planned.push(attempt);
          return 5;
        },
      };
      const feed = defineLink(server.url, options);
      const other = defineLink(server.url, options);
      const input = feed.input({ id: 'shared' });
      const first = createActor(feed.machine, { input }).start();
      h.defer(() => first.stop());
      await feed.handle(first).ready();

      const secondInput = how === 'the same input' ? input : other.input({ id: 'shared' });
      const second = createActor(feed.machine, { input: secondInput }).start();
      h.defer(() => second.stop());
      await waitFor(() => second.getSnapshot().status === 'done' || asked.length > 3, {
        message: 'the refused link ended or asked the hook',
      });
      expect(asked).toEqual([]);
      expect(planned).toEqual([]);
      expect(second.getSnapshot().status).toBe('done');
      expect(second.getSnapshot().context.failure).toMatchObject({
        kind: 'invalid',
        errorCode: 'LV_ERR_NO_TRANSPORT',
      });
      // The first link is untouched.
      expect(first.getSnapshot().status).toBe('active');
      expect(feed.handle(first).state).toBe('ready');
      expect(server.upgrades).toBe(1);
    });
  }
});
