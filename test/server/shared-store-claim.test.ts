/**
 * Server B resumes a session from a store it shares with server A (it has `deleteOwned`) and
 * claims the record it read (`claimOwned`: only while it is still the write B read, same owner and
 * version). Driven deterministically: B's `get` (its client's hello) reads A's record, and answers
 * only once A's own write or end of the session has landed (./server-b.ts, `holdGet`). Every
 * message A sent is delivered to the client or reported `dropped`, never neither:
 * - A's away write lands between B's read and B's claim (A's client was half-open: m1 went out
 *   but never arrived): B's claim is refused, B reads again and replays m1 from A's newer record.
 *   Before: B's marking `put` wrote the older record (m0) over A's; nobody replayed m1, and A's
 *   expiry found B's mark and reported only what came after its last write (m1 was in it): lost
 *   unreported.
 * - A's `close()` writes the session between B's read and claim: the same (before: A's write, the
 *   only copy of m1, overwritten; A believed it stored).
 * - A's expiry (delete, then read) lands between B's read and claim: B's claim is refused, B reads
 *   none, and the hello is a reset (`unknown-session`): A reported m0 and m1 `dropped`, the client
 *   gets neither. Before: B wrote the record back and resumed the session A had reported expired.
 * - B's claim refused at every read (another write each time): after SESSION_CLAIM_TRIES the
 *   socket closes with 1013 and no session is made on B; A's record is left.
 * - the socket gone while its claim is in flight: the claimed record is held by a session on B
 *   (away: its TTL reports what its client never gets), never by nobody.
 * - a claim answering what is no boolean: LV_ERR_LISTENER naming claimOwned (never the id); the
 *   session is resumed as after a failed marking write.
 * Real `ws` servers on 127.0.0.1 port 0; A's TTL on a simulated clock.
 */
import { describe, expect, it } from 'vitest';
import { SESSION_CLAIM_TRIES } from '../../machines/policy/session-claim.js';
import type { SessionRecord } from '../../src/server/index.js';
import { TestClock } from '../../src/testing/index.js';
import { useHarness } from '../helpers/harness.js';
import { idForms } from '../helpers/secret-forms.js';
import { waitFor } from '../helpers/wait.js';
import { serverB } from './server-b.js';
import { leftA, sharedOnA } from './shared-on-a.js';

const sentSeq = (record: SessionRecord | undefined) =>
  record?.kind === 'session' ? record.stream.sentSeq : undefined;

