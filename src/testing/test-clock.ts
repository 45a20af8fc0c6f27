/**
 * A simulated clock for tests: timers fire only when the test advances time, in order, including
 * timers scheduled while advancing (XState's SimulatedClock fires only those due at the start of
 * one large increment, DESIGN.md §8). Pass it as `createSupervisor({ clock })`.
 */
import { MAX_TIMER_MS } from '../../machines/policy/timeouts.js';
import type { Clock } from '../util/clock.js';
import { describe, isRecord } from '../util/describe.js';
import { LinkvisorError, optionError } from '../util/errors.js';
import { checkFunction, checkKnownKeys, checkNumber } from '../util/option-checks.js';

/** The shortest delay a timer has, in ms: Node's setTimeout takes a delay below 1 (0, negative,
 * NaN) as 1. */
const MIN_TIMER_MS = 1;

/** How many timers `advance()` fires at one instant by default before it calls them a runaway. */
const DEFAULT_MAX_TIMERS_PER_INSTANT = 100_000;

/** Options of a `TestClock` (its second argument). */
export interface TestClockOptions {
  /** Most timers armed during one `advance()` that it fires due at one instant (no time passes
   * between them) before it rejects with LV_ERR_RUNAWAY_TIMERS: timers that each arm more than one
   * double at every millisecond and would never let it return. Timers pending when it began (set up
   * front, moved to now() by `jump()`) are not counted: they are finite, and all fire. A long
   * advance is not capped (a chain of timers fires at a new instant each time). An integer ≥ 1;
   * default 100,000. */
  maxTimersPerInstant?: number;
}

const OPTION_KEYS: ReadonlySet<string> = new Set(['maxTimersPerInstant']);

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
 * fires one timer. Setting, clearing and firing a timer cost O(log n) in the timers pending, so
 * tests of thousands of links (each arming and clearing timers on every step) stay linear.
 */
export class TestClock implements Clock {
  private current: number;
  /** The pending timers by id, in the order they were set. */
  private readonly timers = new Map<number, Timer>();
  /** The pending timers and cleared ones not yet dropped, soonest first (see TimerHeap). */
  private readonly queue = new TimerHeap();
  private nextId = 1;
  private seq = 0;
  private readonly maxTimersPerInstant: number;

  /** `startMs`: the time `now()` starts at; `options.maxTimersPerInstant` (TestClockOptions). Bad
   * ones throw LV_ERR_INVALID_OPTION / LV_ERR_UNKNOWN_OPTION naming them. */
  constructor(startMs = 0, options: TestClockOptions = {}) {
    this.current = checkNumber(startMs, 'startMs', { min: Number.MIN_SAFE_INTEGER });
    if (!isRecord(options)) throw optionError('options', `must be an object, got ${describe(options)}`);
    checkKnownKeys(options, OPTION_KEYS, '');
    this.maxTimersPerInstant =
      options.maxTimersPerInstant === undefined
        ? DEFAULT_MAX_TIMERS_PER_INSTANT
        : checkNumber(options.maxTimersPerInstant, 'maxTimersPerInstant', { min: 1, integer: true });
  }

  now(): number {
    return this.current;
  }

  /** As Node's: `ms` is converted as setTimeout converts it (`'5'` is 5 ms; a Symbol or a
   * BigInt, which setTimeout throws a TypeError for, is refused: LV_ERR_INVALID_OPTION naming
   * `ms`); below 1 (0, 0.5, negative, NaN: `undefined`, `'x'`) is 1 ms, and a fraction is cut
   * (1.5 is 1), as Node schedules them (a `setTimeout(fn, 0)` fires with the 1 ms timers set
   * before it, not ahead of them); above 2^31 − 1 ms (~24.8 days, Infinity too) is 1, as Node's
   * setTimeout fires it after 1 ms (a TimeoutOverflowWarning), never weeks later; `fn` that is no
   * function is refused here (LV_ERR_INVALID_OPTION naming `fn`), not when the timer fires inside
   * `advance()`. (A browser fires a delay below 1 after 0 ms, then 4 ms once timers nest 5 deep.) */
  setTimeout(fn: () => void, ms: number): number {
    checkFunction(fn, 'fn');
    let converted: number;
    try {
      converted = (ms as unknown as number) * 1; // setTimeout's own conversion (Node: `after *= 1`)
    } catch {
      throw optionError('ms', `must be a number (setTimeout converts it), got ${describe(ms)}`);
    }
    // Node's Timeout: `if (!(after >= 1 && after <= TIMEOUT_MAX)) after = 1` (NaN included), and
    // its timer lists truncate (`MathTrunc(msecs)`).
    const delay =
      converted >= MIN_TIMER_MS && converted <= MAX_TIMER_MS ? Math.trunc(converted) : MIN_TIMER_MS;
    // The delay as set (0 for a `setTimeout(fn, 0)`), for fire() and pendingDelays(); NaN, a
    // negative one and one above the ceiling as Node sets them: 1.
    const delayMs = converted >= 0 && converted <= MAX_TIMER_MS ? converted : MIN_TIMER_MS;
    const id = this.nextId++;
    const timer: Timer = { id, at: this.current + delay, delayMs, seq: this.seq++, fn };
    this.timers.set(id, timer);
    this.queue.push(timer);
    return id;
  }

