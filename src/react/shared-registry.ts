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
 * A value created by a render that never committed (a render thrown away by React, server
 * rendering) never started; it is disposed by the next peek or acquire once it is older than
 * ORPHAN_AFTER_MS. No timer is ever set here. Only values never started are ever looked through
 * (kept apart, oldest first): a render costs the same however many started values are held.
 *
 * Each value has a `group`: its key without the owner's number for a component's own value (else
 * its key, alone in its group). A mount render whose state React throws away (React 18's
 * StrictMode renders a mount twice with fresh state; a mount that suspends is rendered again with
 * fresh state) peeks under another owner each time: when one value of a group starts, the group's
 * values created before it that never started are disposed a microtask later, after every effect
 * of that commit ran (a sibling asking the same, rendered later, is never one of them).
 */

/** How long an idle value created by a render may wait for its commit before a later call
 * disposes it, in ms. Generous: a slow commit only costs a re-render with a fresh value (the
 * effect finds the render's value gone, acquires a new one and renders again). Not a policy of
 * any link: it changes no timing of a connection. */
export const ORPHAN_AFTER_MS = 10_000;

export interface SharedEntry<T, I> {
  readonly key: string;
  readonly value: T;
  /** Committed users (effects acquired and not released). */
  refs: number;
  /** Started: acquired at least once. */
  started: boolean;
  /** Disposed: no longer the key's value. */
  disposed: boolean;
  readonly bornAt: number;
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
  private born = 0;

  constructor(
    private readonly lifecycle: SharedLifecycle<T, I>,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Values held (started or not). */
  get size(): number {
    return this.entries.size;
  }

  /** The key's value, created idle if there is none (call during render). `group`: see the file
   * header. */
  peek(key: string, input: I, group: string): T {
    this.sweep();
    return this.entryFor(key, input, group).value;
  }

  /** A committed user takes the key's value (call in an effect); the first one starts it. The
   * value may differ from the one the render peeked if that one was disposed meanwhile. */
  acquire(key: string, user: object, input: I, group: string): SharedEntry<T, I> {
    this.sweep();
    const entry = this.entryFor(key, input, group);
    entry.refs++;
    this.commit(entry, user, input);
    if (!entry.started) {
      entry.started = true;
      this.idle.delete(entry);
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
      bornAt: this.now(),
      born: ++this.born,
      group,
      inputs,
    };
    this.entries.set(key, entry);
    this.idle.add(entry);
    return entry;
  }

  private dispose(entry: SharedEntry<T, I>): void {
    if (entry.disposed) return;
    entry.disposed = true;
    this.idle.delete(entry);
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

  /** Disposes values created by renders that never committed (the oldest first). */
  private sweep(): void {
    const before = this.now() - ORPHAN_AFTER_MS;
    for (const entry of this.idle) {
      if (entry.bornAt >= before) return;
      this.dispose(entry);
    }
  }
}