describe('a claim of the record a hello read, on a store shared by two servers', () => {
  const h = useHarness();
  const options = { withReplaceOwned: true, withClaimOwned: true, sessionTtlMs: 5_000 };

  it("A's away write between B's read and B's claim: B reads again and replays what A stored", async () => {
    const clock = new TestClock();
    const { server, inner, id, client, onA, events } = await sharedOnA(h, { ...options, clock });
    const B = await serverB(h, inner);
    // A's record: m0 (its client left once, and came back).
    client.drop();
    await waitFor(() => sentSeq(inner.get(id)) === 1, { message: "A's record" });
    expect(await client.connect(server.url)).toMatchObject({ outcome: 'resumed' });
    // The client stops hearing A (half-open): m1 goes out, never arrives; A's record lacks it.
    client.leaveHalfOpen();
    expect(onA.send('m1')).toBe('sent');
    const release = B.holdGet();
    const resumed = client.connect(B.server.url);
    await waitFor(() => B.calls.includes('get'), { message: "B's get" });
    // A notices its client gone: its away write (m0 m1) lands after B's read.
    for (const ws of server.wss.clients) ws.terminate();
    await waitFor(() => sentSeq(inner.get(id)) === 2, { message: "A's away write" });
    release();
    expect(await resumed).toMatchObject({ outcome: 'resumed' });
    await waitFor(() => client.got.length === 2, { message: 'm1 replayed by B' });
    expect(client.got).toEqual(['m0', 'm1']);
    expect(B.events).toEqual(['B replayed 1']);
    expect(B.calls.filter((call) => call === 'claimOwned')).toHaveLength(2);
    // A's expiry: B's mark, its copy ends `moved`, nothing after its last write to report.
    await clock.advance(5_000);
    await waitFor(() => events.at(-1)?.startsWith('close') === true, { message: 'A ended' });
    expect(events).toEqual(['close moved']);
    expect(B.errors).toEqual([]);
  });

  it("A's close() writes the session between B's read and B's claim: B replays what A's close stored", async () => {
    const { a, inner, id, client, events } = await leftA(h, { ...options, clock: new TestClock() });
    const B = await serverB(h, inner);
    const release = B.holdGet();
    const resumed = client.connect(B.server.url);
    await waitFor(() => B.calls.includes('get'), { message: "B's get" });
    await a.close();
    expect(sentSeq(inner.get(id))).toBe(2);
    expect(events).toEqual(['close server-closed']);
    release();
    expect(await resumed).toMatchObject({ outcome: 'resumed' });
    await waitFor(() => client.got.length === 2, { message: 'm1 replayed by B' });
    expect(client.got).toEqual(['m0', 'm1']);
    expect(B.events).toEqual(['B replayed 1']);
    expect(inner.get(id)).toMatchObject({ stream: { sentSeq: 2 } });
    expect(inner.get(id)?.owner).not.toBe(undefined);
    expect(B.errors).toEqual([]);
  });

  it("A's expiry between B's read and B's claim: B finds none, the hello is a reset; each message reported once", async () => {
    const clock = new TestClock();
    const { inner, id, client, events, errors } = await leftA(h, { ...options, clock });
    const B = await serverB(h, inner);
    const release = B.holdGet();
    const resumed = client.connect(B.server.url);
    await waitFor(() => B.calls.includes('get'), { message: "B's get" });
    await clock.advance(5_000);
    await waitFor(() => events.at(-1)?.startsWith('close') === true, { message: 'A expired' });
    expect(events).toEqual(['dropped m0 expired', 'dropped m1 expired', 'close expired']);
    release();
    expect(await resumed).toMatchObject({ outcome: 'reset', reason: 'unknown-session' });
    // Not resumed anywhere: no record, no session on B replaying what A reported.
    expect(inner.get(id)).toBeUndefined();
    expect(B.events).toEqual([]);
    expect([...errors, ...B.errors]).toEqual([]);
  });

  it(`a claim refused at each of its ${SESSION_CLAIM_TRIES} reads: the socket closes with 1013, no session on B`, async () => {
    const { inner, id, client, events } = await leftA(h, { ...options, clock: new TestClock() });
    const B = await serverB(h, inner);
    // Inside each of B's claims, before it writes: another write of A's record (a new version).
    const bump = () => {
      const record = inner.get(id) as SessionRecord;
      inner.put(id, { ...record, version: (record.version ?? 0) + 1 }, 60_000);
    };
    const claims = B.calls;
    // Each claim, as it is made: the bump slipped into it (hold.next runs inside the call).
    const proxyPush = claims.push.bind(claims);
    claims.push = (...items: string[]) => {
      if (items.includes('claimOwned')) B.hold.next = bump;
      return proxyPush(...items);
    };
    await expect(client.connect(B.server.url)).rejects.toMatchObject({ code: 1013 });
    expect(claims.filter((call) => call === 'claimOwned')).toHaveLength(SESSION_CLAIM_TRIES);
    expect(B.events).toEqual([]);
    expect(B.b.size).toBe(0);
    expect(inner.get(id)?.owner).not.toBe(undefined);
    expect(events).toEqual([]);
  });

  it('the socket gone while its claim is in flight: the claimed record is held by a session on B, away', async () => {
    const clock = new TestClock();
    const { inner, id, client, events } = await leftA(h, { ...options, clock });
    const B = await serverB(h, inner);
    const land = B.holdWrite();
    const resumed = client.connect(B.server.url).catch(() => 'closed');
    await waitFor(() => B.calls.includes('claimOwned'), { message: "B's claim" });
    client.drop();
    await waitFor(() => B.server.wss.clients.size === 0, { message: 'the socket gone on B' });
    land();
    await waitFor(() => B.events.includes('B away'), { message: 'B away' });
    expect(await resumed).toBe('closed');
    expect(B.b.size).toBe(1);
    expect(B.events).toEqual(['B replayed 0', 'B away']);
    // B's record: claimed (A's away write one version before), then B's own away write.
    expect(inner.get(id)?.version).toBe(3);
    // B holds it: A's expiry finds B's mark, its copy ends moved (m1 never in B's record).
    await clock.advance(5_000);
    await waitFor(() => events.at(-1)?.startsWith('close') === true, { message: 'A ended' });
    expect(events).toEqual(['dropped m1 moved', 'close moved']);
    expect(B.errors).toEqual([]);
  });

  it('a claim answering what is no boolean: LV_ERR_LISTENER naming claimOwned, never the id', async () => {
    const { inner, id, client } = await leftA(h, { ...options, clock: new TestClock() });
    const B = await serverB(h, inner);
    const store = inner as unknown as { claimOwned: (...args: unknown[]) => unknown };
    const real = store.claimOwned;
    store.claimOwned = () => `wrote ${id}`;
    h.defer(() => {
      store.claimOwned = real;
    });
    expect(await client.connect(B.server.url)).toMatchObject({ outcome: 'resumed' });
    await waitFor(() => B.errors.length > 0, { message: 'reported' });
    const [error] = B.errors;
    expect(error?.code).toBe('LV_ERR_LISTENER');
    const text = `${error?.message} ${String(error?.cause)} ${JSON.stringify(error)}`;
    expect(text).toMatch(/claimOwned must answer a boolean/);
    expect(idForms(id).every((form) => !text.includes(form))).toBe(true);
  });
});
