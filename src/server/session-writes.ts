/**
 * What a `resumable` server writes to its session store about its sessions (./resumable.ts): a
 * session's stream (its client away, before an ack with a durable store, on `close()`, as it is
 * resumed from the store), and its end (the record deleted, or the overflow note). With a store
 * servers may share (it has `deleteOwned`: docs/resume.md, sharing a store), a session's copy
 * that ends here (its TTL, an eviction, `close()`) is first compared with the record: one another
 * server marked since (its client resumed it there) is neither written over nor reported lost
 * (`moved`): an expiry or eviction deletes this server's own record (`deleteOwned`), then reads
 * it; `close()` writes through the store's `putOwned` when it has one (a resume elsewhere
 * between the read and the write is not written over: `moved` too), and writes nothing when the
 * read fails, or finds gone the record this server's last write must have left (another server's
 * end deleted it, or the store evicted it early: alike to it): the session ends as when its write
 * fails, every unacknowledged message reported. Such a record is written only while it is there
 * (the store's `replaceOwned`, when it has one, before any read: refused, the read tells `moved`
 * from gone), never again once deleted between a read and a write; an overflow's note, and a
 * running session's writes (its client leaving, before an ack), are written through `putOwned`
 * too (never over another server's record: refused, the session ends `moved`). With a store
 * that claims, all of these go through `claimOwned` instead: only while the record is one of the
 * writes the session last made, or absent where it may be (./last-writes.ts), so never created
 * again once another server's end deleted it (refused and none there: every message its client
 * never acknowledged is reported; refused and its own: claimed as read; not read: a failed write,
 * ./claim-own.ts). Every record carries the session's next version (./write-versions.ts), and a
 * session resumed from the store the write it was resumed from (`from`): a copy that ends `moved`
 * reports what followed the write of its own that names, one the store made while reporting
 * failure too (./last-writes.ts); a hello that resumes a session from a store with `claimOwned`
 * claims the record it read (`claim`: written only while it is still that
 * write; refused, the hello reads again: ./claimed-lookup.ts). Whether a write is conditional is
 * decided as it runs, never as it is queued.
 *
 * Owns: which sessions' records carry another server's mark (made from the store to end at once,
 * or whose marking write failed: their end deletes the record whatever its mark), each session's
 * last write that succeeded (what it held, when it was made), and the ends the store failed to
 * record (./unrecorded-ends.ts). Does not own: the hellos' claims (./hello-claims.ts), the store,
 * its call order (./store-call-queue.ts), the mark (./store-owner.ts) or the sessions (the server's).
 */
import type { Known } from '../resume/answer-hello.js';
import type { ResumeStream, StreamState } from '../resume/resume-stream.js';
import type { Clock } from '../util/clock.js';
import { claimOwn, type OwnWrite } from './claim-own.js';
import { FailureRuns } from './failure-runs.js';
import { HelloClaims } from './hello-claims.js';
import { LastWrites } from './last-writes.js';
import { putOwn } from './put-own.js';
import { recordFrom } from './record-from.js';
import type { ResumableSession } from './resumable-session.js';
import type { RecordVersion, SessionRecord, SessionStore } from './session-store.js';
import type { Moved, SessionEndReason } from './session-types.js';
import type { StoreCallQueue } from './store-call-queue.js';
import { afterStore, type RecordMark, type StoreOwner } from './store-owner.js';
import { UnrecordedEnds } from './unrecorded-ends.js';
import type { WriteVersions } from './write-versions.js';

/** `close()` wrote nothing of a session: the store's `get` failed (reported), or the record this
 * server's last write must have left is gone (deleted by another server's end of the session, or
 * evicted early by the store: the two look alike). It ends as when its write fails. */
class Unwritten extends Error {}

/** A write refused, then its record not read (the failed read reported): counted as failed. */
class Unread extends Error {}

