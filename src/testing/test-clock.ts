/**
 * A simulated clock for tests: timers fire only when the test advances time, in order, including
 * timers scheduled while advancing (XState's SimulatedClock fires only those due at the start of
 * one large increment, DESIGN.md §8). Pass it as `createSupervisor({ clock })`.
 */
import type { Clock } from '../util/clock.js';

interface Timer {
  id: number;
  at: number;
  delayMs: number;
  seq: number;
  fn: () => void;
}

/**
 * A simulated clock: pass it as `clock` to a supervisor or an actor, then `await advance(ms)` fires
 * due timers in order, `jump(ms)` moves time without firing (a laptop waking up), `fire(delayMs)`
 * fires one timer.
 */
export class TestClock implements Clock {
  private current: number;
  private timers: Timer[] = [];
  private nextId = 1;
  private seq = 0;

  constructor(startMs = 0) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): number {
    const id = this.nextId++;
    const delay = Number.isFinite(ms) && ms > 0 ? ms : 0;
    this.timers.push({ id, at: this.current + delay, delayMs: delay, seq: this.seq++, fn });
    return id;
  }

  clearTimeout(id: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== id);
  }

  /** Timers not yet fired. */
  get pending(): number {
    return this.timers.length;
  }

  /** When the next timer is due, in clock ms, or null. */
  nextAt(): number | null {
    let next: number | null = null;
    for (const t of this.timers) if (next === null || t.at < next) next = t.at;
    return next;
  }

  /**
   * Moves time forward by `ms`, firing every timer due on the way in time order (ties in the
   * order they were set). Awaits microtasks between timers, so promise-based work (async URL
   * functions, handshakes, in-memory delivery) runs as it would between real timer callbacks.
   */
  async advance(ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance(ms): ms must be ≥ 0, got ${ms}`);
    const end = this.current + ms;
    await settle();
    for (let fired = 0; fired < 1_000_000; fired++) {
      const timer = this.takeNextDue(end);
      if (!timer) break;
      this.current = timer.at;
      timer.fn();
      await settle();
    }
    this.current = end;
    await settle();
  }

  /**
   * Moves `now()` forward WITHOUT firing any timer, as when a laptop sleeps or a browser tab's
   * timers are suspended: the timers fire late, on the next `advance()`.
   */
  jump(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`jump(ms): ms must be ≥ 0, got ${ms}`);
    this.current += ms;
    for (const timer of this.timers) if (timer.at < this.current) timer.at = this.current;
  }

  /**
   * Fires the earliest pending timer that was set with a delay of exactly `delayMs`, out of order
   * if need be, moving `now()` to its due time if that is later. Model-based tests use it to take
   * one named delayed transition (give each named delay a distinct value). Returns false if no
   * such timer is pending.
   */
  async fire(delayMs: number): Promise<boolean> {
    await settle();
    let best: Timer | undefined;
    for (const t of this.timers) {
      if (t.delayMs === delayMs && (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)))
        best = t;
    }
    if (!best) return false;
    const timer = best;
    this.timers = this.timers.filter((t) => t !== timer);
    if (timer.at > this.current) this.current = timer.at;
    timer.fn();
    await settle();
    return true;
  }

  /** Delays (ms) of the pending timers, soonest first. */
  pendingDelays(): number[] {
    return [...this.timers].sort((a, b) => a.at - b.at || a.seq - b.seq).map((t) => t.delayMs);
  }

  /** Advances to the next timer and fires it (and any due at the same instant). */
  async advanceToNext(): Promise<number | null> {
    const at = this.nextAt();
    if (at === null) return null;
    await this.advance(at - this.current);
    return at;
  }

  /**
   * Advances to the next timer and fires only that one (the earliest; ties in the order they
   * were set), leaving any other timer due at the same instant pending. A replay uses it to fire
   * one actor's timer and let what it caused happen before another actor's timer of the same
   * instant fires, as it did when the trace was recorded.
   */
  async advanceToNextOne(): Promise<number | null> {
    await settle();
    const timer = this.takeNextDue(Number.POSITIVE_INFINITY);
    if (!timer) return null;
    if (timer.at > this.current) this.current = timer.at;
    timer.fn();
    await settle();
    return timer.at;
  }

  private takeNextDue(end: number): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.timers) {
      if (t.at <= end && (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq))) best = t;
    }
    if (best) this.timers = this.timers.filter((t) => t !== best);
    return best;
  }
}

/** Lets queued microtasks (and the promise chains they start) run. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}
