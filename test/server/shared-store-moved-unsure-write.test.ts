/**
 * Round 43, item 3 (reproduction): a write the store applied while reporting failure (a timeout
 * after its commit). Server A's away write of a session (m0, m1 sent, received, never
 * acknowledged) lands in the shared store but A's `putOwned` rejects; the client resumes on B from
 * that record (B had m0 and m1). A's copy then expires and ends `moved`: it reports `dropped`
 * what followed its last *successful* write (none: so m0 and m1), though B resumed from the
 * later write and the client has both: each reported dropped and delivered.
 * Fixed in round 44: B's record names the write it resumed from (`from`: A's, version 1), so A
 * reports what followed that write (nothing). Neighbouring cases: ./shared-store-unsure-writes.test.ts.
 * Real `ws` servers on 127.0.0.1 port 0, two file stores over one directory.
 */
import { describe, expect, it } from 'vitest';
import { type ResumableSession, resumable } from '../../src/server/index.js';
import type { SessionRecord } from '../../src/server/session-store.js';
import { useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { fileStore, tempDir } from './file-store.js';
import { watchTwoServers } from './watch-two-servers.js';

describe('a session that moved from a write its store applied while reporting failure', () => {
  const h = useHarness();

  // it.fails until round 44: B's records now name the write they were resumed from
  // (`SessionRecord.from`), which A remembers though the store reported it failed.
  it("A's expiry reports dropped nothing the client had from B", async () => {
    const { dir, remove } = tempDir();
    h.defer(remove);
    const [serverA, serverB] = [await h.wsServer(), await h.wsServer()];
    const storeA = fileStore(dir);
    let failNext = true;
    const putOwned = storeA.putOwned?.bind(storeA) as NonNullable<typeof storeA.putOwned>;
    // Applied, then reported failed: once.
    storeA.putOwned = async (id: string, record: SessionRecord, ttlMs: number, owner: string) => {
      const wrote = await putOwned(id, record, ttlMs, owner);
      if (failNext) {
        failNext = false;
        throw new Error('timeout after commit');
      }
      return wrote;
    };
    const a = resumable(serverA.wss, { store: storeA, sessionTtlMs: 400 });
    const b = resumable(serverB.wss, { store: fileStore(dir) });
    h.defer(() => a.close());
    h.defer(() => b.close());
    const { errors, events, sessions, client } = watchTwoServers(h, a, b);
    expect(await client.connect(serverA.url)).toEqual({ outcome: 'new' });
    const onA = sessions[0] as ResumableSession;
    const id = onA.id;
    expect(onA.send('m0')).toBe('sent');
    expect(onA.send('m1')).toBe('sent');
    await waitFor(() => client.got.length === 2, { message: 'm0, m1' });
    const reader = fileStore(dir);
    client.drop();
    await waitFor(async () => sentSeq(await reader.get(id)) === 2, { message: "A's record (applied)" });
    await waitFor(() => errors.length === 1, { message: "A's write reported failed" });
    const ownerA = (await reader.get(id))?.owner;
    expect(await client.connect(serverB.url)).toMatchObject({ outcome: 'resumed' });
    // B's mark, naming the write it resumed from: A's first.
    await waitFor(async () => (await reader.get(id))?.owner !== ownerA, { message: "B's mark" });
    expect((await reader.get(id))?.from).toEqual({ owner: ownerA, version: 1 });
    await waitFor(() => events.some((event) => event.startsWith('A ') && !event.includes('dropped')), {
      message: 'A ended',
      timeoutMs: 5_000,
    });
    await sleep(50);
    expect(client.got).toEqual(['m0', 'm1']);
    expect(events).toEqual(['A moved']);
  }, 20_000);
});

function sentSeq(record: unknown): number | undefined {
  return (record as { stream?: { sentSeq?: number } } | undefined)?.stream?.sentSeq;
}