export class SessionWrites {
  /** Sessions whose record another server marked: made from it to end at once (a reset), or
   * resumed from it whose marking write failed. Their end deletes it whatever its mark (else it
   * would outlive them, resumable). */
  private readonly foreign = new WeakSet<ResumeStream>();
  private readonly unrecorded = new UnrecordedEnds();
  /** Sessions whose `close()` did not write as the record could not be read (refused, then
   * unread; or unread before an owned write): it may be another server's, which replays what it
   * held, so their end compares it as an expiry's does. */
  private readonly unsure = new WeakSet<ResumeStream>();
  /** The kinds of each session's store failures reported since its last write that succeeded:
   * one `error` per run and kind, not one per ack window (./failure-runs.ts). */
  private readonly failures = new FailureRuns();
  /** Each session's last write that succeeded: what a server that resumed it from that record can
   * have replayed, whether that record must still be there (within the TTL of its write), and
   * which writes the record may be while it is still this server's (./last-writes.ts). */
  private readonly stored: LastWrites;
  /** The claims of records hellos resumed from (./hello-claims.ts). */
  private readonly hellos: HelloClaims;

  constructor(
    private readonly store: SessionStore,
    private readonly calls: StoreCallQueue,
    private readonly records: StoreOwner,
    private readonly sessionTtlMs: number,
    private readonly clock: Clock,
    private readonly reportStoreError: (what: string, id: string, error: unknown) => void,
    /** Each session's write counter (./write-versions.ts). */
    private readonly versions: WriteVersions,
  ) {
    this.stored = new LastWrites(sessionTtlMs, () => clock.now());
    this.hellos = new HelloClaims(calls, records, sessionTtlMs, clock, versions, {
      claimed: (stream, last) => this.stored.succeeded(stream, last),
      failed: (stream) => this.foreign.add(stream),
    });
  }

  /** `session` was made from another server's record (to end at once). */
  madeFromStore(session: ResumableSession): void {
    // A record this server claimed is its own: its end deletes it only while it is.
    if (!this.hellos.wasClaimed(session.stream)) this.foreign.add(session.stream);
  }

  /** Whether the hello's lookup `stream` claims its record (./hello-claims.ts). */
  claims(stream: unknown): stream is ResumeStream {
    return this.hellos.claims(stream);
  }

  /** Whether `stream` was claimed for its hello (or the claim failed): no marking write follows. */
  wasClaimed(stream: ResumeStream): boolean {
    return this.hellos.wasClaimed(stream);
  }

  /** Claims the record `stream` was restored from for a hello (./hello-claims.ts). */
  claim(id: string, stream: ResumeStream, closing: () => boolean): Promise<'claimed' | 'refused' | 'failed'> {
    return this.hellos.claim(id, stream, closing);
  }

  /** Gives back the record claimed for `known` when its hello made no session (./hello-claims.ts). */
  release(id: string, known: Known): void {
    this.hellos.release(id, known);
  }

