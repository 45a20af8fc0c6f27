/**
 * Where a `resumable` server keeps sessions whose client is away (docs/resume-protocol.md §5):
 * the `SessionStore` interface (get/put/delete/deleteOwned/putOwned/replaceOwned/claimOwned, sync or
 * async, so Redis or a database fits) and
 * the in-memory store used by default, whose records expire after their TTL (without a timer:
 * each record carries its deadline).
 */

import type { StreamState } from '../resume/resume-stream.js';
import { type Clock, systemClock } from '../util/clock.js';
import { describe, isRecord } from '../util/describe.js';
import { optionError } from '../util/errors.js';
import { checkClock, checkKnownKeys } from '../util/option-checks.js';

const STORE_KEYS: ReadonlySet<string> = new Set(['clock']);

/** What a store keeps of one session: its stream, or a note that it overflowed (kept until its
 * TTL so a returning client learns why it was reset), `owner`: the mark of the server that
 * wrote it (random, one per `resumable()`; no secret), which `deleteOwned` and `putOwned`
 * compare, `version`: the session's write counter (see `RecordVersion`), and `from`: on every
 * record of a session a server resumed from the store, the write its stream was restored from
 * (that record's `owner` and `version`). Plain data: strings, numbers and Uint8Arrays; a store
 * keeps `from` as it is given (a JSON column, or two: its owner and version) and answers it back.
 * A record without `from` (written by an older version, or by a store that drops the field) still
 * resumes; the server that wrote the record it was resumed from then counts it as resumed from
 * that server's last write that succeeded (docs/resume.md, sharing a store). */
export type SessionRecord = ({ kind: 'session'; stream: StreamState } | { kind: 'overflowed' }) & {
  owner?: string;
  version?: number;
  from?: RecordVersion;
};

/**
 * Which write of a session a record is: its `owner` (undefined: unmarked, written before marks)
 * and its `version` (0: none, written before versions). Every write a server makes of a session
 * carries one more than the last version it knows of it (its own last write, or the record it
 * resumed the session from), so a server's writes of one session count up, and (owner, version)
 * names ONE write: two servers may each count on from the same record (A's ack write and B's
 * claim, both version 3), never with the same owner. A counter, rather than a random stamp per
 * write, so that a store's row says how many writes it has seen and its column is a plain
 * integer (`WHERE version = ?`); rather than the record's content or time, which two writes may
 * share (a write that changed nothing but the TTL) and clocks disagree on.
 */
export interface RecordVersion {
  owner: string | undefined;
  version: number;
}

/** Where sessions whose client is away are kept: implement it over Redis or a database to
 * resume sessions across server restarts (`durable: true`). A server's caps (`maxAwaySessions`,
 * `maxSessions`) count the sessions live in its process, not a store's records: it deletes the
 * record of a session it evicts, and a stored session counts again when its client resumes it on
 * a server. Bounding the
 * records themselves (e.g. Redis `maxmemory`) is the store's business. The server never has two
 * writes (`put`, `putOwned`, `replaceOwned`, `claimOwned`, `delete`, `deleteOwned`) about one
 * session in flight: the next
 * waits until the one before has settled; a hello's `get` waits for them too (two hellos' gets
 * may overlap). */
