/**
 * The drop-in's `readyState` values, a WebSocket's: the constants ReconnectingWebSocket exposes as
 * static and instance members, and the states it moves through (never CLOSING: close() ends the
 * socket in the background).
 */
import { WebSocketEventTarget } from './websocket-event-target.js';

/** An attempt is pending (connecting or handshaking). */
export const CONNECTING = 0;
/** The link is ready: send() writes to the socket. */
export const OPEN = 1;
/** A WebSocket's closing handshake; the drop-in never reports it. */
export const CLOSING = 2;
/** Between attempts (the backoff wait), after close() and after failing. */
export const CLOSED = 3;

/**
 * The readyState constants as a WebSocket has them, static and instance members, over the
 * drop-in's event target; the base class of ReconnectingWebSocket.
 */
export class WebSocketStates extends WebSocketEventTarget {
  static readonly CONNECTING = CONNECTING;
  static readonly OPEN = OPEN;
  static readonly CLOSING = CLOSING;
  static readonly CLOSED = CLOSED;

  get CONNECTING(): 0 {
    return CONNECTING;
  }
  get OPEN(): 1 {
    return OPEN;
  }
  get CLOSING(): 2 {
    return CLOSING;
  }
  get CLOSED(): 3 {
    return CLOSED;
  }
}
