/**
 * A `resumable` server's mark on the records it writes to its session store, so that two servers
 * sharing one durable store (two processes over one Redis) never delete, nor write over, each
 * other's sessions: the server that held a session away until its TTL (or evicted it) deletes
 * its record only while the record is still the one it wrote, not one another server wrote since,
 * resuming the session (docs/resume.md, sharing a store); its `close()`, and an overflow's note,
 * write it only while it is (the store's `putOwned`, one atomic step, when it has one), and
 * `close()` a record it must find there only while it is there (`replaceOwned`); a server that
 * resumes a session from the store claims the record it read only while it is still that write
 * (`claimOwned`). The mark is
 * random, one per `resumable()` call: no secret (it resumes nothing), never derived from a
 * session id.
 *
 * Owns: the mark, the records written with it, which delete a session's end makes (the
 * store's `deleteOwned` when it has one; its plain `delete` otherwise: a store one process uses
 * needs no more), the owned writes (`putOwned`, `replaceOwned`, their answers checked), and
 * what the store's record of a session is to this server (`mark`: its own, another server's, none,
 * or unread). Does not own: the store, or the order of its calls (./store-call-queue.ts).
 */
import type { StreamState } from '../resume/resume-stream.js';
import { LinkvisorError } from '../util/errors.js';
import { isThenable } from '../util/thrown.js';
import { recordFrom } from './record-from.js';
import type { RecordVersion, SessionRecord, SessionStore } from './session-store.js';

/** What the store's record of a session is to this server: its own (its mark, or unmarked:
 * written before marks), another server's (`elsewhere`: its client resumed it there since),
 * `none`, or `unread` (the store's `get` failed). */
export type RecordMark = 'own' | 'elsewhere' | 'none' | 'unread';

/** The store's record of a session as this server read it: its mark, when it is this
 * server's own (or unmarked) with a version that is a count (none: 0), which write it is, and
 * when it is another server's, the write that server resumed the session from (its `from`, if it
 * names one: ./record-from.ts). */
export interface RecordSeen {
  mark: RecordMark;
  write?: RecordVersion;
  from?: RecordVersion;
}

/** `fn(value)`, at once when `value` is no promise, else once it resolved (sync stores stay sync). */
export function afterStore<T, R>(value: T | Promise<T>, fn: (value: T) => R | Promise<R>): R | Promise<R> {
  return isThenable(value) ? Promise.resolve(value).then(fn) : fn(value as T);
}

/** The records a server writes, marked as its own, and the delete of one it ended. */
export interface StoreOwner {
  /** The mark on every record this server writes. */
  readonly owner: string;
  /** A session's record (its stream), marked, its `version` given, and `from` (the write its
   * stream was restored from) when given. */
  session(stream: StreamState, version: number, from?: RecordVersion): SessionRecord;
  /** The note left by a session that overflowed, marked, its `version` given, and `from` (the
   * write its stream was restored from) when given: a server whose copy of the session ends
   * `moved` as it reads the note counts from that write, as from a session's record. */
  overflowed(version: number, from?: RecordVersion): SessionRecord;
  /** Deletes the record of a session this server ended, unless another server wrote it since
   * (with `deleteOwned`; without it, whatever the record: the store's `delete`). */
  deleteEnded(sessionId: string): void | Promise<void>;
  /** Writes `record` of `sessionId` unless another server's record is there (the store's
   * `putOwned`, one atomic step): whether it wrote. Without `putOwned`, the store's `put`: true.
   * Throws (or rejects) LV_ERR_LISTENER when `putOwned` answers what is not a boolean. */
  writeOwned(sessionId: string, record: SessionRecord, ttlMs: number): boolean | Promise<boolean>;
  /** Writes `record` of `sessionId` only while a record of it is there, this server's or unmarked
   * (the store's `replaceOwned`, one atomic step): whether it wrote. Only when `replaces`. Throws
   * (or rejects) LV_ERR_LISTENER when it answers what is not a boolean. */
  replaceOwned(sessionId: string, record: SessionRecord, ttlMs: number): boolean | Promise<boolean>;
  /** Whether the store has `replaceOwned` (and is shared). */
  readonly replaces: boolean;
  /** Writes `record` of `sessionId` only while the store's record is the write `expected` names
   * (`null`: only while there is none), the store's `claimOwned`, one atomic step: whether it
   * wrote. Only when `claims`. Throws (or rejects) LV_ERR_LISTENER when it answers what is not a
   * boolean. */
  claim(
    sessionId: string,
    record: SessionRecord,
    ttlMs: number,
    expected: RecordVersion | null,
  ): boolean | Promise<boolean>;
  /** Whether the store has `claimOwned` (and is shared). */
  readonly claims: boolean;
  /** What the store's record of `sessionId` is to this server. Sync when the store's `get` is. A
   * failed `get` is given to `failed` (reported by the server): `unread`. */
  mark(sessionId: string, failed: (error: unknown) => void): RecordMark | Promise<RecordMark>;
  /** As `mark`, with the write the record is when it is this server's own (`RecordSeen`). */
  look(sessionId: string, failed: (error: unknown) => void): RecordSeen | Promise<RecordSeen>;
  /** Whether `record` (what the store answered) carries another server's mark. */
  elsewhere(record: unknown): boolean;
  /** Whether servers may share the store: it has `deleteOwned` (./session-store.ts). Only then
   * does a server read a record before it writes or reports its own copy's end. */
  readonly shared: boolean;
}

