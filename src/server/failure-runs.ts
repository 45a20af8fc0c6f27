/**
 * Which store failures of each session a `resumable` server has reported in the current run (its
 * failures since its last write that succeeded), by kind: a store that keeps failing is reported
 * once per run and kind, not once per ack window, and one kind's report never silences another's
 * (before round 42 one report per run stood for all: a marking write failing after a failed data
 * write, or the other way round, went unreported).
 *
 * Owns: those kinds, keyed by the session's stream. Does not own: the reports (the server's, its
 * store errors redacted: ../util/redact.ts) or the writes (./session-writes.ts).
 */
import type { ResumeStream } from '../resume/resume-stream.js';

/** A kind of store failure of a session: its running writes (its client leaving, before an ack),
 * its marking write (resumed from another server's record), the read after a refused write. */
export type FailureKind = 'write' | 'marking' | 'read';

/** Each session's reported failure kinds in its current run; see the file's header. */
export class FailureRuns {
  private readonly reported = new WeakMap<ResumeStream, Set<FailureKind>>();

  /** Whether a failure of `kind` of `stream` is the first of its run (then to be reported): counted now. */
  first(stream: ResumeStream, kind: FailureKind): boolean {
    const kinds = this.reported.get(stream) ?? new Set<FailureKind>();
    this.reported.set(stream, kinds);
    if (kinds.has(kind)) return false;
    kinds.add(kind);
    return true;
  }

  /** A write of `stream` succeeded: the run ended, each kind's next failure is reported again. */
  ended(stream: ResumeStream): void {
    this.reported.delete(stream);
  }
}
