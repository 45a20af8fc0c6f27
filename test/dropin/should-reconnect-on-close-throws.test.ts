/**
 * The drop-in's `shouldReconnectOnClose` (partysocket's option) that throws: the link's `error`
 * names `shouldReconnectOnClose` (LV_ERR_LISTENER, the application's error its cause), not
 * `shouldReconnect`, an option the application never gave; the close table decided (a 4000 close is
 * retried). Before, the drop-in's own LV_ERR_LISTENER was wrapped again as "shouldReconnect()
 * threw" with `option: 'shouldReconnect'`. Real `ws` server on loopback.
 */
import { describe, expect, it } from 'vitest';
import type { LinkvisorError } from '../../src/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { dropIn, FAST } from './helpers.js';

describe("the drop-in's shouldReconnectOnClose that throws", () => {
  const h = useHarness();

  it('is reported naming shouldReconnectOnClose, its error the cause; the table decided (retried)', async () => {
    let connections = 0;
    const server = await h.wsServer({
      onConnection: (ws) => {
        if (++connections === 1) ws.close(4000, 'bye');
      },
    });
    const mine = new Error('mine');
    const rws = dropIn(h, server.url, undefined, {
      ...FAST,
      shouldReconnectOnClose: () => {
        throw mine;
      },
    });
    const errors: LinkvisorError[] = [];
    rws.link?.on('error', (error) => errors.push(error));
    await waitFor(() => connections >= 2 && errors.length >= 1, { timeoutMs: 5_000 });
    // The cause is a redacted copy of the application's error (docs/errors.md "What `cause` is").
    const causes = errors.map((e) => [e.code, e.option, (e.cause as Error).name, (e.cause as Error).message]);
    expect(causes).toEqual([['LV_ERR_LISTENER', 'shouldReconnectOnClose', 'Error', mine.message]]);
  });
});
