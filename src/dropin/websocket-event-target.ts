/**
 * The drop-in's event-target plumbing: an `EventTarget` with a WebSocket's `on…` handler
 * properties (`onopen`, `onmessage`, `onclose`, `onerror`), each called before the listeners added
 * later, as a WebSocket's are, and `addEventListener` / `removeEventListener` typed by the drop-in's
 * event map (./ws-events.ts). The WebSocket-compatible surface on top of it — state, `send`,
 * `close`, `reconnect` and the links behind them — is ReconnectingWebSocket
 * (./reconnecting-websocket.ts); nothing here knows about links.
 */
import type { CloseEvent, ErrorEvent, ReconnectingWebSocketEventMap } from './ws-events.js';

/** An `on…` handler property: called with the event, `this` being the socket; null for none. */
export type Handler<This, E> = ((this: This, event: E) => unknown) | null;

/**
 * An `EventTarget` with a WebSocket's `on…` handlers and listener methods typed by
 * `ReconnectingWebSocketEventMap`; the base class of `ReconnectingWebSocket`.
 */
export class WebSocketEventTarget extends EventTarget {
  onopen: Handler<this, Event> = null;
  onmessage: Handler<this, MessageEvent> = null;
  onclose: Handler<this, CloseEvent> = null;
  onerror: Handler<this, ErrorEvent> = null;

  constructor() {
    super();
    for (const type of ['open', 'message', 'close', 'error'] as const) {
      // Registered first, so `on<type>` runs before listeners added later (as theirs does).
      super.addEventListener(type, (event) => {
        const handler = this[`on${type}`] as Handler<this, Event>;
        if (typeof handler === 'function') handler.call(this, event);
      });
    }
  }

  override addEventListener<K extends keyof ReconnectingWebSocketEventMap>(
    type: K,
    listener: ((this: this, event: ReconnectingWebSocketEventMap[K]) => unknown) | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  override addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  override addEventListener(
    type: string,
    listener: unknown,
    options?: boolean | AddEventListenerOptions,
  ): void {
    super.addEventListener(type, listener as EventListenerOrEventListenerObject | null, options);
  }

  override removeEventListener<K extends keyof ReconnectingWebSocketEventMap>(
    type: K,
    listener: ((this: this, event: ReconnectingWebSocketEventMap[K]) => unknown) | null,
    options?: boolean | EventListenerOptions,
  ): void;
  override removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ): void;
  override removeEventListener(
    type: string,
    listener: unknown,
    options?: boolean | EventListenerOptions,
  ): void {
    super.removeEventListener(type, listener as EventListenerOrEventListenerObject | null, options);
  }
}
