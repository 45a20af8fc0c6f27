/**
 * `SessionStore.claimOwned(id, record, ttlMs, owner, expected)`: the write a server makes of the
 * record a hello read, with a store servers share, only while it is still that write (the same
 * `owner` and `version`: ./shared-store-claim.test.ts). `memoryStore()` implements it; one that is
 * not a function, or one given without `deleteOwned`, is LV_ERR_INVALID_OPTION naming
 * `store.claimOwned`. A record's `version` that is no count makes it no session record (reported,
 * the id unknown); null is none (version 0, as before versions). Two servers on one sync `memoryStore()`: B's claim writes the record marked
 * B's, one version on; A's copy then ends `moved`. Real `ws` servers on 127.0.0.1 port 0.
 */
import { describe, expect, it } from 'vitest';
import { memoryStore, resumable, type SessionRecord } from '../../src/server/index.js';
import { TestClock } from '../../src/testing/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { oneSessionOnA } from './one-session-on-a.js';
import { ownedMethodChecks } from './owned-method-checks.js';

describe('SessionStore.claimOwned', () => {
  const h = useHarness();

  ownedMethodChecks(h, 'claimOwned');

  it('memoryStore(): writes only while the record is the write expected (owner and version); says whether', () => {
    let nowMs = 0;
    const store = memoryStore({ clock: { now: () => nowMs } as never });
    const b = (version: number): SessionRecord => ({ kind: 'overflowed', owner: 'b', version });
    // None there: not written.
    expect(store.claimOwned('s', b(1), 100, 'b', { owner: undefined, version: 0 })).toBe(false);
    expect(store.get('s')).toBeUndefined();
    store.put('s', { kind: 'overflowed', owner: 'a', version: 3 }, 100);
    // Another owner, another version, or none expected: refused, the record unchanged.
    expect(store.claimOwned('s', b(4), 100, 'b', { owner: 'c', version: 3 })).toBe(false);
    expect(store.claimOwned('s', b(3), 100, 'b', { owner: 'a', version: 2 })).toBe(false);
    expect(store.claimOwned('s', b(1), 100, 'b', { owner: undefined, version: 3 })).toBe(false);
    expect(store.get('s')).toEqual({ kind: 'overflowed', owner: 'a', version: 3 });
    expect(store.claimOwned('s', b(4), 100, 'b', { owner: 'a', version: 3 })).toBe(true);
    expect(store.get('s')).toEqual(b(4));
    // Claimed once: the same expectation no more.
    expect(store.claimOwned('s', b(4), 100, 'c', { owner: 'a', version: 3 })).toBe(false);
    // A record written before marks and versions: unmarked, version 0.
    store.put('t', { kind: 'overflowed' }, 100);
    expect(store.claimOwned('t', b(1), 100, 'b', { owner: undefined, version: 0 })).toBe(true);
    expect(store.get('t')).toEqual(b(1));
    // The expected record past its deadline is none: not written.
    nowMs = 100;
    expect(store.claimOwned('s', b(5), 100, 'b', { owner: 'b', version: 4 })).toBe(false);
    expect(store.size).toBe(0);
  });

  it('memoryStore(): expected null writes only while there is no record (none, or expired)', () => {
    let nowMs = 0;
    const store = memoryStore({ clock: { now: () => nowMs } as never });
    const a = (version: number): SessionRecord => ({ kind: 'overflowed', owner: 'a', version });
    expect(store.claimOwned('s', a(1), 100, 'a', null)).toBe(true);
    expect(store.get('s')).toEqual(a(1));
    // One there (even this owner's): refused, unchanged.
    expect(store.claimOwned('s', a(2), 100, 'a', null)).toBe(false);
    store.put('t', { kind: 'overflowed' }, 100);
    expect(store.claimOwned('t', a(1), 100, 'a', null)).toBe(false);
    expect(store.get('s')).toEqual(a(1));
    // Past its deadline: none.
    nowMs = 100;
    expect(store.claimOwned('s', a(2), 100, 'a', null)).toBe(true);
    expect(store.get('s')).toEqual(a(2));
  });

  it.each([-1, 1.5, '2', Number.NaN])(
    'a record whose version is %j: no session record (reported), the id unknown',
    async (bad) => {
      const inner = memoryStore();
      const { client, onA } = await oneSessionOnA(h, { store: inner });
      client.drop();
      await waitFor(() => inner.get(onA.id) !== undefined, { message: 'the away write' });
      const record = inner.get(onA.id) as SessionRecord;
      expect(record.version).toBe(1);
      inner.put(onA.id, { ...record, version: bad as never }, 60_000);
      // Another server reads it (A's live copy would answer A's hello).
      const serverB = await h.wsServer();
      const b = resumable(serverB.wss, { store: inner });
      h.defer(() => b.close());
      const errors: { code: string }[] = [];
      b.on('error', (error) => errors.push(error));
      expect(await client.connect(serverB.url)).toMatchObject({
        outcome: 'reset',
        reason: 'unknown-session',
      });
      expect(errors.map((e) => e.code)).toEqual(['LV_ERR_LISTENER']);
    },
  );

  it('a record whose version is null (a nullable column read back): none, as a record written before versions; B claims it as version 0', async () => {
    const inner = memoryStore();
    const { client, onA } = await oneSessionOnA(h, { store: inner });
    client.drop();
    await waitFor(() => inner.get(onA.id) !== undefined, { message: 'the away write' });
    const record = inner.get(onA.id) as SessionRecord;
    inner.put(onA.id, { ...record, version: null as never }, 60_000);
    const serverB = await h.wsServer();
    const b = resumable(serverB.wss, { store: inner });
    h.defer(() => b.close());
    const errors: unknown[] = [];
    b.on('error', (error) => errors.push(error));
    expect(await client.connect(serverB.url)).toMatchObject({ outcome: 'resumed' });
    expect(inner.get(onA.id)?.version).toBe(1);
    expect(inner.get(onA.id)?.owner).not.toBe(record.owner);
    expect(errors).toEqual([]);
  });

  it("two servers on one sync memoryStore(): B claims A's record one version on; A's copy ends moved", async () => {
    const clock = new TestClock();
    const inner = memoryStore({ clock });
    const { errors, events, client, onA } = await oneSessionOnA(h, {
      store: inner,
      clock,
      sessionTtlMs: 5_000,
    });
    client.drop();
    await waitFor(() => inner.get(onA.id) !== undefined, { message: 'the away write' });
    const ownerA = inner.get(onA.id)?.owner;
    expect(onA.send('m1')).toBe('buffered');
    const serverB = await h.wsServer();
    const b = resumable(serverB.wss, { store: inner, clock });
    h.defer(() => b.close());
    const bErrors: unknown[] = [];
    b.on('error', (error) => bErrors.push(error));
    expect(await client.connect(serverB.url)).toMatchObject({ outcome: 'resumed' });
    const claimed = inner.get(onA.id);
    expect(claimed?.owner).not.toBe(ownerA);
    expect(claimed?.version).toBe(2);
    await clock.advance(5_000);
    await waitFor(() => events.at(-1)?.startsWith('close') === true, { message: 'A ended' });
    expect(events).toEqual(['dropped m1 moved', 'close moved']);
    expect(inner.get(onA.id)?.owner).toBe(claimed?.owner);
    expect([...errors, ...bErrors]).toEqual([]);
  });
});
