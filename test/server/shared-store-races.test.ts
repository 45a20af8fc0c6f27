/**
 * Races of two servers' calls on one shared store (it has `deleteOwned`), each held
 * deterministically: the other server's change lands inside server A's first store call about a
 * session (after that call's read, before its write: `Hold.next`), whatever order A makes its
 * calls in. Server A has one session whose client is away (A's record: m0; m1 sent since).
 * - `close()`, B's end of the session deleting the record (or the store evicting it) as A's close
 *   begins: with `replaceOwned`, not written again (before: A's `get` read its own record, then its
 *   `putOwned` wrote over the absent one: a session ended on B resurrected); every message
 *   `dropped` (A cannot tell B's end from an early eviction, which lost m0). Without
 *   `replaceOwned`, the race is not covered (control). Controls: with `replaceOwned` and A's
 *   record there, one call writes it; B's resume landing instead: B's record left, A `moved`.
 * - A's expiry, B resuming the session (B read A's record before; its marking write lands as A's
 *   expiry begins): A's copy ends `moved`, only m1 (never in the record B resumed from) `dropped`,
 *   B's record left (before: A's `get` read its own record, its `deleteOwned` left B's, and A
 *   reported m0 `expired` too, which B replays: reported and delivered).
 * - the same close() race with the away write still in flight as close() begins (`hold.wait`):
 *   whether the record must be there is decided as close()'s step runs, after that write landed
 *   (before: at the call, no write yet, so a read and `putOwned`, which wrote it again).
 * - B's claim (`claimOwned`, compared with the write B read) landing after A's expiry deleted and
 *   read the record: refused, nothing written (before, B's marking write was a plain `put` of what
 *   it read, which wrote the record back: A reported m0 `expired`, B replayed it).
 * Real `ws` server on 127.0.0.1 port 0; the TTL on a simulated clock; B's writes made on the store.
 */
import { describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../src/server/index.js';
import { TestClock } from '../../src/testing/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { leftA, sharedOnA } from './shared-on-a.js';

describe("races of two servers' calls on a shared store", () => {
  const h = useHarness();

  /** A (TTL 5 s on a simulated clock) with one session away: A's record holds m0, m1 sent since. */
  async function awayOnA(withReplaceOwned: boolean) {
    const clock = new TestClock();
    return { ...(await leftA(h, { withReplaceOwned, sessionTtlMs: 5_000, clock })), clock };
  }

  it.each([true, false])(
    "close(), B's end deleting the record as A's close begins (replaceOwned %s)",
    async (withReplaceOwned) => {
      const { a, inner, id, calls, hold, events, errors } = await awayOnA(withReplaceOwned);
      hold.next = () => inner.delete(id);
      await a.close();
      expect(errors).toEqual([]);
      if (!withReplaceOwned) {
        // Not covered without it: the read found A's own record, putOwned wrote over none.
        expect(calls).toEqual(['get', 'putOwned']);
        expect(inner.get(id)?.kind).toBe('session');
        expect(events).toEqual(['close server-closed']);
        return;
      }
      expect(inner.get(id)).toBeUndefined();
      expect(calls).toEqual(['replaceOwned', 'get', 'deleteOwned']);
      expect(events).toEqual(['dropped m0 server-closed', 'dropped m1 server-closed', 'close server-closed']);
    },
  );

  it("close() with replaceOwned, A's record still there: written in one call", async () => {
    const { a, inner, id, calls, events, errors } = await awayOnA(true);
    await a.close();
    expect(calls).toEqual(['replaceOwned']);
    expect(inner.get(id)).toMatchObject({ kind: 'session', stream: { sentSeq: 2 } });
    expect(events).toEqual(['close server-closed']);
    expect(errors).toEqual([]);
  });

  it("close() with replaceOwned, B's resume landing as A's close begins: B's record left, A moved", async () => {
    const { a, inner, id, calls, hold, events, errors } = await awayOnA(true);
    hold.next = () => inner.put(id, { ...(inner.get(id) as SessionRecord), owner: 'server-b' }, 60_000);
    await a.close();
    expect(calls).toEqual(['replaceOwned', 'get']);
    expect(inner.get(id)?.owner).toBe('server-b');
    expect(events).toEqual(['dropped m1 moved', 'close moved']);
    expect(errors).toEqual([]);
  });

  it.each([false, true])(
    "A's expiry, B's resume landing as A's expiry begins (B's read before: %s)",
    async (readFirst) => {
      const { clock, inner, id, calls, hold, events, errors } = await awayOnA(false);
      // B reads A's record (its hello), then writes it marked as B's.
      let seen = inner.get(id) as SessionRecord;
      hold.next = () => {
        if (!readFirst) seen = inner.get(id) as SessionRecord;
        inner.put(id, { ...seen, owner: 'server-b' }, 60_000);
      };
      await clock.advance(5_000);
      await waitFor(() => events.length > 0 && events.at(-1)?.startsWith('close') === true, {
        message: 'ended',
      });
      expect(events).toEqual(['dropped m1 moved', 'close moved']);
      expect(inner.get(id)?.owner).toBe('server-b');
      expect(calls).toHaveLength(2);
      expect(errors).toEqual([]);
    },
  );

  it("A's expiry, B's claim landing after A's delete and read: refused, nothing resumed A reported", async () => {
    // B read A's record before A's expiry; its claim (the store's claimOwned: only while the record
    // is still the write B read) lands after A's delete and A's read: refused, nothing written, so
    // B reads none and answers its client's hello with a reset (test/server/shared-store-claim).
    // Before (B's marking write a plain `put` of what it read): the record written back, and B
    // resumed and replayed what A had reported `expired`. Without claimOwned the window remains
    // (docs/resume.md, not covered).
    const { clock, inner, id, calls, hold, events, errors } = await awayOnA(false);
    const seen = inner.get(id) as SessionRecord;
    const expected = { owner: seen.owner, version: seen.version ?? 0 };
    expect(expected.version).toBeGreaterThan(0);
    let claimed: boolean | undefined;
    hold.next = () => {
      hold.next = () => {
        claimed = inner.claimOwned(
          id,
          { ...seen, owner: 'server-b', version: expected.version + 1 },
          60_000,
          'server-b',
          expected,
        );
      };
    };
    await clock.advance(5_000);
    await waitFor(() => events.at(-1)?.startsWith('close') === true, { message: 'ended' });
    expect(calls).toEqual(['deleteOwned', 'get']);
    expect(claimed).toBe(false);
    expect(events).toEqual(['dropped m0 expired', 'dropped m1 expired', 'close expired']);
    expect(inner.get(id)).toBeUndefined();
    expect(errors).toEqual([]);
  });

  it("close() as the away write is still in flight, B's end deleting the record as A's close step runs: not written again", async () => {
    // The away write (A's record: m0) still unanswered when close() begins: whether the record
    // must be there is known only once it lands, so close() decides then (before: at its call,
    // no write yet, so its read and putOwned, which wrote the deleted record again).
    const clock = new TestClock();
    const setup = await sharedOnA(h, { withReplaceOwned: true, sessionTtlMs: 5_000, clock });
    const { a, inner, id, calls, hold, client, events } = setup;
    let land: (() => void) | undefined;
    hold.next = () => {
      // Inside the away write (before it writes): wait for the test's word.
      const landed = new Promise<void>((resolve) => {
        land = resolve;
      });
      hold.wait = landed;
    };
    calls.length = 0;
    client.drop();
    await waitFor(() => land !== undefined, { message: 'the away write begun' });
    const closed = a.close();
    hold.next = () => inner.delete(id);
    land?.();
    await closed;
    expect(inner.get(id)).toBeUndefined();
    expect(calls).toEqual(['putOwned', 'replaceOwned', 'get', 'deleteOwned']);
    expect(events).toEqual(['dropped m0 server-closed', 'close server-closed']);
  });
});
