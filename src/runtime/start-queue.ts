/**
 * The links `connect()` has booked and not started yet, oldest first. `connect()` only pushes
 * (O(1)); the links start in call order in slices that never hold the event loop long. A handful
 * booked in one go (at most START_AT_ONCE_LINKS) start together on a microtask right after the
 * caller's synchronous code, as tests with a simulated clock expect; a caller that books more
 * (a loop of connect()) has held the loop already, so its links start on later turns of the loop
 * only (nextTurn: I/O and timers run in between), never adding to that stall. Reading a link's
 * actor, or closing it, starts it and every link booked before it at once (`startThrough`).
 * Links are started in batches (one call of `start` with several, one step of the socket chart:
 * `peer.add`). A batch costs a socket step, dearer with more links live (batches of ~8 a slice on
 * `ws` took 1.4 × the start CPU a link of batches of ~31; BENCHMARKS.md rounds 10 (stall) and 50
 * (i50stall)), so a slice's first batch is START_BATCH_LINKS whatever the time, but a queue's first
 * slices ramp up to it (START_PROBE_LINKS, then twice as many a slice): the process's first links
 * start cold (~1.4 ms each), and a first slice of 32 of them held the loop 40–120 ms on a slow host.
 * A slice then goes on with batches sized to the time it has left (START_SLICE_MS) by the cost per
 * link measured on its last batch, while at least START_BATCH_MIN_LINKS fit.
 * While more than BUSY_LINKS links are still opening (a fleet coming up: each link whose open
 * completes may book the next), a booking waits for the next turn's slice too, so that the links
 * booked during one turn start together, not one or two a microtask (BENCHMARKS.md round 14 (open)).
 */
import { nextTurn } from '../util/next-turn.js';

/** Longest a slice of link starts holds the event loop, in ms (runtime scheduling, not a policy:
 * it changes when a link starts by a few ms, never its timing). */
const START_SLICE_MS = 5;
/** Links booked in one go that all start on the microtask after connect() (more start later). */
const START_AT_ONCE_LINKS = 32;
/** Links of a slice's first batch once a queue has ramped up; the most of any batch. */
const START_BATCH_LINKS = 32;
/** Fewest links of a slice's later batch: a batch costs a socket step, so a slice whose time left
 * holds fewer ends instead. */
const START_BATCH_MIN_LINKS = 8;
/** Links of a queue's first slice (they may be the process's first: cold). */
const START_PROBE_LINKS = 4;
/** Links started and not yet ready above which a handful booked waits for the next turn too. */
const BUSY_LINKS = 32;

export class StartQueue<T extends { linkId: string }> {
  /** Booked items from `head` on; taken slots are cleared so a started link is not retained. */
  private readonly items: (T | undefined)[] = [];
  private head = 0;
  private scheduled = false;
  /** Links started so far (a listener may start more inside a batch: `startThrough`). */
  private started = 0;
  /** The ms a link's start took in the last batch a slice measured (-1: none yet). */
  private msPerLink = -1;
  /** Links of the next slice's first batch: START_PROBE_LINKS, doubled a slice up to START_BATCH_LINKS. */
  private firstBatch = START_PROBE_LINKS;

  constructor(
    private readonly start: (items: readonly T[]) => void,
    /** How many links were started and are not ready yet. */
    private readonly opening: () => number,
  ) {}

  /** Books an item; it starts in the next slice. */
  push(item: T): void {
    this.items.push(item);
    // Checked here: a loop of connect() calls schedule once, without a call (and a context) a link.
    if (!this.scheduled) this.schedule(false);
  }

  /** Starts booked items now, oldest first, until the one of `linkId` (all of them without one),
   * as one batch. */
  startThrough(linkId?: string): void {
    this.startBatch(Number.POSITIVE_INFINITY, linkId);
  }

  private take(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.head = 0;
    }
    return item;
  }

  /** Starts the next `count` booked items (fewer if fewer are booked, or through the one of
   * `linkId`) as one batch. A slice may cut a group: the socket chart keeps a group's strategy and
   * size from `group.add` until the group has ended (`group.remove`), whatever members are live, so
   * its members start in slices as any links do (test/groups/group-member-closed-at-start.test.ts,
   * group-start-slices.test.ts, group-kept-until-removed.test.ts). */
  private startBatch(count: number, linkId?: string): void {
    const batch: T[] = [];
    while (batch.length < count) {
      const item = this.take();
      if (!item) break;
      batch.push(item);
      if (item.linkId === linkId) break;
    }
    this.started += batch.length;
    if (batch.length > 0) this.start(batch);
  }

  /** One slice: its first batch (ramping up, see the header), then batches sized to the time left
   * by the last measured cost per link, each measured in turn. */
  private slice(): void {
    let now = performance.now();
    const until = now + START_SLICE_MS;
    let size = this.firstBatch;
    this.firstBatch = Math.min(size * 2, START_BATCH_LINKS);
    for (let first = true; this.head < this.items.length; first = false) {
      if (!first) {
        size = Math.min(this.fits(until - now), START_BATCH_LINKS);
        if (size < START_BATCH_MIN_LINKS) break;
      }
      const before = this.started;
      this.startBatch(size);
      const then = performance.now();
      this.msPerLink = (then - now) / Math.max(1, this.started - before);
      now = then;
    }
  }

  /** How many links the last measured cost per link fits into `ms` (a coarse clock may measure a
   * batch as 0 ms: as many as a batch takes). */
  private fits(ms: number): number {
    if (!(this.msPerLink > 0)) return START_BATCH_LINKS;
    return Math.floor(ms / this.msPerLink);
  }

  private schedule(later: boolean): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      if (!later) {
        // Right after the caller's synchronous code: a handful start now, a mass (or a handful
        // while many links are opening) a turn later.
        const booked = this.items.length - this.head;
        if (booked <= START_AT_ONCE_LINKS && this.opening() <= BUSY_LINKS) this.startBatch(booked);
        else this.schedule(true);
        return;
      }
      this.slice();
      if (this.head < this.items.length) this.schedule(true);
    };
    if (later) nextTurn(run);
    else queueMicrotask(run);
  }
}