  /** Writes `session`'s stream (its state now unless given) with this server's mark; the promise
   * returned rejects after the failure is reported. `marking`: the write of a session resumed from
   * the store, whose failure leaves the record another server's. A later write clears that. With
   * a shared store, the session's other writes (its client leaving, before an ack) are written
   * only while the record is still this session's (`writeOwn`): refused, nothing is written and
   * the session ends `moved`, before the promise resolves (no ack follows); with a store that
   * claims, the record is read first: gone, every message its client never acknowledged is
   * reported at that end (none counted as another server's). */
  put(
    session: ResumableSession,
    stream = session.stream.state(),
    marking = false,
  ): Promise<void> | undefined {
    const { id } = session;
    let atMs = 0;
    let version = 0;
    let refused = false;
    const write = () => {
      atMs = this.clock.now();
      version = this.versions.next(session.stream);
      // Decided as the call runs, not as it is queued: a marking write before it that failed
      // meanwhile made the record another server's still (a plain put, as for any foreign one).
      const owned = !marking && this.records.shared && !this.foreign.has(session.stream);
      const record = this.records.session(stream, version, this.versions.from(session.stream));
      if (!owned) return this.store.put(id, record, this.sessionTtlMs);
      return afterStore(this.writeOwn(id, session.stream, record, this.readFailed(session)), (wrote) => {
        // Not read after its refusal: unknown, so a failed write (the session goes on, its next
        // write claims again), never a record counted lost (./claim-own.ts).
        if (wrote === 'unread') throw new Unread();
        // Claimed elsewhere, or gone (deleted by another server's end, or evicted early).
        refused = wrote !== 'wrote';
        if (wrote === 'none') this.stored.lost(session.stream);
      });
    };
    const kind = marking ? 'marking' : 'write';
    // The read's failure was reported as such (once per run); any other, once per run of its kind.
    const quiet = (error: unknown) => error instanceof Unread || !this.failures.first(session.stream, kind);
    const written = this.calls.run('put', id, write, true, quiet);
    const done = () => {
      this.failures.ended(session.stream);
      // Ended after this step (an ack's write runs inside the session chart's).
      if (refused) return Promise.resolve().then(() => session.end('moved'));
      this.foreign.delete(session.stream);
      const last = { seq: stream.sentSeq, received: stream.receivedSeq, atMs, version };
      this.stored.succeeded(session.stream, last);
    };
    if (!written) return done();
    const settled = written.then(done, (error: unknown) => {
      if (marking) this.foreign.add(session.stream);
      // Made or not: the store's record may be this write now (not one refused, then unread).
      const held = { seq: stream.sentSeq, received: stream.receivedSeq, atMs, version };
      if (version !== 0 && !(error instanceof Unread)) this.stored.failed(session.stream, held);
      throw error;
    });
    // Handled here (reported by the call queue): a caller may leave it (the away write).
    settled.catch(() => {});
    return settled;
  }

  /** Writes `record` of the session of `stream` only while the store's record is still its own:
   * with a store that claims, one of the writes it last made (`claimOwned`, ./last-writes.ts:
   * never one another server claimed, nor created again once another server's end deleted it),
   * or, refused, the own write a read finds; refused, what that read found (./claim-own.ts:
   * `failed` gets a failed read). Else not another server's (`putOwned`): refused, `elsewhere`. */
  private writeOwn(
    id: string,
    stream: ResumeStream,
    record: SessionRecord,
    failed: (error: unknown) => void,
  ): OwnWrite | Promise<OwnWrite> {
    const elsewhere = (from: RecordVersion | undefined) => this.stored.elsewhere(stream, from);
    if (!this.records.claims) return putOwn(this.records, id, record, this.sessionTtlMs, failed, elsewhere);
    const expected = this.stored.expected(stream, this.records.owner);
    return claimOwn(this.records, id, record, this.sessionTtlMs, expected, failed, elsewhere);
  }

