/**
 * A `resumable` server's mark on the records it writes to its session store, so that two servers
 * sharing one durable store (two processes over one Redis) never delete each other's sessions:
 * the server that held a session away until its TTL (or evicted it) deletes its record only
 * while the record is still the one it wrote, not one another server wrote since, resuming the
 * session (docs/resume.md, sharing a store). The mark is random, one per `resumable()` call: no
 * secret (it resumes nothing), never derived from a session id.
 *
 * Owns: the mark, the records written with it, which delete a session's end makes (the
 * store's `deleteOwned` when it has one; its plain `delete` otherwise: a store one process uses
 * needs no more), and whether a session's record is now another server's (`heldElsewhere`: its
 * client resumed it there, so this server's copy is stale). Does not own: the store, or the order
 * of its calls (./store-call-queue.ts).
 */
import type { StreamState } from '../resume/resume-stream.js';
import type { SessionRecord, SessionStore } from './session-store.js';

/** The records a server writes, marked as its own, and the delete of one it ended. */
export interface StoreOwner {
  /** The mark on every record this server writes. */
  readonly owner: string;
  /** A session's record (its stream), marked. */
  session(stream: StreamState): SessionRecord;
  /** The note left by a session that overflowed, marked. */
  overflowed(): SessionRecord;
  /** Deletes the record of a session this server ended, unless another server wrote it since
   * (with `deleteOwned`; without it, whatever the record: the store's `delete`). */
  deleteEnded(sessionId: string): void | Promise<void>;
  /** Whether the store's record of `sessionId` carries another server's mark (its client resumed
   * it there since). Sync when the store answers synchronously. A failed `get` is given to
   * `failed` (reported by the server) and counts as not elsewhere. */
  heldElsewhere(sessionId: string, failed: (error: unknown) => void): boolean | Promise<boolean>;
  /** Whether `record` (what the store answered) carries another server's mark. */
  elsewhere(record: unknown): boolean;
  /** Runs `write` unless the record is another server's now (`heldElsewhere`): then calls
   * `moved()` and writes nothing. Sync when the store's `get` and `write` are. */
  unlessMoved(
    sessionId: string,
    failed: (error: unknown) => void,
    write: () => void | Promise<void>,
    moved: () => void,
  ): void | Promise<void>;
  /** Whether servers may share the store: it has `deleteOwned` (./session-store.ts). Only then
   * does a server read a record before it writes or reports its own copy's end. */
  readonly shared: boolean;
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
  const heldElsewhere = (sessionId: string, failed: (error: unknown) => void): boolean | Promise<boolean> => {
    let got: ReturnType<SessionStore['get']>;
    try {
      got = store.get(sessionId);
    } catch (error) {
      failed(error);
      return false;
    }
    if (got && typeof (got as Promise<unknown>).then === 'function') {
      return Promise.resolve(got).then(elsewhere, (error: unknown) => {
        failed(error);
        return false;
      });
    }
    return elsewhere(got);
  };
  return {
    owner,
    shared: typeof store.deleteOwned === 'function',
    heldElsewhere,
    elsewhere,
    unlessMoved(sessionId, failed, write, moved) {
      const then = (away: boolean) => {
        if (!away) return write();
        moved();
      };
      const away = heldElsewhere(sessionId, failed);
      return typeof away === 'boolean' ? then(away) : away.then(then);
    },
    session: (stream) => ({ kind: 'session', stream, owner }),
    overflowed: () => ({ kind: 'overflowed', owner }),
    deleteEnded: (sessionId) =>
      store.deleteOwned ? store.deleteOwned(sessionId, owner) : store.delete(sessionId),
  };
}
