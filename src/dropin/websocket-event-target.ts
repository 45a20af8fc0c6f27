/**
 * The drop-in's event-target plumbing: an `EventTarget` with a WebSocket's `on…` handler
 * properties (`onopen`, `onmessage`, `onclose`, `onerror`), each called before the listeners added
 * later, as a WebSocket's are, and `addEventListener` / `removeEventListener` typed by the drop-in's
 * event map (./ws-events.ts). The WebSocket-compatible surface on top of it — state, `send`,
 * `close`, `reconnect` and the links behind them — is ReconnectingWebSocket
 * (./reconnecting-websocket.ts); nothing here knows about links.
 */
import type { CloseEvent, ErrorEvent, ReconnectingWebSocketEventMap } from './ws-events.js';

/** A listener as `EventTarget` takes one: a function, or an object with `handleEvent` (the DOM's
 * `EventListenerOrEventListenerObject`, declared here so the shipped types compile without the DOM
 * lib, in a Node project whose `lib` has no "DOM"). */
export type EventListenerLike = ((event: Event) => void) | { handleEvent(event: Event): void };

/** What `addEventListener` takes as options (the DOM's `AddEventListenerOptions`, declared here
 * for the same reason). */
export interface ListenerOptions {
  capture?: boolean;
  once?: boolean;
  passive?: boolean;
  signal?: AbortSignal;
}

/** An `on…` handler property: called with the event, `this` being the socket; null for none. */
export type Handler<This, E> = ((this: This, event: E) => unknown) | null;

/** The `on…` handler properties. */
type HandlerName = 'onopen' | 'onmessage' | 'onclose' | 'onerror';

/** One bit a type with an `on…` handler (WebSocketEventTarget's `callers`). */
const HANDLER_BITS = { open: 1, message: 2, close: 4, error: 8 } as const;

/** Calls the target's `on<type>` handler, if it has one, with the target as `this`: the first
 * listener of its type on every target that needs one (one function for all, no closure each). */
function callHandler(this: WebSocketEventTarget, event: Event): void {
  const handler = this[`on${event.type}` as HandlerName] as Handler<WebSocketEventTarget, Event>;
  if (typeof handler === 'function') handler.call(this, event);
}

/** An `on…` handler as a WebSocket's setter keeps it (WebIDL `[LegacyTreatNonObjectAsNull]`): a
 * value that is no object (`42`, `'x'`, `undefined`) reads back as null; a function or any other
 * object as given (an object that is no function is never called, as a browser cannot call it). */
function asHandler<T>(value: T): T | null {
  return Object(value) === value ? value : null;
}

/** The listener methods' types (declared only: EventTarget's removeEventListener at run time). */
export interface WebSocketEventTarget {
  removeEventListener<K extends keyof ReconnectingWebSocketEventMap>(
    type: K,
    listener: ((this: this, event: ReconnectingWebSocketEventMap[K]) => unknown) | null,
    options?: boolean | Pick<ListenerOptions, 'capture'>,
  ): void;
  removeEventListener(
    type: string,
    listener: EventListenerLike | null,
    options?: boolean | Pick<ListenerOptions, 'capture'>,
  ): void;
}

/**
 * An `EventTarget` with a WebSocket's `on…` handlers and listener methods typed by
 * `ReconnectingWebSocketEventMap`; the base class of `ReconnectingWebSocket`.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface only types EventTarget's method
export class WebSocketEventTarget extends EventTarget {
  private openHandler: Handler<this, Event> = null;
  private messageHandler: Handler<this, MessageEvent> = null;
  private closeHandler: Handler<this, CloseEvent> = null;
  private errorHandler: Handler<this, ErrorEvent> = null;

  get onopen(): Handler<this, Event> {
    return this.openHandler;
  }
  set onopen(value: Handler<this, Event>) {
    this.openHandler = asHandler(value);
  }
  get onmessage(): Handler<this, MessageEvent> {
    return this.messageHandler;
  }
  set onmessage(value: Handler<this, MessageEvent>) {
    this.messageHandler = asHandler(value);
  }
  get onclose(): Handler<this, CloseEvent> {
    return this.closeHandler;
  }
  set onclose(value: Handler<this, CloseEvent>) {
    this.closeHandler = asHandler(value);
  }
  get onerror(): Handler<this, ErrorEvent> {
    return this.errorHandler;
  }
  set onerror(value: Handler<this, ErrorEvent>) {
    this.errorHandler = asHandler(value);
  }
  /** The types whose handler caller is registered (HANDLER_BITS): made on the first listener of
   * the type, or the first dispatch of it while its `on…` handler is set, never before either (no
   * four listeners per socket that nobody may ever need). */
  private callers = 0;

  /** Registers the `on<type>` caller as the type's first listener, if not yet. */
  private callHandlerFirst(type: string): void {
    const bit = HANDLER_BITS[type as keyof typeof HANDLER_BITS];
    if (bit === undefined || (this.callers & bit) !== 0) return;
    this.callers |= bit;
    super.addEventListener(type, callHandler);
  }

  override dispatchEvent(event: Event): boolean {
    if (typeof this[`on${event.type}` as HandlerName] === 'function') this.callHandlerFirst(event.type);
    return super.dispatchEvent(event);
  }

  override addEventListener<K extends keyof ReconnectingWebSocketEventMap>(
    type: K,
    listener: ((this: this, event: ReconnectingWebSocketEventMap[K]) => unknown) | null,
    options?: boolean | ListenerOptions,
  ): void;
  override addEventListener(
    type: string,
    listener: EventListenerLike | null,
    options?: boolean | ListenerOptions,
  ): void;
  override addEventListener(type: string, listener: unknown, options?: boolean | ListenerOptions): void {
    // Added first, so `on<type>` runs before listeners added later (as theirs does).
    this.callHandlerFirst(type);
    super.addEventListener(type, listener as EventListenerLike | null, options);
  }
}
