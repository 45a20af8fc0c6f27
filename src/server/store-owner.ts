/**
 * A `resumable` server's mark on the records it writes to its session store, so that two servers
 * sharing one durable store (two processes over one Redis) never delete each other's sessions:
 * the server that held a session away until its TTL (or evicted it) deletes its record only
 * while the record is still the one it wrote, not one another server wrote since, resuming the
 * session (docs/resume.md, sharing a store). The mark is random, one per `resumable()` call: no
 * secret (it resumes nothing), never derived from a session id.
 *
 * Owns: the mark, the records written with it, and which delete a session's end makes (the
 * store's `deleteOwned` when it has one; its plain `delete` otherwise: a store one process uses
 * needs no more). Does not own: the store, or the order of its calls (./store-call-queue.ts).
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
}

/** The mark and records of one `resumable` server over `store`. */
export function storeOwner(store: SessionStore): StoreOwner {
  const owner = globalThis.crypto.randomUUID();
  return {
    owner,
    session: (stream) => ({ kind: 'session', stream, owner }),
    overflowed: () => ({ kind: 'overflowed', owner }),
    deleteEnded: (sessionId) =>
      store.deleteOwned ? store.deleteOwned(sessionId, owner) : store.delete(sessionId),
  };
}