export interface SessionStore {
  /** The record of a session, or undefined when there is none (expired, never stored, lost). */
  get(sessionId: string): SessionRecord | undefined | Promise<SessionRecord | undefined>;
  /** Keeps the record for at least `ttlMs` (a store may keep it longer; the server expires
   * sessions itself while it runs). */
  put(sessionId: string, record: SessionRecord, ttlMs: number): void | Promise<void>;
  delete(sessionId: string): void | Promise<void>;
  /**
   * Deletes the record of `sessionId` only if its `owner` is `owner`, as ONE atomic step (Redis:
   * a script comparing the field, SQL: `DELETE … WHERE id = ? AND owner = ?`). A server calls it
   * as a session it held ends (expired, evicted, closed): with it, two servers (processes) may
   * share one store, since a session's client that left server A and resumed on server B has a
   * record B wrote (B writes it as it resumes the session), which A's expiry of its own, older
   * copy leaves alone. Optional: without it the server calls `delete`, whatever the record —
   * fine for a store one process uses; with a store shared by several, A's expiry then deletes
   * the record of the session live on B (B writes it again at its next ack or when its client
   * leaves; a crash of B before that loses it: the client's next hello is a reset). With it, a
   * server also `get`s the record just after its copy of a session ends by TTL or eviction (after
   * this delete: a resume on B whose marking write lands before the delete, or between it and the
   * read, is seen; one landing after the read is not: docs/resume.md, not covered), and
   * before its `close()` writes it: one another server marked means the session moved there (its
   * copy ends `moved`, nothing written over the newer record; docs/resume.md, sharing a store).
   * Its answer is not read (void, or a promise of anything): the read after it tells all a boolean
   * would, and more. A `get`
   * that fails as `close()` is to write, or finds no record where this server's last write (within
   * its TTL) must still be (another server's end deleted it, or the store evicted it early):
   * nothing written, the session ends as when its write fails (every unacknowledged message
   * `dropped`: a store that evicts early loses no report).
   */
  deleteOwned?(sessionId: string, owner: string): void | Promise<void>;
  /**
   * Writes `record` (as `put`) only while the record of `sessionId` is absent, unmarked (no
   * `owner`) or marked `owner`, as ONE atomic step (no other write between the comparison and the
   * write; an expired record counts as absent), and answers whether it wrote (a boolean, or a
   * promise of one). Redis: one Lua script that compares the `owner` field, then writes the record
   * with its `PEXPIRE` and returns 1, else 0. SQL: `INSERT … ON CONFLICT (id) DO UPDATE SET …
   * WHERE owner IS NULL OR owner = ? OR expires_at <= now()`, true when it changed a row.
   *
   * Used with a shared store (one with `deleteOwned`; `putOwned` without it is an error) for a
   * session's writes while it runs (its client leaving, before an ack), by `close()` once its
   * `get` found the record its own (one it wrote within its TTL goes through `replaceOwned`, when
   * the store has it), and for an overflow's note: never over another server's
   * record (its client resumed there). Without it, a client that resumed on another server in
   * between would have its newer record written over. `false` to a session's write or `close()`:
   * the session moved there and ends `moved` (no ack follows); to the note: not written, the copy
   * still ends `overflow`. An answer that is not a boolean is reported as a failed write
   * (LV_ERR_LISTENER).
   */
  putOwned?(
    sessionId: string,
    record: SessionRecord,
    ttlMs: number,
    owner: string,
  ): boolean | Promise<boolean>;
  /**
   * Writes `record` (as `put`) only while a record of `sessionId` is there (not expired), unmarked
   * or marked `owner`, as ONE atomic step, and answers whether it wrote (a boolean, or a promise of
   * one). Redis: one Lua script that writes (and `PEXPIRE`s) only when the key exists and its
   * `owner` field is missing or `ARGV[1]`, returning 1, else 0. SQL: `UPDATE … WHERE id = ? AND
   * (owner IS NULL OR owner = ?) AND expires_at > now()`, true when it changed a row.
   *
   * Used with a shared store (one with `deleteOwned`; `replaceOwned` without it is an error) by
   * `close()` for a session whose record this server wrote within its TTL, so must still be there:
   * never written again once another server's end of the session deleted it (else that ended
   * session could be resumed, from the stale record, after a restart). `false`: the server reads
   * the record: another server's mark, the session moved there (its copy ends `moved`); none, it
   * ends as when its write fails (every unacknowledged message `dropped`). Without it, `close()`
   * reads, then writes through `putOwned`, which writes over a record deleted between the two. An
   * answer that is not a boolean is reported as a failed write (LV_ERR_LISTENER).
   *
   * @deprecated Give the store `claimOwned`, which compares the write itself (owner and version):
   * a server then never calls `replaceOwned`. Still called for a store without `claimOwned`.
   */
  replaceOwned?(
    sessionId: string,
    record: SessionRecord,
    ttlMs: number,
    owner: string,
  ): boolean | Promise<boolean>;
  /**
   * Writes `record` (as `put`) only while the record of `sessionId` is still the write `expected`
   * names (not expired; its `owner` is `expected.owner`, none when that is undefined, and its
   * `version`, 0 when it has none, is `expected.version`), or, when `expected` is `null`, only
   * while there is no record (none, or expired), as ONE atomic step, and answers whether it wrote
   * (a boolean, or a promise of one). Redis: one Lua script that writes (and `PEXPIRE`s) only when
   * the key exists and its `owner` and `version` fields are `ARGV[1]` and `ARGV[2]` (a missing
   * field as ''/0), returning 1, else 0; for `null`, only when the key does not exist (`SET … NX
   * PX`, or `EXISTS` in the script). SQL: `UPDATE … SET …, owner = ?, version = ? WHERE id = ? AND
   * owner IS NOT DISTINCT FROM ? AND coalesce(version, 0) = ? AND expires_at > now()`, true when it
   * changed a row; for `null`, `INSERT … ON CONFLICT (id) DO UPDATE SET … WHERE
   * sessions.expires_at <= now()`, true when it changed a row.
   *
   * Used with a shared store (one with `deleteOwned`; `claimOwned` without it is an error) for
   * every write that must not land over, nor after, another server's (docs/resume.md, sharing a
   * store). By the server that resumes a session from the store (its client's hello): it claims
   * the record it read, marked as its own, before it answers. Another server's write of the
   * session since (its client leaving, an ack, its `close()`) or its end (an expiry's delete) makes
   * it `false`: the server reads again and answers from what it finds now (the newer record,
   * replayed; none, a reset), up to `SESSION_CLAIM_TRIES` reads; after as many refusals the
   * client's socket is closed with 1013 (its link tries again, its session kept). By a session's
   * writes while it runs (its client leaving, before an ack with a durable store) and its
   * overflow's note: `expected` is the session's last write here (then any that failed since,
   * newest first; then `null` when it never wrote, or that write's TTL has passed), one call each
   * until one writes. All refused: the record is no longer this server's (another server claimed
   * it, or deleted it as its copy of the session ended): nothing is written, nor created again,
   * and the server reads it: another server's mark, its copy ends `moved`; none, it ends `moved`
   * too with every message its client never acknowledged `dropped` (an early eviction by the
   * store looks the same). By `close()` the same way (none: it ends as when its write fails).
   * With `claimOwned` the server calls neither `putOwned` nor `replaceOwned`. Without it the server marks the record with a plain `put` of what it
   * read, over any write made since, and writes a running session through `putOwned`
   * (docs/resume.md, not covered). An answer that is not a boolean, or a failure, is reported
   * (LV_ERR_LISTENER, or as a failed `put`); a claim's: the session is resumed as when its marking
   * `put` fails. A claim whose hello then gets no session (the server full, or closing, or the
   * session could not be made) is given back by another `claimOwned`: `record` as it was read (its
   * `owner` and `version`: another server's, or none), `expected` the claim. So the store keeps the
   * `owner` and `version` of `record` (the SQL columns set from them), never the `owner` argument
   * (the calling server's mark).
   */
  claimOwned?(
    sessionId: string,
    record: SessionRecord,
    ttlMs: number,
    owner: string,
    expected: RecordVersion | null,
  ): boolean | Promise<boolean>;
  /** True when records survive this process (a server restart resumes its sessions). */
  readonly durable?: boolean;
  /** Releases the store's timers and memory (called by the server for its default store). */
  close?(): void;
}

