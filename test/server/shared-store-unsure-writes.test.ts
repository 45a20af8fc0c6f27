/**
 * Round 44, i44store: a session's copy on server A ends `moved` (its client resumed it on B from
 * the shared store) after writes of A's that reported failure, some made by the store anyway. B's
 * records name the write they were resumed from (`SessionRecord.from`), so A reports `dropped`
 * exactly what followed THAT write: never a message the client had from B (before: all that
 * followed A's last write that succeeded, each reported dropped and delivered), always one B never
 * had. Each case over file stores (`putOwned`; B marks with a `put`) and one memory store
 * (`claimOwned`; B claims). Real `ws` servers on 127.0.0.1 port 0.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { unsureWrites } from './unsure-writes.js';

describe.each(['file', 'memory'] as const)('A moved after unsure writes (%s store)', (kind) => {
  const h = useHarness();

  it('a write the store did not make: B resumed from the older record, A reports what followed it', async () => {
    const s = await unsureWrites(h, kind, ['ok', 'lost']);
    await s.m0Written();
    s.sendUnseen('m1');
    await waitFor(() => s.errors.length === 1, { message: "A's away write failed" });
    expect((await s.stored()).sent).toBe(1);
    expect(await s.resumeOnB()).toMatchObject({ outcome: 'resumed' });
    await s.expireA();
    await s.aEnded();
    await sleep(50);
    expect(s.events).toEqual(['A dropped m1 moved', 'A moved']);
    expect(s.client.got).toEqual(['m0']);
    expect(s.errors).toEqual(['the session store failed to put Error: timeout before commit']);
  }, 20_000);

  it('two unsure writes in a row, the first made: A reports what followed the first', async () => {
    const s = await unsureWrites(h, kind, ['applied', 'lost']);
    await s.m0Written();
    s.sendUnseen('m1');
    await waitFor(() => s.script.length === 0, { message: "A's away write" });
    await sleep(50);
    expect((await s.stored()).sent).toBe(1);
    expect(await s.resumeOnB()).toMatchObject({ outcome: 'resumed' });
    await s.expireA();
    await s.aEnded();
    await sleep(50);
    expect(s.events).toEqual(['A dropped m1 moved', 'A moved']);
    expect(s.client.got).toEqual(['m0']);
    // One report per run of failed writes (the second is of the same run).
    expect(s.errors).toEqual(['the session store failed to put Error: timeout after commit']);
  }, 20_000);

  it('two unsure writes in a row, both made: A reports nothing the client had', async () => {
    const s = await unsureWrites(h, kind, ['applied', 'applied']);
    await s.m0Written();
    expect(s.onA.send('m1')).toBe('sent');
    await waitFor(() => s.client.got.length === 2, { message: 'm1' });
    s.client.drop();
    await waitFor(async () => (await s.stored()).sent === 2, { message: "A's away write (made)" });
    expect(await s.resumeOnB()).toMatchObject({ outcome: 'resumed' });
    await s.expireA();
    await s.aEnded();
    await sleep(50);
    expect(s.events).toEqual(['A moved']);
    expect(s.client.got).toEqual(['m0', 'm1']);
    expect(s.errors).toEqual(['the session store failed to put Error: timeout after commit']);
  }, 20_000);

  it('an unsure write, then one that succeeded: B replays from the latter, A reports nothing', async () => {
    const s = await unsureWrites(h, kind, ['applied', 'ok']);
    await s.m0Written();
    s.sendUnseen('m1');
    await waitFor(async () => (await s.stored()).sent === 2, { message: "A's away write" });
    expect(await s.resumeOnB()).toMatchObject({ outcome: 'resumed' });
    await waitFor(() => s.client.got.length === 2, { message: 'm1 replayed by B' });
    await s.expireA();
    await s.aEnded();
    await sleep(50);
    expect(s.events).toEqual(['A moved']);
    expect(s.client.got).toEqual(['m0', 'm1']);
    expect(s.errors).toEqual(['the session store failed to put Error: timeout after commit']);
  }, 20_000);

  it("A's close() after its unsure write: not written over B's record, nothing the client had reported", async () => {
    const s = await unsureWrites(h, kind, ['applied'], { ttlA: 60_000 });
    expect(s.onA.send('m0')).toBe('sent');
    expect(s.onA.send('m1')).toBe('sent');
    await waitFor(() => s.client.got.length === 2, { message: 'm0, m1' });
    s.client.drop();
    await waitFor(async () => (await s.stored()).sent === 2, { message: "A's away write (made)" });
    const ownerA = (await s.stored()).owner;
    expect(await s.resumeOnB()).toMatchObject({ outcome: 'resumed' });
    await waitFor(async () => (await s.stored()).owner !== ownerA, { message: "B's mark" });
    const before = await s.stored();
    expect(before.from).toEqual({ owner: ownerA, version: 1 });
    await s.a.close();
    expect(s.events).toEqual(['A moved']);
    expect(await s.stored()).toEqual(before);
    expect(s.errors).toEqual(['the session store failed to put Error: timeout after commit']);
  }, 20_000);

  it("A's write refused after B's mark (its client had left unseen): A reports what followed B's from", async () => {
    const s = await unsureWrites(h, kind, ['applied']);
    await s.m0Written();
    await waitFor(() => s.errors.length === 1, { message: "A's write reported failed" });
    const ownerA = (await s.stored()).owner;
    // A never sees its socket close until B's record is there: its away write comes after.
    const ws = s.client.leaveHalfOpen() as WebSocket;
    expect(await s.resumeOnB()).toMatchObject({ outcome: 'resumed' });
    await waitFor(async () => (await s.stored()).owner !== ownerA, { message: "B's mark" });
    expect((await s.stored()).from).toEqual({ owner: ownerA, version: 1 });
    ws.terminate();
    await s.aEnded();
    await sleep(50);
    // Before: the refused write (`putOwned`) never read B's `from`: A counted from its last write
    // that succeeded (none) and reported m0 dropped, which the client had.
    expect(s.events).toEqual(['A moved']);
    expect(s.client.got).toEqual(['m0']);
    expect(s.errors).toEqual(['the session store failed to put Error: timeout after commit']);
  }, 20_000);

  it('B of an older version (records without `from`): A counts its last write that succeeded', async () => {
    const s = await unsureWrites(h, kind, ['applied'], { olderB: true });
    expect(s.onA.send('m0')).toBe('sent');
    expect(s.onA.send('m1')).toBe('sent');
    await waitFor(() => s.client.got.length === 2, { message: 'm0, m1' });
    s.client.drop();
    await waitFor(async () => (await s.stored()).sent === 2, { message: "A's away write (made)" });
    expect(await s.resumeOnB()).toMatchObject({ outcome: 'resumed' });
    await waitFor(async () => (await s.stored()).owner !== undefined, { message: "B's mark" });
    expect((await s.stored()).from).toBeUndefined();
    await s.expireA();
    await s.aEnded();
    await sleep(50);
    // The report of round 43 and before: dropped and delivered (never a message lost unreported).
    expect(s.events).toEqual(['A dropped m0 moved', 'A dropped m1 moved', 'A moved']);
    expect(s.client.got).toEqual(['m0', 'm1']);
  }, 20_000);
});
