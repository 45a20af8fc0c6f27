/**
 * `close()` of server A with a durable store servers share (it has `deleteOwned`), a session's
 * client away from A (its record written as it left: m0; m1 sent since, never written), each
 * case held deterministically by a store whose `get` the test answers:
 * - a resume on another server B between A's `get` (its own record) and its write: with
 *   `putOwned`, B's newer record is not written over (before: A's `put` did); A's copy ends
 *   `moved`, only m1 (sent after A's last write) `dropped`;
 * - a `get` that fails (its error quoting the session id): nothing written over the record (before:
 *   it counted as A's own and was written over), the failure reported without the id, the copy
 *   ends as a failed write does (`server-closed`, every unacknowledged message `dropped`);
 * - a record gone that A's last write must have left (within its TTL): B's end of the session
 *   deleted it, or the store evicted it early (LRU, memory pressure), which A cannot tell apart:
 *   not written again, the copy ends as a failed write does, every unacknowledged message
 *   `dropped` (before, on this branch: `moved`, m0 lost unreported when the store had evicted it);
 *   at an eviction the same, reported `evicted`;
 * - controls: a session never written, or whose record outlived its TTL in the store, is written.
 * Real `ws` server on 127.0.0.1 port 0; B's writes are made on the store directly.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { MemoryStore, SessionRecord } from '../../src/server/index.js';
import { TestClock } from '../../src/testing/index.js';
import { useHarness } from '../helpers/harness.js';
import { idForms } from '../helpers/secret-forms.js';
import { waitFor } from '../helpers/wait.js';
import { RawResumeClient } from './raw-resume-client.js';
import { leftA, sharedOnA } from './shared-on-a.js';

describe("close() of a server sharing its store, the record B's or gone", () => {
  const h = useHarness();

  /** A's close() with its `get` held; `between` runs after the get read the record, before it answers. */
  async function closeHeld(setup: Awaited<ReturnType<typeof leftA>>, between: () => void) {
    let answer: (() => void) | undefined;
    setup.hold.get = (id) => {
      // Only A's first get is held (a read after a refused write answers at once).
      setup.hold.get = undefined;
      const seen = setup.inner.get(id);
      return new Promise((resolve) => {
        answer = () => resolve(seen);
      });
    };
    const closed = setup.a.close();
    await waitFor(() => answer !== undefined, { message: "A's get" });
    between();
    answer?.();
    await closed;
  }

  /** B resumes the session: its marking write of the record it resumed from. */
  const resumeOnB = (inner: MemoryStore, id: string) => () => {
    const record = inner.get(id) as SessionRecord;
    inner.put(id, { ...record, owner: 'server-b' }, 60_000);
  };

  it("a resume on B between the get and the write: putOwned leaves B's record, A ends moved", async () => {
    const setup = await leftA(h);
    const { inner, id, calls, events, errors } = setup;
    await closeHeld(setup, resumeOnB(inner, id));
    expect(inner.get(id)?.owner).toBe('server-b');
    // Refused, then read once for the write B resumed from (its `from`; round 44 review).
    expect(calls).toEqual(['get', 'putOwned', 'get']);
    expect(events).toEqual(['dropped m1 moved', 'close moved']);
    expect(errors).toEqual([]);
  });

  it('a store without putOwned: the get, then put (the race not covered)', async () => {
    const setup = await leftA(h, { withPutOwned: false });
    await closeHeld(setup, () => {});
    expect(setup.calls).toEqual(['get', 'put']);
    expect(setup.events).toEqual(['close server-closed']);
  });

  it('a get that fails: nothing written over the record, reported without the id, all dropped', async () => {
    const setup = await leftA(h);
    const { inner, id, calls, events, errors } = setup;
    resumeOnB(inner, id)();
    setup.hold.get = async (key) => {
      throw new Error(`timeout reading sess:${idForms(key).join(' ')}`);
    };
    await setup.a.close();
    expect(inner.get(id)?.owner).toBe('server-b');
    // No write: the end deletes A's own record only (deleteOwned), B's stays; then reads it
    // (round 42: B's mark would end A's copy moved; this read fails too, counted as A's).
    expect(calls).toEqual(['get', 'deleteOwned', 'get']);
    expect(events).toEqual(['dropped m0 server-closed', 'dropped m1 server-closed', 'close server-closed']);
    expect(errors.map((e) => [e.code, e.message])).toEqual([
      ['LV_ERR_LISTENER', 'the session store failed to get'],
    ]);
    const shown = inspect(errors, { depth: 10 }) + JSON.stringify(errors.map((e) => [e.message, e.cause]));
    for (const form of idForms(id)) expect(shown).not.toContain(form);
  });

  it("a record gone within the TTL of A's write (B's end deleted it, or the store evicted it early): not written again, every message dropped", async () => {
    const setup = await leftA(h);
    const { inner, id, calls, events, errors } = setup;
    inner.delete(id);
    await setup.a.close();
    expect(inner.get(id)).toBeUndefined();
    // Nothing written: the record A's last write left is gone, so A cannot tell a store that
    // evicted it early (m0 lost with it) from B's end: m0 is reported, never lost unreported.
    expect(calls).toEqual(['get', 'deleteOwned']);
    expect(events).toEqual(['dropped m0 server-closed', 'dropped m1 server-closed', 'close server-closed']);
    expect(errors).toEqual([]);
  });

  it('a session never written (attached, no ack yet): written, no record needed before', async () => {
    const { inner, id, calls, a, events } = await sharedOnA(h);
    expect(inner.get(id)).toBeUndefined();
    calls.length = 0;
    await a.close();
    expect(calls).toEqual(['get', 'putOwned']);
    expect(inner.get(id)?.kind).toBe('session');
    expect(events).toEqual(['close server-closed']);
  });

  it("a record that outlived its TTL in the store (A's write older than the TTL): written", async () => {
    // The TTL on a simulated clock (the store's and A's): the record expires only when the test
    // advances it, however busy the host (a real 150 ms TTL could expire before the write's check).
    const clock = new TestClock();
    const { inner, id, calls, a, events, client, onA } = await sharedOnA(h, { sessionTtlMs: 5_000, clock });
    // The client's message: its ack waits for A's write (durable), then the record expires.
    const got: string[] = [];
    onA.on('message', (data) => got.push(String(data)));
    calls.length = 0;
    client.send('c0');
    await waitFor(() => got.length === 1, { message: 'c0 at A' });
    // A's ack timer (ackDelayMs 100, on the simulated clock) fires: the write before the ack.
    await clock.advance(100);
    await waitFor(() => inner.get(id)?.kind === 'session', { message: "A's write before its ack" });
    expect(calls).toEqual(['putOwned']);
    await clock.advance(4_999);
    expect(inner.get(id)?.kind).toBe('session');
    await clock.advance(1);
    expect(inner.get(id)).toBeUndefined();
    calls.length = 0;
    await a.close();
    expect(calls).toEqual(['get', 'putOwned']);
    expect(inner.get(id)?.kind).toBe('session');
    expect(events).toEqual(['close server-closed']);
  });

  it("an eviction, the record gone within the TTL of A's write (deleted, or evicted early by the store): every message dropped", async () => {
    const setup = await leftA(h, { maxAwaySessions: 1 });
    const { inner, id, calls, events, errors, server } = setup;
    inner.delete(id);
    // Another client leaves A: the first session is evicted (maxAwaySessions 1).
    const other = new RawResumeClient();
    h.defer(() => other.close());
    expect(await other.connect(server.url)).toEqual({ outcome: 'new' });
    other.drop();
    await waitFor(() => events.some((event) => event.startsWith('close')), { message: 'evicted' });
    expect(events).toEqual(['dropped m0 evicted', 'dropped m1 evicted', 'close evicted']);
    expect(inner.get(id)).toBeUndefined();
    // The away writes (putOwned) aside: the other client's hello's read, then the eviction's
    // delete of A's own record and its read after (test/server/shared-store-races.test.ts).
    expect(calls.filter((call) => call !== 'putOwned')).toEqual(['get', 'deleteOwned', 'get']);
    expect(errors).toEqual([]);
  });
});
