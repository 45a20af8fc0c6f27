/**
 * A small typed event emitter. A listener that throws never breaks the emitter or the link: the
 * error is handed to `onListenerError` (the link turns it into an `error` event). Its owner names
 * the events it emits (one frozen list shared by every instance): `on`/`off` of any other name
 * throws LV_ERR_UNKNOWN_OPTION naming `event`, with a "did you mean" hint (a misspelt name was
 * accepted and its listener never fired); the name is quoted only with its hint. Checked at the
 * call, never at `emit`. Each `on()` is one registration, as Node's EventEmitter: the same function
 * added twice is called twice, its disposer removes exactly its own registration (once: called
 * again, a no-op), `off(event, fn)` the most recently added registration of `fn`.
 */
import { describe } from './describe.js';
import { LinkvisorError, optionError } from './errors.js';
import { closestName } from './option-checks.js';
import { redactedCause } from './redacted-cause.js';

export type Listener<T> = (payload: T) => void;

/** The declared event names of an `…Events` interface (its index signature aside): what an
 * owner's list of names `satisfies`, so a misspelt name in a list fails to compile. */
export type EventName<Events> = keyof {
  [K in keyof Events as string extends K ? never : K]: 0;
};

/** Events of an emitter that reports its listeners' errors as its own `error` event. */
type ErrorEvents = { [key: string]: unknown; error: LinkvisorError };

/** One `on()`: its own array (of its listener alone), so that its disposer removes it and no other
 * registration of the same function (two components sharing a handler). */
type Registration = readonly [Listener<never>];

export class Emitter<Events extends Record<string, unknown>> {
  /** Made on the first `on()`: most links of a large fleet never get a listener of their own. */
  private listeners: Map<keyof Events, Registration[]> | null = null;

  /** `onListenerError` absent: an `error` event on this emitter (see reportListenerError), without
   * a closure per emitter (a link's wire has one). */
  constructor(
    /** Every event the owner emits (its `…Events` interface's names): a frozen module constant. */
    private readonly names: readonly string[],
    private readonly onListenerError?: (error: unknown, event: keyof Events) => void,
    /** Scrubs the secrets the owner knows from an `error` event's cause (before URLs' user info
     * and query values): none by default (a link's wire has already redacted its own); the
     * supervisor's, its links' (../runtime/supervisor-secrets.ts). */
    private readonly scrub: (text: string) => string = String,
  ) {}

  /** Throws LV_ERR_UNKNOWN_OPTION (option `event`) for a name the owner never emits, and
   * LV_ERR_INVALID_OPTION (option `listener`) for a listener that is no function: refused at the
   * call, not a listener that never fires or a throwing one at every event. The function returned
   * removes this registration alone, and only once (the same function added again stays). */
  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    this.known(event);
    if (typeof listener !== 'function')
      throw optionError('listener', `must be a function, got ${describe(listener)}`);
    this.listeners ??= new Map();
    const list = this.listeners.get(event) ?? [];
    const registration: Registration = [listener as Listener<never>];
    // Copy on write: emitting iterates a stable array even if a listener unsubscribes.
    this.listeners.set(event, [...list, registration]);
    return () => this.remove(event, registration);
  }

  /** A known name whose listener is not subscribed: a no-op (as Node's and the DOM's). A name the
   * owner never emits: LV_ERR_UNKNOWN_OPTION, as `on` (it can only be a typo, and the listener
   * meant stays subscribed). A function added more than once: its most recently added
   * registration is removed, one per call (Node's rule). */
  off<K extends keyof Events>(event: K, listener: Listener<Events[K]>): void {
    this.known(event);
    this.remove(
      event,
      this.listeners?.get(event)?.findLast(([l]) => l === listener),
    );
  }

  /** Drops one registration (none, or already gone: nothing to do), copy on write. */
  private remove(event: keyof Events, registration?: Registration): void {
    const list = this.listeners?.get(event);
    if (!this.listeners || !list?.includes(registration as Registration)) return;
    const next = list.filter((r) => r !== registration);
    if (next.length > 0) this.listeners.set(event, next);
    else if (this.listeners.size > 1) this.listeners.delete(event);
    // The last listener gone (a settled ready() of an idle link): no empty map kept (~180 B).
    else this.listeners = null;
  }

  /** The refused name is shown only with its hint (`'mesage'`: at most two edits from a name the
   * owner lists, so nothing of a secret), never otherwise (a token passed as the name). */
  private known(event: unknown): void {
    if (this.names.includes(event as string)) return;
    const hint = typeof event === 'string' ? closestName(this.names, event) : undefined;
    throw optionError(
      'event',
      `unknown event${hint ? ` '${event as string}' (did you mean '${hint}'?)` : ''}; known: ${this.names.join(', ')}`,
      'LV_ERR_UNKNOWN_OPTION',
    );
  }

  has(event: keyof Events): boolean {
    return this.listeners?.has(event) ?? false;
  }

  count(): number {
    let n = 0;
    for (const list of this.listeners?.values() ?? []) n += list.length;
    return n;
  }

  /** Calls the event's listeners. An `error` event's `cause` is replaced by its redacted copy
   * first (`scrub`, then URLs' user info and query values): ./redacted-cause.ts. */
  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    const error = (event === 'error' && payload) as Error | false;
    if (error) error.cause &&= redactedCause(error.cause, this.scrub);
    const list = this.listeners?.get(event);
    if (!list) return;
    for (const [listener] of list) {
      try {
        (listener as Listener<Events[K]>)(payload);
      } catch (error) {
        if (this.onListenerError) this.onListenerError(error, event);
        else reportListenerError(this as unknown as Emitter<ErrorEvents>, error, String(event));
      }
    }
  }

  /** Removes every listener, and the map of them (an empty one kept ~190 B an ended resumable
   * session still held, measured: test/size/emitter-clear-heap.test.ts). */
  clear(): void {
    this.listeners = null;
  }
}

/** The usual `onListenerError`: an `error` event (LV_ERR_LISTENER) on the same emitter; a
 * throwing `error` listener has nowhere left to report. */
export function reportListenerError<Events extends { error: LinkvisorError }>(
  emitter: Emitter<Events>,
  error: unknown,
  event: keyof Events,
): void {
  if (event === 'error') return;
  emitter.emit(
    'error',
    new LinkvisorError('LV_ERR_LISTENER', `a '${String(event)}' listener threw`, { cause: error }),
  );
}
