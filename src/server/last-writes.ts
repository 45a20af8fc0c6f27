/**
 * What a `resumable` server knows of the record each of its sessions last wrote
 * (./session-writes.ts): the last write that succeeded (what it held, when, its version), the
 * writes that failed since (the store may have made them anyway: a timeout after the write), and
 * whether the record was found gone where that write must still be. From them: which writes the
 * store's record may be now (`expected`), the only ones a session's next write may replace with a
 * store that claims (`claimOwned`, ./session-store.ts): the record of a session that no longer
 * owns it (another server claimed it, or deleted it as its copy ended) is never written, nor
 * created again.
 *
 * Owns: those facts, keyed by the session's stream. Does not own: the store, the writes, or the
 * versions (./write-versions.ts).
 */
import type { ResumeStream } from '../resume/resume-stream.js';
import type { RecordVersion } from './session-store.js';
import { afterStore, type StoreOwner } from './store-owner.js';

/** A session's last write that succeeded: the last message it held (its `sentSeq`), the last
 * one received it held (its `receivedSeq`), when it was made (on the server's clock: the store
 * keeps it at least `sessionTtlMs` from then) and its version. */
export interface LastWrite {
  seq: number;
  received: number;
  atMs: number;
  version: number;
}

/** How many writes that failed since a session's last success are remembered (the newest): each
 * is one more `claimOwned` on its next write, so a long outage must not grow them. An older one
 * the store made anyway (a timeout after its commit, then only failures that it did not make) is
 * refused, then read as this server's own and claimed as read (./claim-own.ts). */
export const UNSURE_WRITES_KEPT = 4;

export class LastWrites {
  private readonly last = new WeakMap<ResumeStream, LastWrite>();
  /** The writes that failed since the last that succeeded (newest last; at most
   * `UNSURE_WRITES_KEPT`): their versions, and what each held (the store may have made it). */
  private readonly unsure = new WeakMap<ResumeStream, LastWrite[]>();
  /** The write another server's record says it resumed each stream from (its `from`), as last
   * read. */
  private readonly movedFrom = new WeakMap<ResumeStream, RecordVersion>();
  /** Streams whose record was found gone where their last write must still be. */
  private readonly gone = new WeakSet<ResumeStream>();

  constructor(
    private readonly sessionTtlMs: number,
    private readonly now: () => number,
  ) {}

  /** `stream`'s write `write` succeeded. */
  succeeded(stream: ResumeStream, write: LastWrite): void {
    this.last.set(stream, write);
    this.unsure.delete(stream);
  }

  /** `stream`'s write `write` failed: the store may hold it or not. */
  failed(stream: ResumeStream, write: LastWrite): void {
    this.unsure.set(stream, [...(this.unsure.get(stream) ?? []), write].slice(-UNSURE_WRITES_KEPT));
  }

  /** `stream`'s last write that succeeded, if any. */
  get(stream: ResumeStream): LastWrite | undefined {
    return this.last.get(stream);
  }

  /** Whether `stream`'s record is one its last write must still have left (within the TTL of that
   * write, on this server's clock). */
  mustBeThere(stream: ResumeStream): boolean {
    const last = this.last.get(stream);
    return last !== undefined && this.now() < last.atMs + this.sessionTtlMs;
  }

  /** The writes the store's record of `stream` may be while this server still owns it, most
   * likely first: its last that succeeded, those that failed since (newest first), and none
   * (`null`: absent) when it never wrote, or its last write may have expired. */
  expected(stream: ResumeStream, owner: string): (RecordVersion | null)[] {
    const last = this.last.get(stream);
    const mine = (version: number): RecordVersion => ({ owner, version });
    const unsure = [...(this.unsure.get(stream) ?? [])].reverse().map((write) => mine(write.version));
    return [...(last ? [mine(last.version)] : []), ...unsure, ...(this.mustBeThere(stream) ? [] : [null])];
  }

  /** `stream`'s record was read as another server's, which says it resumed the session from
   * `from` (its `SessionRecord.from`; undefined: it names none). */
  elsewhere(stream: ResumeStream, from: RecordVersion | undefined): void {
    if (from) this.movedFrom.set(stream, from);
    else this.movedFrom.delete(stream);
  }

  /** The write of `stream` another server resumed the session from, as far as this server knows
   * (`owner`: its mark): the one its record's `from` names when that is one of this server's it
   * remembers (its last that succeeded, or one that failed since: the store made it anyway);
   * one naming a write of this server's older than its last success: none, its content unknown;
   * else (no `from`: a record of an older version; one naming another server, or an unsure write
   * of this one no longer remembered, newer) its last write that succeeded, if any. */
  resumedFrom(stream: ResumeStream, owner: string): LastWrite | undefined {
    const last = this.last.get(stream);
    const from = this.movedFrom.get(stream);
    if (from?.owner !== owner) return last;
    const named = [...(last ? [last] : []), ...(this.unsure.get(stream) ?? [])];
    const found = named.find((write) => write.version === from.version);
    // Older than its last success (read by that server before it landed): what followed the
    // write it names is not known here, so none (every message reported, never one lost).
    return found ?? (last && from.version < last.version ? undefined : last);
  }

  /** `stream`'s record was found gone where its last write must still be: every message its
   * client never acknowledged is reported at its end (none counted as another server's). */
  lost(stream: ResumeStream): void {
    this.gone.add(stream);
  }

  /** Whether `stream`'s record was found gone (`lost`). */
  isLost(stream: ResumeStream): boolean {
    return this.gone.has(stream);
  }
}

/** Writes `record` of `sessionId` through the store's `claimOwned` (only when `records.claims`)
 * while the record is one of `expected` (tried in order, one store call each, until one writes):
 * whether it wrote. Throws (or rejects) as `records.claim` does. */
export function claimAsLast(
  records: StoreOwner,
  sessionId: string,
  record: Parameters<StoreOwner['claim']>[1],
  ttlMs: number,
  expected: readonly (RecordVersion | null)[],
): boolean | Promise<boolean> {
  const attempt = (from: number): boolean | Promise<boolean> => {
    const next = expected[from];
    if (next === undefined) return false;
    return afterStore(records.claim(sessionId, record, ttlMs, next), (wrote) => wrote || attempt(from + 1));
  };
  return attempt(0);
}
