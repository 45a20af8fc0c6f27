/**
 * The links `connect()` has booked and not started yet, oldest first. `connect()` only pushes
 * (O(1)); the links start in call order in slices that never hold the event loop long. A handful
 * booked in one go (at most START_AT_ONCE_LINKS) start together on a microtask right after the
 * caller's synchronous code, as tests with a simulated clock expect; a caller that books more
 * (a loop of connect()) has held the loop already, so its links start on later turns of the loop
 * only (nextTurn: I/O and timers run in between), never adding to that stall. Reading a link's
 * actor, or closing it, starts it and every link booked before it at once (`startThrough`).
 * Links are started in batches (one call of `start` with several, one step of the socket chart:
 * `peer.add`): a slice is one batch of at least START_SLICE_MIN_LINKS, then batches of
 * START_BATCH_LINKS while its START_SLICE_MS last. (Batches of 8 were measured: +8 % of the CPU
 * of opening a link, for the socket steps; BENCHMARKS.md round 10 (stall).)
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
/** Links a slice starts whatever the time (the first ones of a process start cold). */
const START_SLICE_MIN_LINKS = 32;
/** Links of each further batch of a slice (bounds how far a slice runs past START_SLICE_MS). */
const START_BATCH_LINKS = 16;
/** Links started and not yet ready above which a handful booked waits for the next turn too. */
const BUSY_LINKS = 32;

export class StartQueue<T extends { linkId: string }> {
  /** Booked items from `head` on; taken slots are cleared so a started link is not retained. */
  private readonly items: (T | undefined)[] = [];
  private head = 0;
  private scheduled = false;

  constructor(
    private readonly start: (items: readonly T[]) => void,
    /** How many links were started and are not ready yet. */
    private readonly opening: () => number,
  ) {}

  /** Books an item; it starts in the next slice. */
  push(item: T): void {
    this.items.push(item);
    this.schedule(false);
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
    if (batch.length > 0) this.start(batch);
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
      const until = performance.now() + START_SLICE_MS;
      this.startBatch(START_SLICE_MIN_LINKS);
      while (this.head < this.items.length && performance.now() < until) this.startBatch(START_BATCH_LINKS);
      if (this.head < this.items.length) this.schedule(true);
    };
    if (later) nextTurn(run);
    else queueMicrotask(run);
  }
}
