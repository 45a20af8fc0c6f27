/**
 * Server B resumes a session from a store it shares with server A, without `claimOwned`: its
 * marking write (a plain `put` of the record it read) fails, and its client leaves B while that
 * write is still in flight. The away write queued then is made as it RUNS: the record still A's
 * (the marking write failed), the session counts as foreign and writes with a plain `put`, marked
 * B's. Before: whether it was conditional was decided as it was queued (the failure not known yet):
 * its `putOwned` was refused by A's mark and B's session ended `moved` while its client, away,
 * could still come back to it (and A's copy, seeing its own mark, reported the same messages).
 * Real `ws` servers on 127.0.0.1 port 0.
 */
import { describe, expect, it } from 'vitest';
import { TestClock } from '../../src/testing/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { serverB } from './server-b.js';
import { leftA } from './shared-on-a.js';

describe("B's marking write failing as its client leaves (no claimOwned)", () => {
  const h = useHarness();

  it('the away write queued behind it is decided as it runs: a plain put, B keeps the session', async () => {
    const { inner, id, client } = await leftA(h, { withReplaceOwned: true, clock: new TestClock() });
    const ownerA = inner.get(id)?.owner;
    const B = await serverB(h, inner, { withClaimOwned: false });
    let fail = () => {};
    // B's marking write: held, then fails when the test says.
    B.hold.next = () => {
      B.hold.wait = new Promise<void>((_, reject) => {
        fail = () => reject(new Error('store down'));
      });
    };
    expect(await client.connect(B.server.url)).toMatchObject({ outcome: 'resumed' });
    await waitFor(() => B.calls.includes('put'), { message: "B's marking write" });
    client.drop();
    await waitFor(() => B.events.includes('B away'), { message: 'B away' });
    fail();
    await waitFor(() => B.calls.length === 4, { message: "B's away write" });
    expect(B.calls).toEqual(['get', 'get', 'put', 'put']);
    await waitFor(() => inner.get(id)?.owner !== ownerA, { message: "B's record" });
    expect(B.events).toEqual(['B replayed 0', 'B away']);
    expect(B.b.size).toBe(1);
    expect(B.errors.map((e) => e.message)).toEqual(['the session store failed to put']);
  });
});
