/**
 * The timeouts of one connection attempt and of closing: the other home of timing numbers.
 * The connection chart refers to them through the named delays `resolveTimeout`, `connectTimeout`,
 * `handshakeTimeout` and `closeTimeout`.
 */
export interface TimeoutOptions {
  /** From starting an attempt to its per-attempt URL, protocols, headers and wsOptions functions
   * having settled (a token fetched), in ms: a provider that never settles ends the attempt. Only
   * links with such a function wait for it (the chart's `resolving`). */
  resolveTimeoutMs: number;
  /** From the transport being asked to open the resolved URL to the socket being open (TCP + TLS +
   * HTTP upgrade), in ms: the provider's time does not count (see `resolveTimeoutMs`). */
  connectTimeoutMs: number;
  /** From the socket being open to the application handshake succeeding, in ms. */
  handshakeTimeoutMs: number;
  /** From `close()` to the socket being closed: drain + close handshake, then terminate; in ms. */
  closeTimeoutMs: number;
}

/**
 * Timeout defaults: 10 s for the per-attempt functions to settle, 10 s to connect, 10 s for the
 * application handshake, 5 s to drain and close.
 */
export const TIMEOUT_DEFAULTS: Readonly<TimeoutOptions> = Object.freeze({
  resolveTimeoutMs: 10_000,
  connectTimeoutMs: 10_000,
  handshakeTimeoutMs: 10_000,
  closeTimeoutMs: 5_000,
});

/**
 * One turn of the event loop's I/O, in ms: the wait a timeout grants (the delay `ioTurn` of ready's
 * `graceTurn` after the pong timeout, and of `connectGrace`, `handshakeGrace` and `resumeGrace`
 * after the connect, handshake and resume timeouts) before it declares the peer silent. After the
 * event loop was blocked (a CPU-bound job, a long GC, a busy host) for longer than a timeout, the
 * runtime runs the expired timers before it reads the sockets: the timeout fires with its answer
 * already waiting, unread, in the socket. A 0 ms timer set while timers run fires only after the next read of the sockets (Node:
 * the timers phase keeps its start time, so a new timer waits for the next loop, after the poll
 * phase; browsers: a new task, after the network tasks already queued), so the answer is seen
 * first. It costs nothing on a healthy link: only a timeout that fired pays it.
 */
export const IO_TURN_MS = 0;

/**
 * How long an attempt waits, after its socket fired `error`, for the `close` event a conforming
 * WebSocket fires right after it (the WHATWG "fail the WebSocket connection" steps queue both; `ws`
 * closes a socket it errored within its own close handshake), in ms: a socket that errs and never
 * closes (a non-conforming polyfill passed as the drop-in's `WebSocket`) would leave an open link
 * hanging, heartbeat off. After it the attempt ends as an abnormal close (1006) and the link
 * reconnects as after any drop (the chart's `errorCloseGrace`). As long as closeTimeout's default:
 * the time a close handshake is granted. Only an error arms it: a healthy link pays nothing.
 */
export const ERROR_CLOSE_GRACE_MS = 5_000;

/** The longest delay a timer can take (setTimeout's ceiling, ~24.8 days); a longer one fires
 * after 1 ms in Node, so no delay of the charts may exceed it. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Upper bound honoured for a server's `Retry-After` hint, in ms (a hint of a day is a bug). */
export const MAX_RETRY_AFTER_MS = 10 * 60_000;

/** How long a health endpoint waits for `authorize(request)` to settle before it answers the
 * summary (healthHandler's `authorizeTimeoutMs`), in ms: well under a Kubernetes probe's default
 * 1 s timeout would be too tight for a remote token store, so 5 s — a hung store still answers. */
export const AUTHORIZE_TIMEOUT_DEFAULT_MS = 5_000;

/** How long a closing socket waits for all its links to drain and close before ending them, in ms. */
export const LINGER_DEFAULT_MS = 5_000;