  clearTimeout(id: unknown): void {
    if (typeof id !== 'number' || !this.timers.delete(id)) return;
    // A cleared timer stays in the queue until it reaches the top; the queue is rebuilt when
    // cleared ones outnumber the pending, so it never holds more than twice what is pending.
    if (this.queue.size > 2 * this.timers.size + 32) this.queue.rebuild(this.timers.values());
  }

  /** Timers not yet fired. */
  get pending(): number {
    return this.timers.size;
  }

  /** When the next timer is due, in clock ms, or null. */
  nextAt(): number | null {
    return this.peek()?.at ?? null;
  }

  /**
   * Moves time forward by `ms`, firing every timer due on the way in time order (ties in the
   * order they were set). Awaits microtasks between timers, so promise-based work (async URL
   * functions, handshakes, in-memory delivery) runs as it would between real timer callbacks.
   * Time never goes back: a `fire()` or another `advance()` that moved it further meanwhile (not
   * awaited, or from a timer's callback) leaves it there. It fires every timer due in the step,
   * however many (a timer that re-arms itself fires once per ms of the step: `advance(86_400_000)`,
   * 86.4 million times), awaiting only microtasks, so a test runner's timeout cannot end it. Timers
   * that each arm two or more would double at every ms and never let it return: past
   * `maxTimersPerInstant` timers armed during this call and fired at one instant (no time passing
   * between them; default 100,000) it rejects with LV_ERR_RUNAWAY_TIMERS naming that option (the
   * timers pending when it began, however many, are not counted). `now()` is then that instant;
   * the timers fired so far have run, the rest (due now or later) stay pending, and a later
   * `advance()` counts afresh.
   */
  async advance(ms: number): Promise<void> {
    const end = this.current + this.checkStep(ms);
    await settle();
    // Every due timer, however many (a cap left the rest pending, due in the past). A timer set by
    // a callback is due at least 1 ms after now() and `end` is finite, so a chain of timers ends;
    // timers that each arm more than one grow without bound: counted per instant (see above). Only
    // timers armed during this advance() count: those pending before it (set up front, moved to
    // now() by jump()) are finite however many, and fire.
    const armedBefore = this.seq;
    let instant = Number.NaN;
    let firedAtInstant = 0;
    for (let timer = this.peekDue(end); timer; timer = this.peekDue(end)) {
      if (timer.at !== instant) {
        instant = timer.at;
        firedAtInstant = 0;
      }
      if (timer.seq >= armedBefore) {
        // At least one fired at this instant already: now() is there.
        if (firedAtInstant === this.maxTimersPerInstant) throw this.runaway();
        firedAtInstant++;
      }
      this.take(timer);
      if (timer.at > this.current) this.current = timer.at;
      timer.fn();
      await settle();
    }
    if (end > this.current) this.current = end;
    await settle();
  }

  /**
   * Moves `now()` forward WITHOUT firing any timer, as when a laptop sleeps or a browser tab's
   * timers are suspended: the timers fire late, on the next `advance()`.
   */
  jump(ms: number): void {
    this.current += this.checkStep(ms);
    let moved = false;
    for (const timer of this.timers.values()) {
      if (timer.at < this.current) {
        timer.at = this.current;
        moved = true;
      }
    }
    if (moved) this.queue.rebuild(this.timers.values());
  }

  /**
   * Fires the earliest pending timer that was set with a delay of exactly `delayMs` (0 finds a
   * timer set with 0, due 1 ms after it was set), out of order if need be, moving `now()` to its
   * due time if that is later. Model-based tests use it to take
   * one named delayed transition (give each named delay a distinct value). Returns false if no
   * such timer is pending. A `delayMs` that no timer can have rejects with LV_ERR_INVALID_OPTION
   * naming it: no finite number ≥ 0, or above 2^31 − 1 (setTimeout sets such a timer for 1 ms).
   */
  async fire(delayMs: number): Promise<boolean> {
    if (typeof delayMs === 'number' && delayMs > MAX_TIMER_MS && Number.isFinite(delayMs))
      throw optionError(
        'delayMs',
        `must be between 0 and ${MAX_TIMER_MS}: no timer has a longer delay (setTimeout sets one for 1 ms, as Node's), got ${delayMs}`,
      );
    checkNumber(delayMs, 'delayMs');
    await settle();
    let best: Timer | undefined;
    for (const t of this.timers.values()) {
      if (t.delayMs === delayMs && (!best || soonerThan(t, best))) best = t;
    }
    if (!best) return false;
    const timer = best;
    this.timers.delete(timer.id);
    if (timer.at > this.current) this.current = timer.at;
    timer.fn();
    await settle();
    return true;
  }

