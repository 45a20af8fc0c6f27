/**
 * A session whose replay buffer overflows on server A while its client is away leaves an
 * `overflowed` note in the store. With a store servers share and its `putOwned`, the note is not
 * written over the record another server B marked since (its client resumed it there): before,
 * it was, and the client's next hello, wherever it went, was answered `overflow` (a reset) though
 * its session lived on B. A's copy ends `overflow` as before, every message it had `dropped`
 * (never one lost unreported). Control: the record still A's, the note is written. Real `ws`
 * server on 127.0.0.1 port 0; B's write is made on the store directly.
 */
import { describe, expect, it } from 'vitest';
import { memoryStore, type SessionRecord } from '../../src/server/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { oneSessionOnA } from './one-session-on-a.js';
import { overflowThenClose } from './overflow-then-close.js';
import { sharedView } from './shared-view.js';

describe("an overflow on A, the record B's or A's", () => {
  const h = useHarness();

  it.each([
    ["B's", true],
    ["A's", false],
  ])('the record %s: the note written only over its own', async (_, movedToB) => {
    const inner = memoryStore();
    const calls: string[] = [];
    const { a, errors, events, onA, id, client } = await oneSessionOnA(h, {
      store: sharedView(inner, calls, {}),
      maxMessages: 2,
    });
    client.drop();
    await waitFor(() => inner.get(id) !== undefined, { message: "A's record" });
    if (movedToB) inner.put(id, { ...(inner.get(id) as SessionRecord), owner: 'server-b' }, 60_000);
    const before = inner.get(id);
    calls.length = 0;
    await overflowThenClose({ a, onA, events });
    if (movedToB) expect(inner.get(id)).toBe(before);
    else expect(inner.get(id)).toMatchObject({ kind: 'overflowed' });
    // B's record: refused, then read once for the write B resumed from (round 44 review).
    expect(calls).toEqual(movedToB ? ['putOwned', 'get'] : ['putOwned']);
    expect(errors).toEqual([]);
  });
});
