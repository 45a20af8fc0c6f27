/**
 * The drop-in's `readyState` values, a WebSocket's: the constants ReconnectingWebSocket exposes as
 * static and instance members, and the states it moves through (never CLOSING: close() ends the
 * socket in the background).
 */

/** An attempt is pending (connecting or handshaking). */
export const CONNECTING = 0;
/** The link is ready: send() writes to the socket. */
export const OPEN = 1;
/** A WebSocket's closing handshake; the drop-in never reports it. */
export const CLOSING = 2;
/** Between attempts (the backoff wait), after close() and after failing. */
export const CLOSED = 3;