  /** Records `session`'s end (`reason`): the overflow note, or its record deleted. Not null (now,
   * or once the store answered) when it `moved`: expired or evicted here (or closed, its `close()`
   * write refused and unread) as its client had resumed it on another server sharing the store, whose record is left alone; then the last message
   * this server's last write held (what the other could replay; 0: none). */
  ended(session: ResumableSession, reason: SessionEndReason): Moved | Promise<Moved> {
    // Found stale by a hello (./session-lookup.ts): the record is the other server's, untouched.
    if (reason === 'moved') return this.movedUpTo(session);
    const { id } = session;
    const overflow = reason === 'overflow';
    const foreign = this.foreign.has(session.stream);
    const remove = () => (foreign ? this.store.delete(id) : this.records.deleteEnded(id));
    let moved = false;
    // The delete first (`deleteOwned` leaves another server's record), then the read: another
    // server's mark means it resumed the session, whether its marking write landed before the
    // delete (left) or after it but before the read (it had read the record before: created
    // again, marked). A read first would miss a mark landing between the read and the delete;
    // this order misses one landing after the read (B's marking write is a plain `put`): either
    // reports as lost what that server replays (docs/resume.md, not covered). A record it cannot read counts as its own: every message is
    // reported (never one lost unreported).
    const check = () =>
      afterStore(remove(), () =>
        // After a close() whose read failed (reported): the same run and kind, not reported again.
        afterStore(
          this.look(id, session, this.unsure.has(session.stream) ? () => {} : this.getFailed(id)),
          (mark) => {
            moved = mark === 'elsewhere';
          },
        ),
      );
    const compared = reason === 'expired' || reason === 'evicted' || this.unsure.has(session.stream);
    const checked = this.records.shared && !foreign && compared;
    // The overflow note, with a shared store, not over another server's record (`putOwned`):
    // its client resumed it there, whose next hello must not be answered `overflow`.
    const note = () =>
      this.records.shared && !foreign
        ? afterStore(
            this.writeOwn(id, session.stream, this.overflowNote(session), this.getFailed(id)),
            (wrote) => {
              // Unknown whether the record is still the session's: noted as unrecorded (a hello
              // here is answered `overflow`), the read's failure reported as such.
              if (wrote === 'unread') throw new Unread();
            },
          )
        : this.store.put(id, this.overflowNote(session), this.sessionTtlMs);
    const recorded = overflow
      ? this.calls.run('put', id, note, true, (error) => error instanceof Unread)
      : this.calls.run('delete', id, checked ? check : remove, true);
    const movedUpTo = (): Moved => (moved ? this.movedUpTo(session) : null);
    const settled = recorded?.then(movedUpTo, () => {
      this.unrecorded.note(id, overflow ? 'overflow' : undefined, this.clock.now(), this.sessionTtlMs);
      return null;
    });
    // Only a compared end waits for the store to say whether it moved; any other is reported now.
    return checked && settled ? settled : movedUpTo();
  }

  /** `close()` keeps `session` (`stream`, its state as it stopped) for a restart: written unless
   * its client resumed it on another server sharing the store since, or that server's end of it
   * deleted the record (resolves as `ended`: not null when it `moved`). Rejects after a failed
   * write, or a failed read of a shared store's record (nothing written), is reported. */
  async closing(session: ResumableSession, stream: StreamState): Promise<Moved> {
    const { id } = session;
    const write = () => this.putNow(session, stream);
    if (!this.records.shared || this.foreign.has(session.stream)) {
      await this.calls.run('put', id, write, true);
      return null;
    }
    let outcome = 'own' as RecordMark | 'refused' | 'gone';
    // A record that must be there (this server's last write, within its TTL): written only while
    // it is (`replaceOwned`, one atomic step), never again once another server's end deleted it.
    // Refused: read to tell another server's mark (moved) from none (gone).
    const replace = () =>
      afterStore(this.records.replaceOwned(id, this.record(session, stream), this.sessionTtlMs), (wrote) => {
        if (wrote) return;
        return afterStore(this.look(id, session, this.getFailed(id)), (mark) => {
          outcome = mark === 'elsewhere' || mark === 'unread' ? mark : 'gone';
        });
      });
    const check = () =>
      afterStore(this.look(id, session, this.getFailed(id)), (mark) => {
        outcome = mark === 'none' && this.mustBeThere(session) ? 'gone' : mark === 'none' ? 'own' : mark;
        if (outcome !== 'own') return;
        const record = this.record(session, stream);
        return afterStore(this.writeOwn(id, session.stream, record, this.getFailed(id)), (wrote) => {
          if (wrote !== 'wrote') outcome = 'refused';
        });
      });
    // With a store that claims: one of the writes this session last made, or none there when it
    // may be absent (./last-writes.ts), in one step each; refused, read as after `replace`.
    const claim = () => {
      const record = this.record(session, stream);
      return afterStore(this.writeOwn(id, session.stream, record, this.getFailed(id)), (wrote) => {
        outcome = wrote === 'wrote' ? 'own' : wrote === 'none' ? 'gone' : wrote;
      });
    };
    // Decided as the step runs, not as close() is called: a write still in flight then (the
    // away write) makes the record one that must be there once it lands.
    const step = () =>
      this.records.claims
        ? claim()
        : this.records.replaces && this.mustBeThere(session)
          ? replace()
          : check();
    await this.calls.run('put', id, step, true);
    // Not read: its end compares (deletes its own, then reads) as an expiry's does (`ended`).
    if (outcome === 'unread') this.unsure.add(session.stream);
    if (outcome === 'unread' || outcome === 'gone') throw new Unwritten();
    return outcome === 'own' ? null : this.movedUpTo(session);
  }

