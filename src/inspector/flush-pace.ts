/**
 * When the inspector server's next batch may go out: at least `intervalMs` after the last one by
 * Date.now(), the clock of each batch's `now` (the page reads the server's clock from it, so it is
 * wall-clock time; the pace is kept on the same clock, so the stamps a page sees are as far apart
 * as the server waited).
 *
 * Node's timers keep libuv's clock (whole ms, monotonic): one may fire up to a millisecond before
 * Date.now() says its delay is over. Such a timer is armed again for the rest. A wall clock is not
 * a clock to wait on for long, though: one set back (by hours) or standing still never reaches the
 * end of the interval. So a clock found set back when a timer is armed counts the last batch as
 * sent now (one interval to wait, not the jump); a timer that finds it set back when it fires lets
 * the batch go, and so does one that finds Date.now() where it was when the timer was armed
 * (standing still: a running clock moves over a wait of MIN_WAIT_MS). Every re-arm needs the clock
 * to have moved on, so they end within the interval; a clock set back while a timer waits holds
 * the batch back by less than one more interval.
 */

/** The shortest wait for the rest of an interval: over 2 ms, a running clock moves ≥ 1 ms. */
const MIN_WAIT_MS = 2;

export class FlushPace {
  /** Date.now() of the last batch. */
  private last = 0;
  /** Date.now() when the timer was last armed. */
  private armedAt = 0;

  constructor(private readonly intervalMs: number) {}

  /** The delay for a flush timer armed now. */
  arm(): number {
    const now = Date.now();
    // Set back since the last batch: that batch is taken as now, one interval to wait from here.
    if (now < this.last) this.last = now;
    this.armedAt = now;
    const rest = this.last + this.intervalMs - now;
    return rest <= 0 ? 0 : Math.max(MIN_WAIT_MS, rest);
  }

  /** The timer fired: the batch's `now`, or null when the interval is not over (arm it again). */
  fire(): number | null {
    const now = Date.now();
    const early = now >= this.last && now < this.last + this.intervalMs && now > this.armedAt;
    if (early) return null;
    this.last = now;
    return now;
  }
}
