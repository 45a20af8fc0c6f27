/**
 * Each session's write counter as this `resumable` server knows it (./session-store.ts,
 * `RecordVersion`): the write of the store's record a session's stream was restored from (its
 * owner and version: what this server's claim of it compares), and the version of the last write
 * this server made of it; its next write carries one more.
 *
 * Owns: those numbers, keyed by the session's stream (the one object a session keeps from the
 * hello that made it to its end, and the one a hello's lookup restores before any session
 * exists). Does not own: the store, or the writes (./session-writes.ts).
 */
import type { ResumeStream } from '../resume/resume-stream.js';
import { recordFrom } from './record-from.js';
import type { RecordVersion, SessionRecord } from './session-store.js';

export class WriteVersions {
  /** The write each stream restored from the store was read from. */
  private readonly read = new WeakMap<ResumeStream, RecordVersion>();
  /** The `from` of the record each stream was restored from, when it had one (a claim given back
   * writes the record as read). */
  private readonly readFrom = new WeakMap<ResumeStream, RecordVersion>();
  /** The version of each stream's last write made by this server. */
  private readonly last = new WeakMap<ResumeStream, number>();

  /** `stream` was restored from `record` (what the store answered, checked: ./read-record.ts).
   * A record without a version (written before versions; or null) counts as version 0; an owner that is
   * no string as none. */
  restored(stream: ResumeStream, record: SessionRecord): void {
    const owner = typeof record.owner === 'string' ? record.owner : undefined;
    this.read.set(stream, { owner, version: record.version ?? 0 });
    const from = recordFrom(record);
    if (from) this.readFrom.set(stream, from);
  }

  /** What `stream`'s records name as the write it was restored from (`SessionRecord.from`): its
   * origin when that is a server's (marked) write; undefined for a stream this server made, or one
   * restored from an unmarked record (written before marks: it names no server). */
  from(stream: ResumeStream): RecordVersion | undefined {
    const origin = this.read.get(stream);
    return origin?.owner === undefined ? undefined : origin;
  }

  /** The `from` of the record `stream` was restored from (./record-from.ts), if it had one. */
  originFrom(stream: ResumeStream): RecordVersion | undefined {
    return this.readFrom.get(stream);
  }

  /** The write `stream` was restored from, when it was restored from the store. */
  origin(stream: ResumeStream): RecordVersion | undefined {
    return this.read.get(stream);
  }

  /** The version of `stream`'s next write (counted as made): one more than its last write's, or
   * than its record's, or 1. */
  next(stream: ResumeStream): number {
    const version = (this.last.get(stream) ?? this.read.get(stream)?.version ?? 0) + 1;
    this.last.set(stream, version);
    return version;
  }
}
