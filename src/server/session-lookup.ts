/**
 * A `resumable` server's lookups of a session id named in a hello (./resumable.ts): what the
 * server has of it, the live session's stream or the store's record (checked: ./read-record.ts).
 *
 * Owns: the lookups still pending, so that the server's close() resolves only once every store
 * call it made has settled (`idle()`). Does not own: the live sessions or the store (the
 * server's); a store that fails or answers what is no session record is reported, and the id
 * counts as unknown (its client starts a new session instead of being cut off at each reconnect).
 */

import type { AckOptions, ResumeLimits } from '../../machines/policy/resume.js';
import type { Known } from '../resume/answer-hello.js';
import { ResumeStream } from '../resume/resume-stream.js';
import { describe } from '../util/describe.js';
import { LinkvisorError } from '../util/errors.js';
import { isSessionRecord } from './read-record.js';
import type { ResumableSession } from './resumable-session.js';
import type { SessionRecord, SessionStore } from './session-store.js';
import type { StoreCallQueue } from './store-call-queue.js';
import type { WriteVersions } from './write-versions.js';

/** With a shared store: whether a live session's copy is stale, given the store's record. */
export interface StaleCopies {
  /** Whether the store is shared (only then is a live session's record read). */
  readonly shared: boolean;
  /** Whether `record` shows `session`'s client resumed it on another server since. */
  stale(session: ResumableSession, record: unknown): boolean;
}

export class SessionLookup {
  /** Lookups still pending, each settled with no value. */
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    private readonly live: ReadonlyMap<string, ResumableSession>,
    private readonly store: SessionStore,
    /** The server's order of store calls: a `get` waits for the session's write or delete. */
    private readonly calls: StoreCallQueue,
    private readonly limits: ResumeLimits,
    private readonly acks: AckOptions,
    private readonly reportStoreError: (what: string, id: string, error: unknown) => void,
    private readonly reportError: (error: LinkvisorError) => void,
    /** Where a stream restored from a record notes which write it was (./write-versions.ts). */
    private readonly versions: WriteVersions,
    /** With a shared store, a live session's record is read too (./session-writes.ts). */
    private readonly copies?: StaleCopies,
  ) {}

  /** What the server has of `sessionId`: the live session's stream, or the store's record. */
  find(sessionId: string): Promise<Known> {
    const looking = this.findNow(sessionId);
    const settled = looking.then(
      () => {},
      () => {},
    );
    this.pending.add(settled);
    void settled.then(() => this.pending.delete(settled));
    return looking;
  }

  /** Resolves once every lookup pending now has settled. */
  async idle(): Promise<void> {
    await Promise.all(this.pending);
  }

  private async findNow(sessionId: string): Promise<Known> {
    if (sessionId === '') return undefined;
    const session = this.live.get(sessionId);
    if (session && !this.copies?.shared) return session.stream;
    let record: Awaited<ReturnType<SessionStore['get']>>;
    try {
      record = await this.calls.read(sessionId, () => this.store.get(sessionId));
    } catch (error) {
      this.reportStoreError('get', sessionId, error);
      return session?.stream;
    }
    if (session) return this.liveOrMoved(session, record);
    if (record === undefined || record === null) return undefined;
    if (!isSessionRecord(record)) {
      // Reported, and the session counts as unknown: its client starts a new one (reset) instead
      // of being cut off at each reconnect.
      this.reportError(
        new LinkvisorError(
          'LV_ERR_LISTENER',
          `the session store returned what is not a session record (${describe(record)}): the session is treated as unknown`,
        ),
      );
      return undefined;
    }
    if (record.kind === 'overflowed') return 'overflow';
    return this.restore(record);
  }

  /** The stream `record` holds, noted as restored from that write. */
  private restore(record: SessionRecord & { kind: 'session' }): ResumeStream {
    const stream = ResumeStream.restore(record.stream, this.limits, this.acks);
    this.versions.restored(stream, record);
    return stream;
  }

  /** A live session named in a hello, with a shared store: its client may have resumed it on
   * another server since (the record carries that server's mark), which makes this copy stale
   * (the other numbered its messages on from this server's last write). Then this copy ends
   * `moved` (reporting `dropped` only what the other never had) and the hello gets the record;
   * else (this server's record, none, or one it cannot read) the live session. */
  private liveOrMoved(session: ResumableSession, record: unknown): Known {
    if (
      this.live.get(session.id) !== session ||
      !isSessionRecord(record) ||
      !this.copies?.stale(session, record)
    )
      return session.stream;
    session.end('moved');
    if (record.kind === 'overflowed') return 'overflow';
    return this.restore(record);
  }
}
