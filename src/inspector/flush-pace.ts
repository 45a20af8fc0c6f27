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
 * sent now (one interval to wait, not the jump); a timer that finds it set back before the last
 * batch when it fires lets the batch go; and a batch is held back by the timers' clock for at most
 * MAX_WAIT_INTERVALS intervals however Date.now() moves (standing still: it goes then).
 */

/** How long a batch may wait, by the timers' clock, in intervals: one, and the rest of one more
 * for a timer that fired early. */
const MAX_WAIT_INTERVALS = 2;

export class FlushPace {
  /** Date.now() of the last batch (none yet: the first goes at once, whatever the clock says). */
  private last = Number.NEGATIVE_INFINITY;
  /** What the timers armed since the last batch waited, in ms (a timer waits at least 1 ms). */
  private waited = 0;

  constructor(private readonly intervalMs: number) {}

  /** The delay for a flush timer armed now. */
  arm(): number {
    const now = Date.now();
    // Set back since the last batch: that batch is taken as now, one interval to wait from here.
    if (now < this.last) this.last = now;
    const delay = Math.max(0, this.last + this.intervalMs - now);
    this.waited += Math.max(1, delay);
    return delay;
  }

  /** The timer fired: the batch's `now`, or null when the interval is not over (arm it again). */
  fire(): number | null {
    const now = Date.now();
    const early =
      now >= this.last &&
      now < this.last + this.intervalMs &&
      this.waited < MAX_WAIT_INTERVALS * this.intervalMs;
    if (early) return null;
    this.last = now;
    this.waited = 0;
    return now;
  }
}
