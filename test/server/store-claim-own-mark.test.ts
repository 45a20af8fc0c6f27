/**
 * A session's write refused by a store that claims (`claimOwned`), whose record then reads as
 * this server's OWN (or cannot be read): the record is the session's, at a write it no longer
 * expects (one the store made though it reported failure, then more failures than
 * `UNSURE_WRITES_KEPT` it did not make). Before round 42 such a refusal counted the record lost:
 * A's copy ended `moved` reporting every unacknowledged message `dropped`, and left the record in
 * place, so a server sharing the store replayed them to the client (reported AND delivered); its
 * `close()` deleted a record it could have kept. Now an own record is claimed again as the write
 * read (the session goes on owning it), and a read that fails is a failed write (reported once;
 * the session goes on, its next write claims again), never a loss. Real `ws` servers on
 * 127.0.0.1 port 0.
 */
import { describe, expect, it } from 'vitest';
import { SESSION_CLAIM_TRIES } from '../../machines/policy/session-claim.js';
import type { SessionRecord } from '../../src/server/index.js';
import { UNSURE_WRITES_KEPT } from '../../src/server/last-writes.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { flakyClaimStore } from './flaky-claim-store.js';
import { oneSessionOnA } from './one-session-on-a.js';
import { serverB } from './server-b.js';

const versionOf = (record: SessionRecord | undefined) => record?.version ?? 0;

describe('a refused claim that finds the session its own record', () => {
  const h = useHarness();

  /** A's session (m1 unacknowledged), its record A's write that "failed", then more failed
   * writes than A remembers: the record is A's own at a version A no longer claims. */
  async function ownAtForgottenWrite() {
    const flaky = flakyClaimStore();
    const { inner, calls, state, store } = flaky;
    const onA = await oneSessionOnA(h, { store, sessionTtlMs: 60_000 });
    const { server, id, client, errors } = onA;
    state.mode = 'timeout';
    client.drop();
    await waitFor(() => errors.length === 1, { message: 'the away write, made though it failed' });
    const made = inner.get(id);
    expect(made).toMatchObject({ kind: 'session', stream: { sentSeq: 1 } });
    state.mode = 'lost';
    for (let i = 0; i < UNSURE_WRITES_KEPT; i++) {
      expect(await client.connect(server.url)).toMatchObject({ outcome: 'resumed' });
      const before = calls.length;
      client.drop();
      await waitFor(() => calls.length > before, { message: `failed away write ${i}` });
    }
    state.mode = 'ok';
    expect(await client.connect(server.url)).toMatchObject({ outcome: 'resumed' });
    // m0 acknowledged by the hello; m1 the client never acknowledges.
    expect(onA.onA.send('m1')).toBe('sent');
    await waitFor(() => client.got.length === 2, { message: 'm1' });
    await waitFor(() => calls.at(-1) !== 'claimOwned' || errors.length === 1, { message: 'settled' });
    expect(inner.get(id)).toBe(made);
    calls.length = 0;
    return { ...onA, ...flaky, made };
  }

  it("the away write claims the own record as read: the session stays A's, nothing dropped", async () => {
    const { inner, id, client, events, errors, calls, made, server } = await ownAtForgottenWrite();
    client.drop();
    await waitFor(() => inner.get(id) !== made || events.length > 0, { message: 'the away write' });
    expect(events).toEqual([]);
    expect(versionOf(inner.get(id))).toBeGreaterThan(versionOf(made));
    // The newest failed writes and none-there refused, the read, the claim of what it read.
    expect(calls).toEqual([...Array(UNSURE_WRITES_KEPT + 1).fill('claimOwned'), 'get', 'claimOwned']);
    expect(errors).toHaveLength(1);
    // Its client resumes it on A, m1 replayed once, never reported dropped.
    expect(await client.connect(server.url)).toMatchObject({ outcome: 'resumed' });
    expect(events).toEqual([]);
  });

  it('close() keeps the own record (claimed as read): nothing dropped, resumable after', async () => {
    const { a, inner, id, client, events, made } = await ownAtForgottenWrite();
    await a.close();
    expect(events).toEqual(['close server-closed']);
    expect(inner.get(id)).toMatchObject({ kind: 'session', stream: { sentSeq: 2 } });
    expect(versionOf(inner.get(id))).toBeGreaterThan(versionOf(made));
    // Another server sharing the store resumes it from that record (the client had m1: its hello
    // acknowledges it there): delivered once, dropped never.
    const B = await serverB(h, inner);
    expect(await client.connect(B.server.url)).toMatchObject({ outcome: 'resumed' });
    await waitFor(() => B.events.length === 1, { message: "B's resume" });
    expect(B.events).toEqual(['B replayed 0']);
    expect(client.got.filter((m) => m === 'm1')).toHaveLength(1);
  });

  it('a read that fails after the refusal is a failed write, not a loss: reported once, the session goes on', async () => {
    const { inner, id, client, events, errors, state, calls, made, server } = await ownAtForgottenWrite();
    state.getFails = Number.POSITIVE_INFINITY;
    client.drop();
    await waitFor(() => calls.includes('get') && errors.length === 2, {
      message: 'the refused write, unread',
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Refused, then read SESSION_CLAIM_TRIES times, each failing: one report.
    expect(calls.filter((call) => call === 'get')).toHaveLength(SESSION_CLAIM_TRIES);
    expect(events).toEqual([]);
    expect(errors.map((e) => e.message)).toEqual([
      'the session store failed to put',
      'the session store failed to get',
    ]);
    expect(errors.map((e) => `${e.message} ${String(e.cause)}`).join(' ')).not.toContain(id);
    expect(inner.get(id)).toBe(made);
    // The store answers again: the client resumes on A, its next write claims the record read.
    state.getFails = 0;
    expect(await client.connect(server.url)).toMatchObject({ outcome: 'resumed' });
    client.drop();
    await waitFor(() => inner.get(id) !== made || events.length > 0, { message: 'the next away write' });
    expect(events).toEqual([]);
    expect(versionOf(inner.get(id))).toBeGreaterThan(versionOf(made));
    expect(errors).toHaveLength(2);
  });
});