  /** `ms` to move time by: a finite number ≥ 0 that keeps `now()` a safe integer's worth of
   * milliseconds (2^53 − 1, ~285,000 years; past it, times lose their units and two timers a
   * millisecond apart fire as one); else LV_ERR_INVALID_OPTION naming `ms`. */
  private checkStep(ms: number): number {
    return checkNumber(ms, 'ms', { max: Math.max(0, Number.MAX_SAFE_INTEGER - this.current) });
  }

  /** Delays (ms) of the pending timers as they were set (0 for one set with 0, which is due 1 ms
   * later), soonest first. */
  pendingDelays(): number[] {
    return [...this.timers.values()].sort((a, b) => a.at - b.at || a.seq - b.seq).map((t) => t.delayMs);
  }

  /** Advances to the next timer and fires it (and any due at the same instant); returns its due
   * time. One left behind by a `fire()` out of order (due before `now()`) fires late, at `now()`:
   * time never goes back (it was `advance()` of a negative step, refused naming `ms`). */
  async advanceToNext(): Promise<number | null> {
    const at = this.nextAt();
    if (at === null) return null;
    await this.advance(Math.max(0, at - this.current));
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

  /** The soonest pending timer, the cleared and fired ones above it dropped from the queue. */
  private peek(): Timer | undefined {
    for (let top = this.queue.top(); top; top = this.queue.top()) {
      if (this.timers.get(top.id) === top) return top;
      this.queue.pop();
    }
    return undefined;
  }

  /** The soonest pending timer if it is due by `end`. */
  private peekDue(end: number): Timer | undefined {
    const timer = this.peek();
    return timer && timer.at <= end ? timer : undefined;
  }

  /** Takes `timer`, the one `peek()` returned, out of the pending ones. */
  private take(timer: Timer): void {
    this.queue.pop();
    this.timers.delete(timer.id);
  }

  private takeNextDue(end: number): Timer | undefined {
    const timer = this.peekDue(end);
    if (timer) this.take(timer);
    return timer;
  }

  private runaway(): LinkvisorError {
    return new LinkvisorError(
      'LV_ERR_RUNAWAY_TIMERS',
      `maxTimersPerInstant: ${this.maxTimersPerInstant} timers fired at ${this.current} ms and more are due then (timers arming timers without end?); ${this.pending} pending`,
      { option: 'maxTimersPerInstant' },
    );
  }
}

/** Whether `a` fires before `b`: sooner, or as soon and set earlier. */
function soonerThan(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/** A binary min-heap of timers by due time, then by the order they were set. */
class TimerHeap {
  private items: Timer[] = [];

  get size(): number {
    return this.items.length;
  }

  top(): Timer | undefined {
    return this.items[0];
  }

  push(timer: Timer): void {
    const items = this.items;
    let i = items.push(timer) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!soonerThan(timer, items[parent] as Timer)) break;
      items[i] = items[parent] as Timer;
      i = parent;
    }
    items[i] = timer;
  }

  pop(): void {
    const items = this.items;
    const last = items.pop();
    if (last === undefined || items.length === 0) return;
    items[0] = last;
    this.siftDown(0);
  }

  /** Replaces the contents with `timers` (after a jump moved due times, or to drop cleared ones). */
  rebuild(timers: Iterable<Timer>): void {
    this.items = [...timers];
    for (let i = (this.items.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private siftDown(from: number): void {
    const items = this.items;
    const timer = items[from] as Timer;
    let i = from;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child =
        right < items.length && soonerThan(items[right] as Timer, items[left] as Timer) ? right : left;
      if (!soonerThan(items[child] as Timer, timer)) break;
      items[i] = items[child] as Timer;
      i = child;
    }
    items[i] = timer;
  }
}

/** Lets queued microtasks (and the promise chains they start) run. */
export async function settle(rounds = 20): Promise<void> {
  if (!Number.isInteger(rounds) || rounds < 0)
    throw optionError('rounds', `must be an integer ≥ 0, got ${describe(rounds)}`);
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}
