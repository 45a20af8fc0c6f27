/**
 * What a `resumable` server writes to its session store about its sessions (./resumable.ts): a
 * session's stream (its client away, before an ack with a durable store, on `close()`, as it is
 * resumed from the store), and its end (the record deleted, or the overflow note). With a store
 * servers may share (it has `deleteOwned`: docs/resume.md, sharing a store), a session's copy
 * that ends here (its TTL, an eviction, `close()`) is first compared with the record: one another
 * server marked since (its client resumed it there) is neither written over nor reported lost
 * (`moved`).
 *
 * Owns: which sessions' records carry another server's mark (made from the store to end at once,
 * or whose marking write failed: their end deletes the record whatever its mark), and the ends
 * the store failed to record (./unrecorded-ends.ts). Does not own: the store, its call order
 * (./store-call-queue.ts), the mark (./store-owner.ts) or the sessions (the server's).
 */
import type { Known } from '../resume/answer-hello.js';
import type { StreamState } from '../resume/resume-stream.js';
import type { Clock } from '../util/clock.js';
import type { ResumableSession, SessionEndReason } from './resumable-session.js';
import type { SessionStore } from './session-store.js';
import type { StoreCallQueue } from './store-call-queue.js';
import type { StoreOwner } from './store-owner.js';
import { UnrecordedEnds } from './unrecorded-ends.js';

/** A session's end as the store showed it: null, or (it `moved`: its client resumed it on
 * another server) the last message that server could replay from this server's record. */
export type Moved = number | null;

export class SessionWrites {
  /** Sessions whose record another server marked: made from it to end at once (a reset), or
   * resumed from it whose marking write failed. Their end deletes it whatever its mark (else it
   * would outlive them, resumable). */
  private readonly foreign = new WeakSet<ResumableSession>();
  private readonly unrecorded = new UnrecordedEnds();
  /** Each session's last message held by its last write that succeeded (its `sentSeq`): what a
   * server that resumed it from that record can have replayed. */
  private readonly stored = new WeakMap<ResumableSession, number>();

  constructor(
    private readonly store: SessionStore,
    private readonly calls: StoreCallQueue,
    private readonly records: StoreOwner,
    private readonly sessionTtlMs: number,
    private readonly clock: Clock,
    private readonly reportStoreError: (what: string, id: string, error: unknown) => void,
  ) {}

  /** `session` was made from another server's record (to end at once). */
  madeFromStore(session: ResumableSession): void {
    this.foreign.add(session);
  }

  /** Writes `session`'s stream (its state now unless given) with this server's mark; the promise
   * returned rejects after the failure is reported. `marking`: the write of a session resumed from
   * the store, whose failure leaves the record another server's. A later write clears that. */
  put(
    session: ResumableSession,
    stream = session.stream.state(),
    marking = false,
  ): Promise<void> | undefined {
    const { id } = session;
    const written = this.calls.run('put', id, () => this.putNow(id, stream), true);
    const done = () => {
      this.foreign.delete(session);
      this.stored.set(session, stream.sentSeq);
    };
    if (!written) done();
    written?.then(done, () => marking && this.foreign.add(session));
    return written;
  }

  /** Records `session`'s end (`reason`): the overflow note, or its record deleted. Not null (now,
   * or once the store answered) when it `moved`: expired or evicted here as its client had resumed
   * it on another server sharing the store, whose record is left alone; then the last message
   * this server's last write held (what the other could replay; 0: none). */
  ended(session: ResumableSession, reason: SessionEndReason): Moved | Promise<Moved> {
    // Found stale by a hello (./session-lookup.ts): the record is the other server's, untouched.
    if (reason === 'moved') return this.stored.get(session) ?? 0;
    const { id } = session;
    const overflow = reason === 'overflow';
    const foreign = this.foreign.has(session);
    const remove = () => (foreign ? this.store.delete(id) : this.records.deleteEnded(id));
    let moved = false;
    const check = () =>
      this.records.unlessMoved(id, this.getFailed(id), remove, () => {
        moved = true;
      });
    const checked = this.records.shared && !foreign && (reason === 'expired' || reason === 'evicted');
    const recorded = overflow
      ? this.calls.run(
          'put',
          id,
          () => this.store.put(id, this.records.overflowed(), this.sessionTtlMs),
          true,
        )
      : this.calls.run('delete', id, checked ? check : remove, true);
    const movedUpTo = (): Moved => (moved ? (this.stored.get(session) ?? 0) : null);
    const settled = recorded?.then(movedUpTo, () => {
      this.unrecorded.note(id, overflow ? 'overflow' : undefined, this.clock.now(), this.sessionTtlMs);
      return null;
    });
    // Only a compared end waits for the store to say whether it moved; any other is reported now.
    return checked && settled ? settled : movedUpTo();
  }

  /** `close()` keeps `session` (`stream`, its state as it stopped) for a restart: written unless
   * its client resumed it on another server sharing the store since (resolves as `ended`: not
   * null when it `moved`). Rejects after a failed write is reported. */
  async closing(session: ResumableSession, stream: StreamState): Promise<Moved> {
    const { id } = session;
    const write = () => this.putNow(id, stream);
    let moved = false;
    const check = () =>
      this.records.unlessMoved(id, this.getFailed(id), write, () => {
        moved = true;
      });
    const checked = this.records.shared && !this.foreign.has(session);
    await this.calls.run('put', id, checked ? check : write, true);
    return moved ? (this.stored.get(session) ?? 0) : null;
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
    return this.records.shared && !this.foreign.has(session) && this.records.elsewhere(record);
  }

  /** What a hello naming `id` gets: what its unrecorded end left, while held; else `known`. */
  answer(id: string, known: Known): Known {
    return this.unrecorded.answer(id, known, this.clock.now());
  }

  private putNow(id: string, stream: StreamState): void | Promise<void> {
    return this.store.put(id, this.records.session(stream), this.sessionTtlMs);
  }

  private getFailed(id: string): (error: unknown) => void {
    return (error) => this.reportStoreError('get', id, error);
  }
}
