/**
 * The ref-counted resources behind the hooks: one value (a Link, a ReconnectingWebSocket) per
 * key, whoever asks for it. React renders before it commits and may render twice, or render and
 * never commit; so a render only *peeks*: it gets the key's value, creating it idle (nothing
 * connects) when there is none. A committed component *acquires* it in an effect (the first
 * acquire starts it) and releases it in the effect's cleanup. When the last user releases, the
 * value is disposed one microtask later, unless someone acquired it again meanwhile: StrictMode's
 * simulated unmount and remount (cleanup, then the effect again, synchronously) keeps the very
 * same value and its one socket, and so does a component that moves within one commit.
 *
 * A value created by a render that never committed (a render thrown away by React, a transition
 * abandoned for a newer update, a Suspense retry that never commits, server rendering) never
 * started: it is a *reservation*, disposed on a bounded schedule by the registry's reservations
 * chart (machines/reservations.machine.ts): every RESERVATION_SWEEP_MS
 * (machines/policy/reservations.ts) while any is held, a sweep disposes those already held at the
 * previous sweep (or at the hold's start), so it is gone one to two periods after its render, whatever else renders. No
 * timer runs while none is held (the chart is `clear`), and the timer never keeps Node running
 * (unref'd: a server render's reservations do not hold the process). Only values never started
 * are ever looked through (kept apart, oldest first): a render costs the same however many
 * started values are held.
 *
 * Each value has a `group`: its key without the owner's number for a component's own value (else
 * its key, alone in its group). A mount render whose state React throws away (React 18's
 * StrictMode renders a mount twice with fresh state; a mount that suspends is rendered again with
 * fresh state) peeks under another owner each time: when one value of a group starts, the group's
 * values created before it that never started are disposed a microtask later, after every effect
 * of that commit ran (a sibling asking the same, rendered later, is never one of them).
 */

import { type Actor, createActor, type InspectionEvent } from 'xstate';
import { reservationsMachine } from '../../machines/reservations.machine.js';

/** The timers of a reservations chart: XState's `clock` option. */
export interface ReservationClock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

/** The platform's timers, unref'd where they can be (Node: a sweep never keeps a process alive). */
const PLATFORM_CLOCK: ReservationClock = {
  setTimeout(fn, ms) {
    const id = setTimeout(fn, ms);
    (id as { unref?: () => void }).unref?.();
    return id;
  },
  clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
};

export interface SharedEntry<T, I> {
  readonly key: string;
  readonly value: T;
  /** Committed users (effects acquired and not released). */
  refs: number;
  /** Started: acquired at least once. */
  started: boolean;
  /** Disposed: no longer the key's value. */
  disposed: boolean;
  /** The sweep boundaries (sweeps, holds begun) before it was created: a sweep disposes the
   * reservations of earlier ones. */
  readonly generation: number;
  /** Its rank in creation order. */
  readonly born: number;
  /** Its key without the owner's number (see the file header). */
  readonly group: string;
  /** Each user's latest committed input, most recently committed last. */
  readonly inputs: Map<object, I>;
}

export interface SharedLifecycle<T, I> {
  /** Creates the idle value; `latest()` is the input of the most recently committed user. */
  create(input: I, latest: () => I, key: string): T;
  /** First acquire. */
  start(value: T, input: I): void;
  /** Last release (or an orphan). Must not throw. */
  dispose(value: T): void;
}

export class SharedRegistry<T, I> {
  private readonly entries = new Map<string, SharedEntry<T, I>>();
  /** The values never started, oldest first. */
  private readonly idle = new Set<SharedEntry<T, I>>();
  /** Values created so far (each one's `born`). */
  private births = 0;
  /** Sweep boundaries passed (each value's `generation`): sweeps done and holds begun. */
  private boundaries = 0;
  /** When the reservations are swept (machines/reservations.machine.ts). */
  private readonly chart: Actor<typeof reservationsMachine>;