/** `method`'s answer, checked: a boolean, else an error naming what it was (never its content:
 * a store could answer with the key it wrote, which holds the session id). */
function wrote(answer: unknown, method: 'putOwned' | 'replaceOwned' | 'claimOwned'): boolean {
  if (typeof answer === 'boolean') return answer;
  const kind = answer === null ? 'null' : typeof answer;
  throw new LinkvisorError(
    'LV_ERR_LISTENER',
    `the session store's ${method} must answer a boolean (whether it wrote), got ${kind}: counted as a failed write`,
  );
}

/** A `claimOwned` written before `expected: null` ("must be absent") reads `expected.owner`: its
 * TypeError on null named as such (the cause kept), anything else as it was. */
function nullContract(error: unknown, expected: RecordVersion | null): unknown {
  if (expected !== null || !(error instanceof TypeError)) return error;
  return new LinkvisorError(
    'LV_ERR_LISTENER',
    "the session store's claimOwned threw a TypeError for expected: null (write only while there is no record: a session's first write, or after its last one's TTL; docs/resume.md): counted as a failed write",
    { cause: error },
  );
}

/** The mark and records of one `resumable` server over `store`. */
export function storeOwner(store: SessionStore): StoreOwner {
  const owner = globalThis.crypto.randomUUID();
  /** A record (of any kind) whose mark is another server's; an unmarked one (written before
   * marks) or what is no record counts as this server's. */
  const elsewhere = (record: unknown): boolean => {
    try {
      const mark = (record as { owner?: unknown } | null | undefined)?.owner;
      return typeof mark === 'string' && mark !== owner;
    } catch {
      return false;
    }
  };
  const markOf = (record: unknown): RecordMark =>
    record === undefined || record === null ? 'none' : elsewhere(record) ? 'elsewhere' : 'own';
  /** `record`'s mark, and which write it is when it is this server's own. */
  const seenOf = (record: unknown): RecordSeen => {
    const mark = markOf(record);
    if (mark === 'elsewhere') {
      const from = recordFrom(record);
      return from ? { mark, from } : { mark };
    }
    if (mark !== 'own') return { mark };
    const { owner: by, version } = record as { owner?: unknown; version?: unknown };
    const count = version === undefined || version === null ? 0 : version;
    if (!Number.isSafeInteger(count) || (count as number) < 0) return { mark };
    return { mark, write: { owner: typeof by === 'string' ? by : undefined, version: count as number } };
  };
  const look = (sessionId: string, failed: (error: unknown) => void): RecordSeen | Promise<RecordSeen> => {
    const unread = (error: unknown): RecordSeen => {
      failed(error);
      return { mark: 'unread' };
    };
    let got: ReturnType<SessionStore['get']>;
    try {
      got = store.get(sessionId);
    } catch (error) {
      return unread(error);
    }
    return isThenable(got) ? Promise.resolve(got).then(seenOf, unread) : seenOf(got);
  };
  const shared = typeof store.deleteOwned === 'function';
  return {
    owner,
    shared,
    replaces: shared && typeof store.replaceOwned === 'function',
    claims: shared && typeof store.claimOwned === 'function',
    elsewhere,
    mark: (sessionId, failed) => afterStore(look(sessionId, failed), (seen) => seen.mark),
    look,
    writeOwned(sessionId, record, ttlMs) {
      if (!store.putOwned) return afterStore(store.put(sessionId, record, ttlMs), () => true);
      return afterStore(store.putOwned(sessionId, record, ttlMs, owner), (answer) =>
        wrote(answer, 'putOwned'),
      );
    },
    replaceOwned(sessionId, record, ttlMs) {
      // Called only when `replaces` (the store has it).
      const replace = store.replaceOwned as NonNullable<SessionStore['replaceOwned']>;
      return afterStore(replace.call(store, sessionId, record, ttlMs, owner), (answer) =>
        wrote(answer, 'replaceOwned'),
      );
    },
    claim(sessionId, record, ttlMs, expected) {
      // Called only when `claims` (the store has it).
      const claim = store.claimOwned as NonNullable<SessionStore['claimOwned']>;
      let answer: ReturnType<typeof claim>;
      try {
        answer = claim.call(store, sessionId, record, ttlMs, owner, expected);
      } catch (error) {
        throw nullContract(error, expected);
      }
      const checked = isThenable(answer)
        ? Promise.resolve(answer).catch((error: unknown) => Promise.reject(nullContract(error, expected)))
        : answer;
      return afterStore(checked, (wrote_) => wrote(wrote_, 'claimOwned'));
    },
    session: (stream, version, from) => ({
      kind: 'session',
      stream,
      owner,
      version,
      ...(from === undefined ? {} : { from }),
    }),
    overflowed: (version, from) => ({
      kind: 'overflowed',
      owner,
      version,
      ...(from === undefined ? {} : { from }),
    }),
    deleteEnded: (sessionId) =>
      store.deleteOwned ? store.deleteOwned(sessionId, owner) : store.delete(sessionId),
  };
}
