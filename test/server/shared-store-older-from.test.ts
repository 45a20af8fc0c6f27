/**
 * Round 44 review (i44store): B read A's write v1 for a hello, A's next write v2 succeeded before
 * B's marking `put` landed (file stores: a plain `put`), so B's record names v1 in `from` while
 * A's last write that succeeded is v2. A no longer remembers v1 (older than its last success):
 * counting from v2 would leave m1 (sent by A after v1, never received, not in B's record) lost
 * and unreported. A must count from nothing it remembers: m1 reported. A's expiry is held until
 * B's mark is in the store (a 400 ms TTL on the real clock expired first on a loaded host). Real
 * `ws` servers on 127.0.0.1 port 0, two file stores over one directory.
 */
import { expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { type ResumableSession, resumable } from '../../src/server/index.js';
import type { SessionRecord, SessionStore } from '../../src/server/session-store.js';
import { useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { fileStore, tempDir } from './file-store.js';
import { holdingTimers } from './unsure-writes.js';
import { watchTwoServers } from './watch-two-servers.js';

const h = useHarness();

/** `store` whose `put` (B's marking write) waits for `release()`. */
function heldPuts(store: SessionStore) {
  const held: (() => void)[] = [];
  const wrapped: SessionStore = {
    get: (id) => store.get(id),
    put: async (id, record, ttlMs) => {
      await new Promise<void>((resolve) => held.push(resolve));
      return store.put(id, record, ttlMs);
    },
    delete: (id) => store.delete(id),
    deleteOwned: (id, owner) => store.deleteOwned?.(id, owner),
    ...(store.putOwned && { putOwned: store.putOwned.bind(store) }),
  };
  return { store: wrapped, held };
}

it("B's from names A's write older than A's last success: A reports what followed it (never lost unreported)", async () => {
  const { dir, remove } = tempDir();
  h.defer(remove);
  const [serverA, serverB] = [await h.wsServer(), await h.wsServer()];
  const forB = heldPuts(fileStore(dir));
  const reader = fileStore(dir);
  const { clock, fireHeld } = holdingTimers(60_000);
  const a = resumable(serverA.wss, { store: fileStore(dir), sessionTtlMs: 60_000, clock });
  const b = resumable(serverB.wss, { store: forB.store });
  h.defer(() => a.close());
  h.defer(() => b.close());
  const { errors, events, sessions, client } = watchTwoServers(h, a, b);
  expect(await client.connect(serverA.url)).toEqual({ outcome: 'new' });
  const onA = sessions[0] as ResumableSession;
  const stored = async () => (await reader.get(onA.id)) as SessionRecord & { stream?: { sentSeq: number } };
  expect(onA.send('m0')).toBe('sent');
  await waitFor(() => client.got.length === 1, { message: 'm0' });
  client.send('c0');
  await waitFor(async () => (await stored())?.kind === 'session', { message: "A's write v1" });
  const v1 = await stored();
  // The client leaves unseen; B reads v1, its marking put held.
  const ws = client.leaveHalfOpen() as WebSocket;
  const resumed = client.connect(serverB.url);
  await waitFor(() => forB.held.length === 1, { message: "B's marking put" });
  // A sends m1 (never received), then sees the socket close: its away write (v2) succeeds.
  expect(onA.send('m1')).toBe('sent');
  ws.terminate();
  await waitFor(async () => (await stored()).version !== v1.version, { message: "A's away write" });
  expect((await stored()).owner).toBe(v1.owner);
  for (const release of forB.held.splice(0)) release();
  expect(await resumed).toMatchObject({ outcome: 'resumed' });
  await waitFor(async () => (await stored()).owner !== v1.owner, { message: "B's mark" });
  expect((await stored()).from).toEqual({ owner: v1.owner, version: v1.version });
  // A's TTL passes (held until now).
  expect(fireHeld()).toBe(1);
  await waitFor(() => events.some((e) => e.startsWith('A ') && !e.includes('dropped')), {
    message: 'A ended',
    timeoutMs: 5_000,
  });
  await sleep(50);
  expect(client.got).toEqual(['m0']);
  // m1: never received, B never had it (its record is v1's): reported by A. m0 too (A cannot
  // tell what v1 held: dropped and delivered, as a record without `from` counts; never lost).
  expect(events).toEqual(['A dropped m0 moved', 'A dropped m1 moved', 'A moved']);
  expect(errors).toEqual([]);
}, 20_000);
