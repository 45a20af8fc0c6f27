/**
 * A session's conditional write with a store that claims (`claimOwned`), to its end: claimed as
 * one of the writes the session last made (./last-writes.ts, `claimAsLast`); refused, the record
 * is read to tell why. Another server's mark: its client resumed it there (`elsewhere`). None:
 * gone (another server's end deleted it, or the store evicted it early). This server's own mark:
 * the record IS this session's, at a write it no longer expects (one the store made though it
 * reported failure, older than the newest `UNSURE_WRITES_KEPT`): claimed again as the write read,
 * so the session goes on owning it (before round 42 it was counted lost: every message its
 * client never acknowledged reported `dropped`, while the record stayed for another server to
 * replay them). A read that fails is tried again; at most `SESSION_CLAIM_TRIES` reads and claims after the refusal
 * (machines/policy/session-claim.ts, as a hello's), then `unread`: nothing known (the last read's
 * failure given to the caller, who counts the write as failed, never the record as lost); own at
 * each read with each claim of it refused: thrown, a failed write the caller reports.
 *
 * Owns: that sequence of store calls. Does not own: the store, the writes the session made, or
 * what its caller does with the outcome (./session-writes.ts).
 */
import { SESSION_CLAIM_TRIES } from '../../machines/policy/session-claim.js';
import { claimAsLast } from './last-writes.js';
import type { RecordVersion, SessionRecord } from './session-store.js';
import { afterStore, type StoreOwner } from './store-owner.js';

/** What a failed write says when the record read as this server's own each time and every
 * claim of it as read was refused (no session id: reported as the store's error). */
export const OWN_CLAIMS_REFUSED = "the store refused each claim of the record it read as this server's own";

/** How a session's claimed write ended: written, or refused and the record read as another
 * server's (`elsewhere`), none (`none`), or not read (`unread`: the store's `get` failed). A
 * record that kept reading as this server's own while each claim of it was refused throws
 * (`OWN_CLAIMS_REFUSED`): a failed write. */
export type OwnWrite = 'wrote' | 'elsewhere' | 'none' | 'unread';

/** Writes `record` of `sessionId` while the store's record is one of `expected` (in order), else
 * while it is the own write a read finds; see the file's header. `failed`: the last failed `get`
 * when every read failed (reported by the caller); `elsewhere`: the `from` of another server's
 * record read (the write it resumed the session from, if it names one). Throws (or rejects) as
 * `records.claim` does. */
export function claimOwn(
  records: StoreOwner,
  sessionId: string,
  record: SessionRecord,
  ttlMs: number,
  expected: readonly (RecordVersion | null)[],
  failed: (error: unknown) => void,
  elsewhere: (from: RecordVersion | undefined) => void = () => {},
): OwnWrite | Promise<OwnWrite> {
  let failure: unknown;
  const unread = (error: unknown) => {
    failure = error;
  };
  // Each read or claim after the refusal counts one try; a read that fails is tried again.
  const reread = (tried: number): OwnWrite | Promise<OwnWrite> =>
    afterStore(records.look(sessionId, unread), (seen) => {
      if (seen.mark === 'unread' && tried < SESSION_CLAIM_TRIES) return reread(tried + 1);
      if (seen.mark === 'unread') failed(failure);
      if (seen.mark === 'elsewhere') elsewhere(seen.from);
      if (seen.mark !== 'own') return seen.mark;
      // Own, with no version that can be claimed (not a count): nothing a hello resumes either.
      if (seen.write === undefined) return 'none';
      // Read as its own each time, each claim of it refused: the write failed (thrown: reported
      // by the caller as a failed write, never silent; round 42 review).
      if (tried >= SESSION_CLAIM_TRIES) throw new Error(OWN_CLAIMS_REFUSED);
      return afterStore(records.claim(sessionId, record, ttlMs, seen.write), (wrote) =>
        wrote ? 'wrote' : reread(tried + 1),
      );
    });
  return afterStore(claimAsLast(records, sessionId, record, ttlMs, expected), (wrote) =>
    wrote ? 'wrote' : reread(1),
  );
}
