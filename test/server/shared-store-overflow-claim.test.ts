/**
 * An overflow's note on a shared store with `claimOwned` (./shared-store-overflow.test.ts is the
 * same without it): the note is a claim of the record A last wrote (its owner and version), so it
 * is never written over the record another server B marked since (its client resumed there), nor
 * created again once B's end of the session deleted it (refused, A reads the record); written
 * over A's own. A's copy ends
 * `overflow` in every case, each message it had `dropped` once (none lost unreported, none
 * twice: `close()` after it reports nothing more). Real `ws` server on 127.0.0.1 port 0; B's
 * write (or delete) is made on the store directly.
 */
import { describe, expect, it } from 'vitest';
import { memoryStore, type SessionRecord } from '../../src/server/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { oneSessionOnA } from './one-session-on-a.js';
import { overflowThenClose } from './overflow-then-close.js';
import { sharedView } from './shared-view.js';

describe('an overflow on A with claimOwned', () => {
  const h = useHarness();

  it.each([
    ["B's mark", 'marked'],
    ['deleted by B', 'deleted'],
    ["A's", 'own'],
  ] as const)('the record %s: the note written only over its own', async (_, record) => {
    const inner = memoryStore();
    const calls: string[] = [];
    const { a, errors, events, onA, id, client } = await oneSessionOnA(h, {
      store: sharedView(inner, calls, {}, true, true, true),
      maxMessages: 2,
    });
    client.drop();
    await waitFor(() => inner.get(id) !== undefined, { message: "A's record" });
    if (record === 'marked')
      inner.put(id, { ...(inner.get(id) as SessionRecord), owner: 'server-b' }, 60_000);
    if (record === 'deleted') inner.delete(id);
    const before = inner.get(id);
    calls.length = 0;
    await overflowThenClose({ a, onA, events });
    if (record === 'own') expect(inner.get(id)).toMatchObject({ kind: 'overflowed' });
    else expect(inner.get(id)).toBe(before);
    // One claim of A's last write (its TTL not passed: no "none there" claim); refused, the read
    // that tells another server's mark or none from A's own at a write it no longer expects
    // (round 42: ./store-claim-own-mark.test.ts).
    expect(calls).toEqual(record === 'own' ? ['claimOwned'] : ['claimOwned', 'get']);
    expect(errors).toEqual([]);
  });
});
