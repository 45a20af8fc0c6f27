/**
 * Which write a session's record was resumed from (`SessionRecord.from`, ./session-store.ts), read
 * from what a store answered: a server that resumed a session from the store writes, on every
 * record of it, the write (owner and version) its stream was restored from, so that the server
 * that wrote that record, as its own copy of the session ends `moved`, reports `dropped` only what
 * followed THAT write (one its store may have made though it reported failure), not what followed
 * its last write that succeeded.
 */
import type { RecordVersion } from './session-store.js';

/** `record`'s `from` when it names a write (an owner that is a string, or none, and a version that
 * is a count); undefined otherwise: none (a record written before `from`, or by a server that made
 * the session), or a field that is no write (ignored, never trusted: the caller falls back to its
 * last write that succeeded). Never throws (a store's record may be anything). */
export function recordFrom(record: unknown): RecordVersion | undefined {
  try {
    const from = (record as { from?: unknown } | null | undefined)?.from;
    if (typeof from !== 'object' || from === null) return undefined;
    const { owner, version } = from as { owner?: unknown; version?: unknown };
    if (owner !== undefined && typeof owner !== 'string') return undefined;
    if (!Number.isSafeInteger(version) || (version as number) < 0) return undefined;
    return { owner, version: version as number };
  } catch {
    return undefined;
  }
}
