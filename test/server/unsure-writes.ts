/**
 * Two servers sharing one store, A's running writes of a session scripted: each write `ok`,
 * `applied` (the store makes it, then A is told it failed: a timeout after the commit) or `lost`
 * (it fails, nothing made). `file`: two file stores over one directory (`putOwned`; B marks the
 * record it resumed from with a plain `put`); `memory`: one memory store both servers use
 * (`claimOwned`; B claims the record as it resumes). `olderB`: B writes records without `from`, as
 * a server of an older version would. A's TTL is 60 s unless `ttlA`, its expiry held until the test
 * calls `expireA()` (A's other timers run on the real clock): never while a loaded host is slow to
 * resume the client on B (before, with a 400 ms TTL: A's copy expired first under load, the client
 * got `reset` or A ended `expired`). B's `maxMessages` is `maxMessagesB` when given. Real `ws`
 * servers on 127.0.0.1 port 0.
 */

import { expect } from 'vitest';
import type { WebSocket } from 'ws';
import { type ResumableSession, resumable } from '../../src/server/index.js';
import { memoryStore, type SessionRecord, type SessionStore } from '../../src/server/session-store.js';
import { type Clock, systemClock } from '../../src/util/clock.js';
import type { Harness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { fileStore, tempDir } from './file-store.js';
import { watchTwoServers } from './watch-two-servers.js';

export type WriteOutcome = 'ok' | 'applied' | 'lost';

/** `store` whose owned writes (`putOwned`, `claimOwned`) follow `script`, one entry per call
 * (then `ok`), and which is durable (A writes before each ack); `writer.owner`: the owner A's
 * records name. */
function scripted(store: SessionStore, script: WriteOutcome[], writer: { owner?: string }): SessionStore {
  // Each call takes its entry as it is made.
  const outcome = () => script.shift() ?? 'ok';
  const run = async (record: SessionRecord, write: () => boolean | Promise<boolean>) => {
    writer.owner = record.owner;
    const next = outcome();
    if (next === 'lost') throw new Error('timeout before commit');
    const wrote = await write();
    if (next === 'applied') throw new Error('timeout after commit');
    return wrote;
  };
  const { putOwned, claimOwned } = store;
  return {
    get: (id) => store.get(id),
    put: (id, record, ttlMs) => store.put(id, record, ttlMs),
    delete: (id) => store.delete(id),
    deleteOwned: (id, owner) => store.deleteOwned?.(id, owner),
    durable: true,
    ...(putOwned && { putOwned: (...args) => run(args[1], () => putOwned.apply(store, args)) }),
    ...(claimOwned && { claimOwned: (...args) => run(args[1], () => claimOwned.apply(store, args)) }),
  };
}

/** `store` as a server of an older version writes it: every record without `from`. */
function withoutFrom(store: SessionStore): SessionStore {
  const strip = ({ from: _from, ...record }: SessionRecord) => record as SessionRecord;
  const { putOwned, claimOwned } = store;
  return {
    ...store,
    get: (id) => store.get(id),
    put: (id, record, ttlMs) => store.put(id, strip(record), ttlMs),
    delete: (id) => store.delete(id),
    deleteOwned: (id, owner) => store.deleteOwned?.(id, owner),
    ...(putOwned && {
      putOwned: (id, record, ttl, owner) => putOwned.call(store, id, strip(record), ttl, owner),
    }),
    ...(claimOwned && {
      claimOwned: (id, record, ttl, owner, expected) =>
        claimOwned.call(store, id, strip(record), ttl, owner, expected),
    }),
  };
}

/** The system clock, but each timer of `heldMs` (A's session TTL) fires only on `fireHeld()`,
 * early, never on its own (cleared ones never). */
export function holdingTimers(heldMs: number) {
  const held = new Map<object, () => void>();
  const clock: Clock = {
    now: () => systemClock.now(),
    setTimeout(fn, ms) {
      if (ms !== heldMs) return systemClock.setTimeout(fn, ms);
      const id = {};
      held.set(id, fn);
      return id;
    },
    clearTimeout(id) {
      if (!held.delete(id as object)) systemClock.clearTimeout(id);
    },
  };
  const fireHeld = () => {
    const due = [...held.values()];
    held.clear();
    for (const fn of due) fn();
    return due.length;
  };
  return { clock, fireHeld };
}

export async function unsureWrites(
  h: Harness,
  kind: 'file' | 'memory',
  script: WriteOutcome[],
  options: { olderB?: boolean; ttlA?: number; maxMessagesB?: number } = {},
) {
  const [serverA, serverB] = [await h.wsServer(), await h.wsServer()];
  const ttlA = options.ttlA ?? 60_000;
  const { clock, fireHeld } = holdingTimers(ttlA);
  let stores: [SessionStore, SessionStore, SessionStore];
  if (kind === 'file') {
    const { dir, remove } = tempDir();
    h.defer(remove);
    stores = [fileStore(dir), fileStore(dir), fileStore(dir)];
  } else {
    const shared = memoryStore();
    stores = [shared, shared, shared];
  }
  const [forA, forB, reader] = stores;
  const writer: { owner?: string } = {};
  const a = resumable(serverA.wss, { store: scripted(forA, script, writer), sessionTtlMs: ttlA, clock });
  const b = resumable(serverB.wss, {
    store: options.olderB ? withoutFrom(forB) : forB,
    ...(options.maxMessagesB === undefined ? {} : { maxMessages: options.maxMessagesB }),
  });
  h.defer(() => a.close());
  h.defer(() => b.close());
  const { errors, events, sessions, client } = watchTwoServers(h, a, b);
  expect(await client.connect(serverA.url)).toEqual({ outcome: 'new' });
  const onA = sessions[0] as ResumableSession;
  return {
    a,
    errors,
    events,
    client,
    onA,
    /** Every session in the order it opened (A's first, then B's once the client resumes there). */
    sessions,
    /** What is left of the script (empty: every scripted write was called). */
    script,
    /** The store's record of the session now: its kind, its stream's `sentSeq` and `receivedSeq`,
     * `from` and owner. */
    async stored() {
      const got = (await reader.get(onA.id)) as SessionRecord | undefined;
      const stream = got?.kind === 'session' ? got.stream : undefined;
      return {
        kind: got?.kind,
        sent: stream?.sentSeq,
        received: stream?.receivedSeq,
        from: got?.from,
        owner: got?.owner,
      };
    },
    /** A sends m0, the client gets it and answers c0, and A's first write (its `ok`, `applied` or
     * `lost` as scripted, before A acknowledges c0) holds c0 as received. */
    async m0Written() {
      expect(onA.send('m0')).toBe('sent');
      await waitFor(() => client.got.length === 1, { message: 'm0' });
      client.send('c0');
      await waitFor(async () => (await this.stored()).received === 1, {
        message: "A's write before its ack",
      });
    },
    /** The client's network drops unseen, A sends `data` (sent, never received), then A sees the
     * socket close (its away write follows). */
    sendUnseen(data: string) {
      const ws = client.leaveHalfOpen() as WebSocket;
      expect(onA.send(data)).toBe('sent');
      ws.terminate();
    },
    resumeOnB: () => client.connect(serverB.url),
    /** Once B's record replaced A's (B's mark or claim: its owner, not A's), A's TTL passes (its
     * copy is away: A saw its socket close and armed its expiry). */
    async expireA() {
      await waitFor(
        async () => {
          const { owner } = await this.stored();
          return owner !== undefined && owner !== writer.owner;
        },
        { message: "B's record before A's expiry" },
      );
      expect(writer.owner).toBeDefined();
      expect(fireHeld()).toBe(1);
    },
    /** Resolves once A's copy ended (its `close`). */
    async aEnded() {
      await waitFor(() => events.some((event) => event.startsWith('A ') && !event.includes('dropped')), {
        message: 'A ended',
        timeoutMs: 5_000,
      });
    },
  };
}
