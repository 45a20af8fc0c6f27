/**
 * A `resumable` server's claims of the records its hellos resume from, with a store that claims
 * (`claimOwned`, docs/resume.md): a hello that restored a session from another server's record
 * claims it before it is answered (written with this server's mark, only while it is still the
 * write read; refused, the hello reads again: ./claimed-lookup.ts), and a claim no session took
 * (the server full, or closing) is given back as it was read.
 *
 * Owns: which streams were claimed (or whose claim failed), and what a claim wrote while no
 * session holds it. Does not own: the store, its call order (./store-call-queue.ts), the versions
 * (./write-versions.ts), or a session's writes after its claim (./session-writes.ts).
 */
import type { Known } from '../resume/answer-hello.js';
import { ResumeStream, type StreamState } from '../resume/resume-stream.js';
import type { Clock } from '../util/clock.js';
import type { LastWrite } from './last-writes.js';
import type { RecordVersion, SessionRecord } from './session-store.js';
import type { StoreCallQueue } from './store-call-queue.js';
import { afterStore, type StoreOwner } from './store-owner.js';
import type { WriteVersions } from './write-versions.js';

/** A claim's write: the record's stream as read, and the version the claim gave it. */
interface ClaimedAs {
  state: StreamState;
  version: number;
}

/** What a hello's claim tells the session's writes: it wrote (`last`, the session's last write
 * now), or it failed (the record may still be the other server's). */
export interface ClaimOutcomes {
  claimed(stream: ResumeStream, last: LastWrite): void;
  failed(stream: ResumeStream): void;
}

/** The claims of records hellos resumed from; see the file's header. */
export class HelloClaims {
  /** Streams restored from a record this server claimed (or tried to: the store failed) for the
   * hello that restored them: no marking write follows. */
  private readonly claimed = new WeakSet<ResumeStream>();
  /** Streams whose claim wrote, while no session holds it: what the claim wrote (`release`). */
  private readonly claimedAs = new WeakMap<ResumeStream, ClaimedAs>();

  constructor(
    private readonly calls: StoreCallQueue,
    private readonly records: StoreOwner,
    private readonly sessionTtlMs: number,
    private readonly clock: Clock,
    private readonly versions: WriteVersions,
    private readonly outcomes: ClaimOutcomes,
  ) {}

  /** Whether the store claims (./store-owner.ts) and `stream` (a hello's lookup) was restored
   * from its record: then the hello claims that record before it is answered. */
  claims(stream: unknown): stream is ResumeStream {
    return (
      this.records.claims && stream instanceof ResumeStream && this.versions.origin(stream) !== undefined
    );
  }

  /** Whether `stream` was claimed for its hello (or the claim failed): no marking write follows. */
  wasClaimed(stream: ResumeStream): boolean {
    return this.claimed.has(stream);
  }

  /** Claims the record `stream` was restored from for a hello (the store's `claimOwned`: only
   * while it is still the write read), marked as this server's, as read (its client's hello not
   * applied: what it acknowledged is dropped at the next write). `refused`: another server wrote
   * or deleted it since (the hello reads again). `failed` (reported as a failed put, or an answer
   * that is no boolean): the record may still be the other server's, as after a failed marking
   * write, so the session's end deletes it whatever its mark. Claimed as `closing()` became true
   * (the server's close() began: no session will hold it): given back in the same store call
   * (`release`), which close() waits for; `refused`. */
  async claim(
    id: string,
    stream: ResumeStream,
    closing: () => boolean,
  ): Promise<'claimed' | 'refused' | 'failed'> {
    const expected = this.versions.origin(stream) as RecordVersion;
    const state = stream.state();
    let wrote = false;
    let atMs = 0;
    let version = 0;
    const write = () => {
      atMs = this.clock.now();
      version = this.versions.next(stream);
      // Names the write it resumed from: that server's end reports only what followed it.
      const record = this.records.session(state, version, this.versions.from(stream));
      return afterStore(this.records.claim(id, record, this.sessionTtlMs, expected), (answer) => {
        wrote = answer && !closing();
        if (answer) this.claimedAs.set(stream, { state, version });
        if (answer && !wrote) return this.giveBack(id, stream);
      });
    };
    try {
      await this.calls.run('put', id, write, true);
    } catch {
      this.claimed.add(stream);
      this.outcomes.failed(stream);
      return 'failed';
    }
    if (!wrote) return 'refused';
    this.claimed.add(stream);
    this.outcomes.claimed(stream, { seq: state.sentSeq, received: state.receivedSeq, atMs, version });
    return 'claimed';
  }

  /** Gives back the record claimed for `known` (its hello made no session: the server full, or
   * closing): written as it was read (the other server's mark and version, so that server still
   * holds it, and reports what it never delivers), only while it is still this server's claim.
   * Nothing for a stream not claimed. A failure is reported (a failed put). */
  release(id: string, known: Known): void {
    if (known instanceof ResumeStream && this.claimedAs.has(known))
      this.calls.run('put', id, () => this.giveBack(id, known), true);
  }

  private giveBack(id: string, stream: ResumeStream): void | Promise<void> {
    const { state, version } = this.claimedAs.get(stream) as ClaimedAs;
    this.claimedAs.delete(stream);
    const { owner, version: read } = this.versions.origin(stream) as RecordVersion;
    const from = this.versions.originFrom(stream);
    const record: SessionRecord = {
      kind: 'session',
      stream: state,
      ...(owner === undefined ? {} : { owner }),
      ...(read === 0 ? {} : { version: read }),
      ...(from === undefined ? {} : { from }),
    };
    const mine = { owner: this.records.owner, version };
    return afterStore(this.records.claim(id, record, this.sessionTtlMs, mine), () => {});
  }
}
