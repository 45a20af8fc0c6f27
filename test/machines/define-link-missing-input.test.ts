/**
 * The mistake a user makes first with defineLink: `spawnChild('feed', { id: 'feed' })` with no
 * input (XState's input is optional), or an input input() did not make (its options,
 * `{ id: 'feed' }`; `null`), which TypeScript flags but JavaScript does not. Before, the chart read `undefined.linkId`: the link actor ended in
 * an error state with a TypeError naming nothing of linkvisor's. Now such a link fails at once
 * as one with another definition's input does: `failed`, its failure LV_ERR_NO_TRANSPORT saying
 * the input was not made by input(), no socket opened; a link of the same definition spawned with
 * its own input beside it connects and is left alone. Real `ws` server on 127.0.0.1.
 */
import { describe, expect, it } from 'vitest';
import { createActor, setup, spawnChild } from 'xstate';
import { defineLink } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

type Snapshot = { status: string; value: unknown; error?: unknown; context: { failure: unknown } };

describe('defineLink: a link spawned without an input of input()', () => {
  const h = useHarness();

  for (const [name, input] of [
    ['no input', undefined],
    ['its options as the input', { id: 'feed' }],
    ['null', null],
  ] as const) {
    it(`${name}: fails at once, LV_ERR_NO_TRANSPORT, never an actor error; its sibling connects`, async () => {
      const server = await h.wsServer();
      const feed = defineLink(server.url, FAST);
      const reports: string[] = [];
      const app = createActor(
        setup({ actors: { feed: feed.machine } }).createMachine({
          entry: [
            // TypeScript asks for an input here; JavaScript (or `as never`) does not.
            spawnChild('feed', (input === undefined ? { id: 'bad' } : { id: 'bad', input }) as never),
            spawnChild('feed', { id: 'good', input: ({ self }) => feed.input({ id: 'good', parent: self }) }),
          ],
          on: { '*': { actions: ({ event }) => reports.push(event.type) } },
        }),
      ).start();
      h.defer(() => app.stop());
      await waitFor(() => reports.includes('link.ready'), { message: 'the good link is ready' });

      const bad = app.getSnapshot().children.bad?.getSnapshot() as Snapshot;
      expect(bad.error).toBeUndefined();
      expect(bad.status).toBe('done');
      expect(bad.value).toBe('failed');
      expect(bad.context.failure).toEqual({
        kind: 'invalid',
        errorCode: 'LV_ERR_NO_TRANSPORT',
        message: 'no transport for (not from input())',
      });
      expect(server.upgrades).toBe(1);
      expect(app.getSnapshot().children.good?.getSnapshot().status).toBe('active');
      expect(reports).toContain('xstate.done.actor.bad');
      expect(reports).not.toContain('xstate.error.actor.bad');
    });
  }
});
