/**
 * A running session's write (its client leaving, an ack) never creates the record another
 * server's end of the session deleted, on a store shared by servers A and B with `claimOwned`:
 * A's client resumed on B while A's socket to it was half-open; B's session ends (its record
 * deleted); then A notices its socket gone and writes the session away. Before: A's `putOwned`
 * found no record and wrote one (a ghost: a later hello resumed an ended session, replaying a message
 * only A had, which A then reported too). Now the write is a claim of the record A last wrote (owner and
 * version): refused, A reads none and its copy ends `moved` with every message its client never
 * acknowledged reported `dropped` (the record is gone: A cannot tell B's end from an early
 * eviction). Real `ws` servers on 127.0.0.1 port 0; A's TTL on a simulated clock.
 */
import { describe, expect, it } from 'vitest';
import type { ResumableSession, SessionRecord } from '../../src/server/index.js';
import { TestClock } from '../../src/testing/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { serverB } from './server-b.js';
import { sharedOnA } from './shared-on-a.js';

const sentSeq = (record: SessionRecord | undefined) =>
  record?.kind === 'session' ? record.stream.sentSeq : undefined;

describe("a running session's write after another server's end deleted its record", () => {
  const h = useHarness();
  const options = { withReplaceOwned: true, withClaimOwned: true, sessionTtlMs: 5_000 };

  /** A's record (m0), its client back on A then half-open, resumed on B, B's session ended. */
  async function endedOnB() {
    const clock = new TestClock();
    const a = await sharedOnA(h, { ...options, clock });
    const { server, inner, id, client } = a;
    const B = await serverB(h, inner);
    const onB: ResumableSession[] = [];
    B.b.on('session', (s) => onB.push(s));
    client.drop();
    await waitFor(() => sentSeq(inner.get(id)) === 1, { message: "A's record" });
    expect(await client.connect(server.url)).toMatchObject({ outcome: 'resumed' });
    // The client stops hearing A (half-open): m1 goes out, never arrives, in no record yet.
    client.leaveHalfOpen();
    expect(a.onA.send('m1')).toBe('sent');
    expect(await client.connect(B.server.url)).toMatchObject({ outcome: 'resumed' });
    await waitFor(() => B.events.length === 1, { message: "B's resume" });
    (onB[0] as ResumableSession).close();
    await waitFor(() => inner.get(id) === undefined, { message: "B's end deleted the record" });
    expect(B.events).toEqual(['B replayed 0', 'B close closed']);
    return { ...a, B, clock };
  }

  it("A's away write lands after B's end: no record written, A's copy ends reporting m1", async () => {
    const { server, inner, id, client, events, errors, B } = await endedOnB();
    // A notices its client gone (the half-open socket): its away write.
    for (const ws of server.wss.clients) ws.terminate();
    const ended = () => events.at(-1)?.startsWith('close') === true;
    await waitFor(() => inner.get(id) !== undefined || ended(), { message: "A's away write" });
    expect(inner.get(id)).toBeUndefined();
    expect(events).toEqual(['dropped m1 moved', 'close moved']);
    expect(errors).toEqual([]);
    // A later hello naming the session finds nothing to resume (before: the ghost, m0 replayed).
    expect(await client.connect(B.server.url)).toMatchObject({ outcome: 'reset' });
  });

  it("A's ack write, queued before B's claim, lands after B's end: no record written, A's copy ends", async () => {
    const clock = new TestClock();
    const a = await sharedOnA(h, { ...options, clock });
    const { server, inner, id, client, events, errors, hold } = a;
    const B = await serverB(h, inner);
    const onB: ResumableSession[] = [];
    B.b.on('session', (s) => onB.push(s));
    client.drop();
    await waitFor(() => sentSeq(inner.get(id)) === 1, { message: "A's record" });
    expect(await client.connect(server.url)).toMatchObject({ outcome: 'resumed' });
    // A's next write (the ack of c1, after its ack delay) waits until the test lands it.
    let land = () => {};
    hold.next = () => {
      hold.wait = new Promise<void>((resolve) => {
        land = resolve;
      });
    };
    const received: string[] = [];
    a.onA.on('message', (data) => received.push(String(data)));
    client.send('c1');
    await waitFor(() => received.length === 1, { message: 'c1 on A' });
    const writes = a.calls.length;
    await clock.advance(100);
    await waitFor(() => a.calls.length > writes, { message: "A's ack write" });
    // The client stops hearing A (half-open) and resumes on B, which claims A's record (m0).
    client.leaveHalfOpen();
    expect(await client.connect(B.server.url)).toMatchObject({ outcome: 'resumed' });
    (onB[0] as ResumableSession).close();
    await waitFor(() => inner.get(id) === undefined, { message: "B's end deleted the record" });
    land();
    const ended = () => events.at(-1)?.startsWith('close') === true;
    await waitFor(() => inner.get(id) !== undefined || ended(), { message: "A's ack write landed" });
    expect(inner.get(id)).toBeUndefined();
    // c1 was delivered here and, replayed by its client, on B too: said (LV_ERR_RESUME).
    expect(events).toEqual(['error LV_ERR_RESUME', 'close moved']);
    expect(errors).toEqual([]);
    for (const ws of server.wss.clients) ws.terminate();
  });

  it('a write after its last one expired (the client attached longer than the TTL) is written', async () => {
    const clock = new TestClock();
    const { server, inner, id, client, events, errors, calls } = await sharedOnA(h, { ...options, clock });
    client.drop();
    await waitFor(() => sentSeq(inner.get(id)) === 1, { message: "A's record" });
    expect(await client.connect(server.url)).toMatchObject({ outcome: 'resumed' });
    await clock.advance(6_000);
    expect(inner.get(id)).toBeUndefined();
    calls.length = 0;
    client.drop();
    await waitFor(() => inner.get(id) !== undefined, { message: "A's away write" });
    // Its last write first (refused: expired), then "none there".
    expect(calls).toEqual(['claimOwned', 'claimOwned']);
    expect(events).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("A's close() after B's end: through claimOwned alone, not written, what A held reported", async () => {
    const { a, inner, id, events, errors, calls } = await endedOnB();
    calls.length = 0;
    await a.close();
    expect(inner.get(id)).toBeUndefined();
    // Ended as when its write fails: its record deleted while still A's (none).
    expect(calls).toEqual(['claimOwned', 'get', 'deleteOwned']);
    expect(events).toEqual(['dropped m1 server-closed', 'close server-closed']);
    expect(errors).toEqual([]);
  });
});