  /** Whether the store is shared (it has `deleteOwned`): a hello naming a live session reads
   * its record too (./session-lookup.ts). */
  get shared(): boolean {
    return this.records.shared;
  }

  /** Whether `record` (read for a hello naming live `session`) carries another server's mark
   * over this server's own: its client resumed it there since, this copy is stale. A copy whose
   * marking write failed (the mark is still the one it was resumed from) is not. */
  stale(session: ResumableSession, record: unknown): boolean {
    const stale = this.records.shared && !this.foreign.has(session.stream) && this.records.elsewhere(record);
    if (stale) this.stored.elsewhere(session.stream, recordFrom(record));
    return stale;
  }

  /** What a hello naming `id` gets: what its unrecorded end left, while held; else `known`. */
  answer(id: string, known: Known): Known {
    return this.unrecorded.answer(id, known, this.clock.now());
  }

  /** Whether `session`'s record, found gone, is one its last write must still have left (within
   * the TTL of that write, on this server's clock): another server's end of the session deleted
   * it, or the store evicted it early (LRU, memory pressure). The two look alike, so it is never
   * counted as `moved` (that would leave what the lost record held unreported). */
  private mustBeThere(session: ResumableSession): boolean {
    return this.stored.mustBeThere(session.stream);
  }

  /** The last message received that the write of `session` another server resumed it from held
   * (./last-writes.ts, `resumedFrom`: the one its record's `from` names, else the last that
   * succeeded; 0: none): a session that `moved` had every later one delivered here too, and its
   * client replays them to that server (never acknowledged here). */
  receivedUpTo(session: ResumableSession): number {
    return this.stored.resumedFrom(session.stream, this.records.owner)?.received ?? 0;
  }

  /** The last message the write of `session` another server resumed it from held (as
   * `receivedUpTo`; 0: none): what that server can have replayed. */
  private movedUpTo(session: ResumableSession): number {
    // Its record found gone: no other server holds what it held.
    if (this.stored.isLost(session.stream)) return 0;
    return this.stored.resumedFrom(session.stream, this.records.owner)?.seq ?? 0;
  }

  /** What the store's record of `session` is to this server (`mark`), noting the write another
   * server's record says it resumed the session from. */
  private look(id: string, session: ResumableSession, failed: (error: unknown) => void) {
    return afterStore(this.records.look(id, failed), (seen) => {
      if (seen.mark === 'elsewhere') this.stored.elsewhere(session.stream, seen.from);
      return seen.mark;
    });
  }

  private putNow(session: ResumableSession, stream: StreamState): void | Promise<void> {
    return this.store.put(session.id, this.record(session, stream), this.sessionTtlMs);
  }

  /** `session`'s record (`stream`), marked, with its next version and the write it was resumed
   * from (`from`, when it was). */
  private record(session: ResumableSession, stream: StreamState): SessionRecord {
    return this.records.session(
      stream,
      this.versions.next(session.stream),
      this.versions.from(session.stream),
    );
  }

  /** The note `session`'s overflow leaves, marked, with its next version. */
  private overflowNote(session: ResumableSession): SessionRecord {
    return this.records.overflowed(this.versions.next(session.stream), this.versions.from(session.stream));
  }

  private getFailed(id: string): (error: unknown) => void {
    return (error) => this.reportStoreError('get', id, error);
  }

  /** A failed read of `session`'s record after its running write was refused: reported once per
   * run (./failure-runs.ts). */
  private readFailed(session: ResumableSession): (error: unknown) => void {
    return (error) => {
      if (this.failures.first(session.stream, 'read')) this.reportStoreError('get', session.id, error);
    };
  }
}
