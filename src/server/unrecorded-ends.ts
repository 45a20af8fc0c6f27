/**
 * The ends of sessions a `resumable` server could not record in its store (the delete, or the
 * overflow note, failed and was reported): for one TTL, a hello naming one of them gets what its
 * end left, never the record the store still holds (the session resumed, its messages reported
 * `dropped` sent again).
 *
 * Owns: those ends, each until its deadline, oldest deadline first (an id ended again moves to
 * the end with its new deadline, so the sweep, which stops at the first still held, forgets every
 * one past its deadline). Does not own: the clock or the TTL (the server's).
 */
import type { Known } from '../resume/answer-hello.js';

export class UnrecordedEnds {
  /** By deadline, earliest first (all kept for one TTL, so in the order they were noted). */
  private readonly ends = new Map<string, { known: Known; untilMs: number }>();

  /** Session `id` ended as `known` (undefined, or 'overflow') at `nowMs`, unrecorded: held for `ttlMs`. */
  note(id: string, known: Known, nowMs: number, ttlMs: number): void {
    for (const [old, held] of this.ends) {
      if (held.untilMs > nowMs) break;
      this.ends.delete(old);
    }
    // Moved to the end: its deadline is now the latest.
    this.ends.delete(id);
    this.ends.set(id, { known, untilMs: nowMs + ttlMs });
  }

  /** What session `id`'s unrecorded end left, if it is still held at `nowMs`; else `known`. */
  answer(id: string, known: Known, nowMs: number): Known {
    const held = this.ends.get(id);
    return held && held.untilMs > nowMs ? held.known : known;
  }

  /** Ends held (past their deadline too, until the next note sweeps them). */
  get size(): number {
    return this.ends.size;
  }
}