/** The in-memory store (`memoryStore()`): its size, and `close()` to forget every record. */
export interface MemoryStore extends SessionStore {
  /** Records held now (expired ones are forgotten as soon as they are read or swept). */
  readonly size: number;
  /** The record of a session, or undefined (sync: this process's memory). */
  get(sessionId: string): SessionRecord | undefined;
  /** Deletes the record only if its `owner` is `owner` (sync: one step in this process). */
  deleteOwned(sessionId: string, owner: string): void;
  /** Writes the record only while there is none, or it is unmarked or `owner`'s: whether it wrote. */
  putOwned(sessionId: string, record: SessionRecord, ttlMs: number, owner: string): boolean;
  /** Writes the record only while one is there, unmarked or `owner`'s: whether it wrote. */
  replaceOwned(sessionId: string, record: SessionRecord, ttlMs: number, owner: string): boolean;
  /** Writes the record only while the one there is the write `expected` names (`null`: only while
   * there is none): whether it wrote. */
  claimOwned(
    sessionId: string,
    record: SessionRecord,
    ttlMs: number,
    owner: string,
    expected: RecordVersion | null,
  ): boolean;
  close(): void;
}

/** Whether `held` is the write `expected` names (its owner, and its version: 0 when none). */
function isWrite(held: SessionRecord | undefined, expected: RecordVersion): boolean {
  return held !== undefined && held.owner === expected.owner && (held.version ?? 0) === expected.version;
}

