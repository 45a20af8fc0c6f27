/**
 * A session's conditional write with a shared store that does not claim (`putOwned`, written
 * only while the record is not another server's): refused, the record is read once so that the
 * write that server resumed the session from (its `from`, ./record-from.ts) is known to this
 * server's copy, which ends `moved` and reports `dropped` only what followed that write (one its
 * store may have made though it reported failure; round 44 review: before, a refused write left
 * it unread and the copy counted from its last write that succeeded, reporting as dropped
 * messages the other server had replayed).
 *
 * Owns: that write and read. Does not own: the store, or what its caller does with the outcome
 * (./session-writes.ts).
 */
import type { OwnWrite } from './claim-own.js';
import type { RecordVersion, SessionRecord } from './session-store.js';
import { afterStore, type StoreOwner } from './store-owner.js';

/** Writes `record` of `sessionId` unless the store's record is another server's: `wrote`, else
 * `elsewhere` once the record was read, `elsewhere(from)` told what that server's record names
 * (read as another server's). A read that fails goes to `failed` (the caller reports it) and
 * names nothing: the caller counts from its last write that succeeded (more reported, never
 * fewer). Throws (or rejects) as `records.writeOwned` does. */
export function putOwn(
  records: StoreOwner,
  sessionId: string,
  record: SessionRecord,
  ttlMs: number,
  failed: (error: unknown) => void,
  elsewhere: (from: RecordVersion | undefined) => void,
): OwnWrite | Promise<OwnWrite> {
  return afterStore(records.writeOwned(sessionId, record, ttlMs), (wrote) => {
    if (wrote) return 'wrote';
    return afterStore(records.look(sessionId, failed), (seen): OwnWrite => {
      if (seen.mark === 'elsewhere') elsewhere(seen.from);
      return 'elsewhere';
    });
  });
}