  /** `clock`: the chart's timers (a test's SimulatedClock); its period is the policy's. `inspect`:
   * the chart's inspection events (the model test's coverage gate). */
  constructor(
    private readonly lifecycle: SharedLifecycle<T, I>,
    clock: ReservationClock = PLATFORM_CLOCK,
    inspect?: (event: InspectionEvent) => void,
  ) {
    this.chart = createActor(reservationsMachine, { clock, inspect });
    this.chart.on('reservations.sweep', () => this.sweep());
    this.chart.start();
  }

  /** Values created by renders and not started yet (reservations). */
  get reserved(): number {
    return this.idle.size;
  }

  /** Values held (started or not). */
  get size(): number {
    return this.entries.size;
  }

  /** The key's value, created idle if there is none (call during render). `group`: see the file
   * header. */
  peek(key: string, input: I, group: string): T {
    return this.entryFor(key, input, group).value;
  }

  /** A committed user takes the key's value (call in an effect); the first one starts it. The
   * value may differ from the one the render peeked if that one was disposed meanwhile. */
  acquire(key: string, user: object, input: I, group: string): SharedEntry<T, I> {
    const entry = this.entryFor(key, input, group);
    entry.refs++;
    this.commit(entry, user, input);
    if (!entry.started) {
      entry.started = true;
      this.unreserve(entry);
      this.lifecycle.start(entry.value, input);
      queueMicrotask(() => this.disposeEarlierRenders(entry));
    }
    return entry;
  }

  /** A user's latest committed input (its callbacks), most recent last. */
  commit(entry: SharedEntry<T, I>, user: object, input: I): void {
    entry.inputs.delete(user);
    entry.inputs.set(user, input);
  }

  /** A user lets go (effect cleanup); the last one disposes it a microtask later unless it is
   * acquired again before. */
  release(entry: SharedEntry<T, I>, user: object): void {
    entry.inputs.delete(user);
    entry.refs--;
    if (entry.refs > 0) return;
    queueMicrotask(() => {
      if (entry.refs === 0) this.dispose(entry);
    });
  }

  private entryFor(key: string, input: I, group: string): SharedEntry<T, I> {
    const existing = this.entries.get(key);
    if (existing) return existing;
    const inputs = new Map<object, I>();
    const latest = (): I => {
      let last = input;
      for (const value of inputs.values()) last = value;
      return last;
    };
    const entry: SharedEntry<T, I> = {
      key,
      value: this.lifecycle.create(input, latest, key),
      refs: 0,
      started: false,
      disposed: false,
      generation: this.boundaries,
      born: ++this.births,
      group,
      inputs,
    };
    this.entries.set(key, entry);
    this.idle.add(entry);
    // A hold's start is a sweep boundary: its first reservation goes at the first sweep (one period).
    if (this.idle.size === 1) {
      this.boundaries++;
      this.chart.send({ type: 'reservations.held' });
    }
    return entry;
  }

  /** `entry` is no reservation any more (started or disposed); the last one clears the chart. */
  private unreserve(entry: SharedEntry<T, I>): void {
    if (this.idle.delete(entry) && this.idle.size === 0) this.chart.send({ type: 'reservations.cleared' });
  }

  private dispose(entry: SharedEntry<T, I>): void {
    if (entry.disposed) return;
    entry.disposed = true;
    this.unreserve(entry);
    if (this.entries.get(entry.key) === entry) this.entries.delete(entry.key);
    this.lifecycle.dispose(entry.value);
  }

  /** Disposes the values of `started`'s group created before it that never started: renders of
   * the same mount that React threw away. */
  private disposeEarlierRenders(started: SharedEntry<T, I>): void {
    for (const entry of this.idle) {
      if (entry.born > started.born) return;
      if (entry.group === started.group) this.dispose(entry);
    }
  }

  /** Disposes every reservation now (its owner closed: a supervisor whose links are ending): the
   * last one clears the chart, so no sweep timer is left. Started values are their users' to
   * release. */
  disposeReservations(): void {
    for (const entry of this.idle) this.dispose(entry);
  }

  /** The chart's sweep: disposes the reservations held at the previous sweep or the hold's start
   * (the oldest first). */
  private sweep(): void {
    for (const entry of this.idle) {
      if (entry.generation >= this.boundaries) break;
      this.dispose(entry);
    }
    this.boundaries++;
  }
}
