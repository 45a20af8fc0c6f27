/**
 * A defineLink machine's link without its transport (`LV_ERR_NO_TRANSPORT`), a code a user meets:
 * started with another definition's input, or with an input whose link has ended, the link fails
 * at once and says why (its reason's errorCode is a listed, documented code); `handle()` of such a
 * link throws LV_ERR_INVALID_OPTION naming `ref`, not a bare Error. Real `ws` server on loopback.
 */

import { describe, expect, it } from 'vitest';
import { createActor, setup, spawnChild } from 'xstate';
import type { Reason } from '../../machines/policy/close-reason.js';
import { defineLink } from '../../src/index.js';
import { ERROR_CODES } from '../../src/util/errors.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

describe('defineLink: a link without its transport', () => {
  const h = useHarness();

  it("another definition's input: link.failed at once, LV_ERR_NO_TRANSPORT (a listed code); handle() throws LV_ERR_INVALID_OPTION", async () => {
    const server = await h.wsServer();
    const feed = defineLink(server.url, FAST);
    const other = defineLink(server.url, FAST);
    const failed: Reason[] = [];
    const app = createActor(
      setup({ actors: { feed: feed.machine } }).createMachine({
        // The mistake: the input comes from `other`, the machine is `feed`'s.
        entry: spawnChild('feed', {
          id: 'feed',
          input: ({ self }) => other.input({ id: 'feed', parent: self }),
        }),
        on: {
          'link.failed': {
            actions: ({ event }) => failed.push((event as unknown as { reason: Reason }).reason),
          },
        },
      }),
    ).start();
    h.defer(() => app.stop());
    await waitFor(() => failed.length > 0, { message: 'link.failed' });
    expect(failed).toEqual([
      {
        kind: 'invalid',
        errorCode: 'LV_ERR_NO_TRANSPORT',
        message: 'no transport for link:feed',
      },
    ]);
    expect(Object.keys(ERROR_CODES)).toContain(failed[0]?.errorCode);
    expect(server.upgrades).toBe(0);
    const ref = app.getSnapshot().children.feed;
    expect(ref).toBeDefined();
    expect(() => feed.handle(ref as NonNullable<typeof ref>)).toThrow(
      expect.objectContaining({ name: 'LinkvisorError', code: 'LV_ERR_INVALID_OPTION', option: 'ref' }),
    );
  });

  it('an input whose link has ended: the second link fails at once, LV_ERR_NO_TRANSPORT', async () => {
    const server = await h.wsServer();
    const feed = defineLink(server.url, FAST);
    const input = feed.input({ id: 'once' });
    const first = createActor(feed.machine, { input }).start();
    const link = feed.handle(first);
    await link.ready();
    first.stop();
    const second = createActor(feed.machine, { input }).start();
    h.defer(() => second.stop());
    await waitFor(() => second.getSnapshot().status === 'done', { message: 'the second link ended' });
    expect(second.getSnapshot().context.failure).toMatchObject({
      kind: 'invalid',
      errorCode: 'LV_ERR_NO_TRANSPORT',
      message: 'no transport for link:once',
    });
  });
});
