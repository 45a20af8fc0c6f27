/**
 * A link actor without per-actor costs of XState's Actor that an idle link never uses
 * (BENCHMARKS.md rounds 48 and 49 (idle heap), heap snapshots of 2,000 idle links):
 *
 * - its options: XState keeps `{ ...defaultOptions, ...options }` (`actor.options`, read again by
 *   `start()` and `attachDevTools()`), and V8 (Node 20) gives the keys a spread adds to that clone
 *   no shared transition: every actor's options object had a hidden class, a descriptor array and
 *   a property array of its own (~250 B a link). The same values, keys and order are put back as
 *   an object literal, whose hidden class every link shares.
 * - its event listener map: XState makes an empty `Map` per actor (~150 B with its table) for
 *   `actor.on()`, which a link calls only once something listens (./link.ts's relay). Until then
 *   the actor holds a `ListenersOnFirstUse` (one field), which answers as an empty map and puts a
 *   real `Map` on the actor at the first `set` (XState's `on()`).
 *
 * - its observer: `actor.subscribe()` wraps an observer in an object of bound methods
 *   (XState's `toObserver`, ~145 B a link); the link's DirectLinkObserver (below) goes into the
 *   actor's observer set as it is. XState calls an observer's `next` and
 *   `complete` as methods and its `error` alone; the link never unsubscribes.
 *
 * - its deferred tasks' storage, given back after each step (DirectLinkObserver.next).
 *
 * All before the actor starts. XState internals read (xstate 5.33.3): `actor.options` and its
 * keys (XState's defaults' three, then ours: any other list leaves the actor as XState made it),
 * `actor.eventListeners` and the Map methods XState calls on it (`get`, `set`, `clear`),
 * `actor.observers` (a Set), `actor._deferred` (an array XState pushes to, shifts and empties by
 * its length, and never replaces); canary: test/scale/lean-actor.test.ts.
 *
 * Node only: the browser bundles (scripts/browser-bundles.mjs) swap this file for its twin
 * ./lean-actor.browser.ts, whose `leanActor` changes nothing (few links a page, and these bytes
 * would fail the browser bundle budgets).
 */
import type { AnyActorRef } from 'xstate';
import type { ConnectionSnapshot } from './link-status.js';

/** The options XState resolves for a link actor created with `{ id, input, parent }`. */
interface LinkActorOptions {
  clock: unknown;
  logger: unknown;
  devTools: unknown;
  id: unknown;
  input: unknown;
  parent: unknown;
}

/** What this file replaces on XState's Actor. */
interface ActorParts {
  options?: LinkActorOptions;
  eventListeners?: ReadonlyMap<string, Set<unknown>> | ListenersOnFirstUse;
  observers?: Set<unknown> | ObserverSetOfOne;
  _deferred?: unknown[];
}

const KEYS = ['clock', 'logger', 'devTools', 'id', 'input', 'parent'];
const NONE: readonly never[] = [];

/** Whether XState's actor has the parts above as expected: read on the first actor (one XState
 * in a process), null until then. XState's shape only: what an application's `inspect` observer
 * did to that actor (subscribed, listened: it hears `@xstate.actor` in XState's constructor) is
 * no answer for every later link (test/scale/lean-actor-first.test.ts); each actor's own listener
 * map is looked at in leanActor. */
let knownShape: boolean | null = null;

function hasKnownShape(actor: ActorParts): boolean {
  const { options, eventListeners, observers } = actor;
  if (typeof options !== 'object' || options === null || !(eventListeners instanceof Map)) return false;
  if (!(observers instanceof Set) || !Array.isArray(actor._deferred)) return false;
  const keys = Object.keys(options);
  return keys.length === KEYS.length && keys.every((key, i) => key === KEYS[i]);
}

/**
 * An actor's event listener map until its first listener: empty, read as XState and a `Map`'s
 * readers read one; `set` (XState's `on()`) puts a real `Map` with that entry on the actor.
 */
export class ListenersOnFirstUse {
  constructor(private readonly actor: ActorParts) {}
  get size(): number {
    return 0;
  }
  get(_type: string): undefined {
    return undefined;
  }
  has(_type: string): boolean {
    return false;
  }
  set(type: string, listeners: Set<unknown>): Map<string, Set<unknown>> {
    const map = new Map([[type, listeners]]);
    this.actor.eventListeners = map;
    return map;
  }
  delete(_type: string): boolean {
    return false;
  }
  clear(): void {}
  forEach(): void {}
  keys(): IterableIterator<never> {
    return NONE.values();
  }
  values(): IterableIterator<never> {
    return NONE.values();
  }
  entries(): IterableIterator<never> {
    return NONE.values();
  }
  [Symbol.iterator](): IterableIterator<never> {
    return NONE.values();
  }
}

/**
 * An actor's observer set while the link's observer is its only one: one field where XState's
 * `Set` and its table were ~150 B a link. Read as XState reads a Set (`size`, `for…of`, `clear`,
 * `delete`); a second `add` (an application's `link.actor.subscribe`, a React hook) puts a real
 * `Set` on the actor with the link's observer first, as it would have been. An `add` while XState
 * iterates this set (a `link.on('state')` listener that subscribes) is visited by that iteration,
 * as a `Set`'s would be (ObserverIteration).
 */