/**
 * Sessions in this process's memory, each for its TTL; lost when the process ends. It keeps no
 * timer: each record holds its deadline (on the clock), checked when it is read and swept, earliest
 * first, whenever another is written — so expired records cost no memory past the next write,
 * and a server's session timers live in its session charts alone (machines/session.machine.ts).
 * Records are kept by TTL (a server's `sessionTtlMs`; two servers sharing the store may use two):
 * within one TTL, write order is deadline order, so each TTL's sweep stops at its first live record.
 */
export function memoryStore(options: { clock?: Clock } = {}): MemoryStore {
  const given: unknown = options;
  if (!isRecord(given)) throw optionError('options', `must be an object, got ${describe(given)}`);
  checkKnownKeys(given, STORE_KEYS, '');
  // Only its now() is read (records carry deadlines; no timer).
  if (given.clock !== undefined) checkClock(given.clock, 'clock', ['now']);
  const clock = options.clock ?? systemClock;
  type Held = { record: SessionRecord; deadline: number; ttlMs: number };
  /** Every record, by session id. */
  const records = new Map<string, Held>();
  /** The same records by TTL, each in write order (a record written again moves to the end). */
  const byTtl = new Map<number, Map<string, Held>>();
  const forget = (sessionId: string) => {
    const held = records.get(sessionId);
    if (!held) return;
    records.delete(sessionId);
    const same = byTtl.get(held.ttlMs);
    same?.delete(sessionId);
    if (same?.size === 0) byTtl.delete(held.ttlMs);
  };
  const sweep = (now: number) => {
    for (const same of byTtl.values()) {
      for (const [sessionId, held] of same) {
        // Earliest deadline of this TTL first: the first live one ends its sweep.
        if (held.deadline > now) break;
        forget(sessionId);
      }
    }
  };
  const get = (sessionId: string): SessionRecord | undefined => {
    const held = records.get(sessionId);
    if (!held) return undefined;
    if (held.deadline > clock.now()) return held.record;
    forget(sessionId);
    return undefined;
  };
  const put = (sessionId: string, record: SessionRecord, ttlMs: number) => {
    const now = clock.now();
    forget(sessionId);
    sweep(now);
    const held = { record, deadline: now + ttlMs, ttlMs };
    records.set(sessionId, held);
    const same = byTtl.get(ttlMs) ?? new Map<string, Held>();
    byTtl.set(ttlMs, same);
    same.set(sessionId, held);
  };
  return {
    durable: false,
    get size() {
      sweep(clock.now());
      return records.size;
    },
    get,
    put,
    putOwned(sessionId, record, ttlMs, owner) {
      const mark = get(sessionId)?.owner;
      if (mark !== undefined && mark !== owner) return false;
      put(sessionId, record, ttlMs);
      return true;
    },
    replaceOwned(sessionId, record, ttlMs, owner) {
      const held = get(sessionId);
      if (held === undefined || (held.owner !== undefined && held.owner !== owner)) return false;
      put(sessionId, record, ttlMs);
      return true;
    },
    claimOwned(sessionId, record, ttlMs, _owner, expected) {
      const held = get(sessionId);
      if (expected === null ? held !== undefined : !isWrite(held, expected)) return false;
      put(sessionId, record, ttlMs);
      return true;
    },
    delete(sessionId) {
      forget(sessionId);
    },
    deleteOwned(sessionId, owner) {
      if (records.get(sessionId)?.record.owner === owner) forget(sessionId);
    },
    close() {
      records.clear();
      byTtl.clear();
    },
  };
}