export class ObserverSetOfOne {
  constructor(
    readonly actor: ActorParts,
    /** @internal the link's observer (undefined once deleted or cleared) */
    public only: unknown,
  ) {}
  get size(): number {
    return this.only === undefined ? 0 : 1;
  }
  has(observer: unknown): boolean {
    return observer !== undefined && observer === this.only;
  }
  add(observer: unknown): Set<unknown> | this {
    if (this.only === undefined) {
      this.only = observer;
      return this;
    }
    if (observer === this.only) return this;
    const set = new Set([this.only, observer]);
    this.actor.observers = set;
    return set;
  }
  delete(observer: unknown): boolean {
    if (!this.has(observer)) return false;
    this.only = undefined;
    return true;
  }
  clear(): void {
    this.only = undefined;
  }
  forEach(callback: (value: unknown, key: unknown, set: this) => void): void {
    for (const value of this) callback(value, value, this);
  }
  values(): IterableIterator<unknown> {
    return this[Symbol.iterator]();
  }
  keys(): IterableIterator<unknown> {
    return this[Symbol.iterator]();
  }
  [Symbol.iterator](): IterableIterator<unknown> {
    // XState's every step iterates its observers: one iteration object reused, not an array and
    // its iterator a step (an iteration inside another, a listener's `send` to a second link, gets
    // its own).
    const iteration = idle.set === null ? idle : new ObserverIteration();
    iteration.set = this;
    return iteration;
  }
}

/** An iteration of an ObserverSetOfOne: its observer, then (had an `add` put a `Set` on the actor
 * meanwhile) that set's other observers. Its result object is reused (`for…of` and spreads read it
 * at once). */
class ObserverIteration implements IterableIterator<unknown> {
  set: ObserverSetOfOne | null = null;
  private first: unknown = undefined;
  private rest: Iterator<unknown> | null = null;
  private readonly result: { value: unknown; done: boolean } = { value: undefined, done: false };
  next(): IteratorResult<unknown> {
    const result = this.result;
    const set = this.set;
    if (set === null) return this.finish();
    if (this.rest === null) {
      if (this.first === undefined) {
        const only = set.only;
        if (only === undefined) return this.finish();
        this.first = only;
        result.value = only;
        return result as IteratorResult<unknown>;
      }
      const now = set.actor.observers;
      if (now === set || !(now instanceof Set)) return this.finish();
      this.rest = now.values();
    }
    for (;;) {
      const next = this.rest.next();
      if (next.done) return this.finish();
      if (next.value !== this.first) {
        result.value = next.value;
        return result as IteratorResult<unknown>;
      }
    }
  }
  return(): IteratorResult<unknown> {
    return this.finish();
  }
  [Symbol.iterator](): this {
    return this;
  }
  private finish(): IteratorResult<unknown> {
    this.set = null;
    this.first = undefined;
    this.rest = null;
    return DONE;
  }
}

const DONE: IteratorResult<unknown> = Object.freeze({ value: undefined, done: true });
/** The iteration reused while free (set null). */
const idle = new ObserverIteration();

/** What the observer tells its link (./link.ts's Link). */
interface ObservedLink {
  onSnapshot(snapshot: ConnectionSnapshot): void;
  onActorError(error: unknown): void;
}

/** The observer put straight into XState's observer set, not through `subscribe` (see above).
 * XState calls `next` as a method and reads `error` off the observer to call it alone
 * (`_reportError`: `const errorListener = observer.error; errorListener?.(err)`): `error` is a
 * getter that binds the link's own only when XState reads it, at most once in an actor's life
 * (a function bound at construction was 48 B on every link; test/scale/lean-actor.test.ts has a
 * failing actor reach its link). No `complete`, as ./link-observer.ts's FinalStateLinkObserver (a
 * shard's link ends only in its final state or failing). */
export class DirectLinkObserver {
  constructor(
    private readonly link: ObservedLink,
    /** The actor's `_deferred` (see `next`). */
    private readonly deferred: unknown[],
  ) {}
  get error(): (error: unknown) => void {
    const link = this.link;
    return (error) => link.onActorError(error);
  }
  /** XState calls it after running the step's deferred tasks (`update`: `while (fn =
   * _deferred.shift())`): the queue is empty, but its storage (17 slots, 152 B) stays once a step
   * deferred one (a timer scheduled, an event sent) and V8's optimised `shift` left it. Setting
   * the length of an empty array to 0 gives it back (BENCHMARKS.md round 49 (idle heap)). */
  next(snapshot: ConnectionSnapshot): void {
    const deferred = this.deferred;
    if (deferred.length === 0) deferred.length = 0;
    this.link.onSnapshot(snapshot);
  }
}

/** Puts `actor`'s options in the shared hidden class, its listener map off until first use and
 * a DirectLinkObserver of `link` in its observers (see above). For an actor created with
 * `{ id, input, parent }`, before it starts (a map something listens on already, an application's
 * `inspect` observer say, is kept; its observers are notified before the link's). False if the
 * actor is not as expected: nothing was changed, the caller subscribes an observer itself. */
export function leanActor(actor: AnyActorRef, link: ObservedLink): boolean {
  const parts = actor as unknown as ActorParts;
  knownShape ??= hasKnownShape(parts);
  if (!knownShape) return false;
  const options = parts.options as LinkActorOptions;
  parts.options = {
    clock: options.clock,
    logger: options.logger,
    devTools: options.devTools,
    id: options.id,
    input: options.input,
    parent: options.parent,
  };
  const listeners = parts.eventListeners;
  if (listeners instanceof Map && listeners.size === 0) parts.eventListeners = new ListenersOnFirstUse(parts);
  const observer = new DirectLinkObserver(link, parts._deferred as unknown[]);
  const observers = parts.observers;
  if (observers instanceof Set && observers.size === 0)
    parts.observers = new ObserverSetOfOne(parts, observer);
  else (observers as Set<unknown>).add(observer);
  return true;
}
