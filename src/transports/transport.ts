/**
 * The contract between the runtime and a socket implementation. A transport knows how to open
 * one socket and report what happens to it; everything about retrying, timing and queueing is
 * the chart's and the link's business.
 */
import type { Reason } from '../../machines/policy/close-reason.js';
import type { Clock } from '../util/clock.js';
import type { Incoming, Payload } from './payload.js';

/** Where and how to connect; resolved afresh for every attempt. */
export interface TransportTarget {
  url: string;
  protocols: string[];
  headers: Record<string, string>;
  /** Extra options for the underlying client (for `ws`: its ClientOptions). */
  options: Record<string, unknown>;
}

/**
 * What a transport calls back for one connection: open, each message, a pong, and once, closed.
 * A transport may call them as plain functions (detached: `const { open } = handlers`) or spread
 * them into an object of its own: the runtime gives a custom transport four functions that work
 * either way. Its own transports (`ws`, the WebSocket constructor, memory) call them as methods
 * of the object given and say so (`callsHandlersAsMethods`), so they get the runtime's attempt
 * object itself: no four functions per attempt (~330 B a link, measured).
 */
export interface TransportHandlers {
  open(info: { protocol: string; extensions: string }): void;
  message(data: Incoming): void;
  /**
   * A pong. With a number: a pong that answers an older ping than the latest (it came back after
   * a newer ping went out), and that ping's round trip in ms: it answers nothing (it proves nothing
   * about the latest ping), but the link still reports the path's round trip (`rttMs`) on a busy
   * link whose pongs are always late. A transport that cannot tell its pongs apart calls `pong()`.
   * A custom transport's other value (`'x'`, NaN, a negative) is taken as `pong()` and reported
   * once per link as LV_ERR_TRANSPORT (not at every reconnect).
   */
  pong(staleRoundTripMs?: number): void;
  /** Called at most once per connection, with the first reason observed: a `Reason` (a string `kind`,
   * one of ReasonKind, and a string `message`). A custom transport's other value ends the attempt as a network
   * error, reported as LV_ERR_TRANSPORT (docs/links.md, "Transports"). */
  closed(reason: Reason): void;
  /** The socket fired `error` (a WebSocket constructor's transport says it, once a connection, with
   * the system error it named if any, redacted):
   * its `closed` must follow within the connection chart's errorCloseGrace
   * (machines/policy/timeouts.ts ERROR_CLOSE_GRACE_MS), or the link ends the socket itself. */
  error?(reason?: Reason): void;
}

/** What the runtime gives a transport for one attempt: the clock, the limits, and how to redact. */
export interface TransportContext {
  clock: Clock;
  connectTimeoutMs: number;
  maxPayloadBytes: number;
  /** Scrubs secrets out of free text (error messages). */
  redact(text: string): string;
}

/** One open socket, as a transport gives it to the runtime. */
export interface TransportConnection {
  /**
   * Writes a message; false when the socket is not open (nothing was written: the link keeps the
   * message and writes it later, on this socket or the next). A send() that throws refuses the
   * value (reported LV_ERR_INVALID_DATA) and must have written nothing of it: with `resume`, the
   * next message takes its number (docs/resume.md, "A frame the transport refuses").
   */
  send(data: Payload): boolean;
  /** Sends a protocol ping; false when unsupported or not open. */
  ping(): boolean;
  /** Starts the close handshake. */
  close(code: number, reason: string): void;
  /** Destroys the socket at once (no close handshake). Safe to call at any time, repeatedly. */
  terminate(): void;
  /** Bytes written but not yet handed to the network. */
  readonly bufferedAmount: number;
  /**
   * Optional flow control: stop reading from the socket (no message, pong or close frame is read
   * until `resume()`; the peer's sends back up in the network buffers), so a consumer slower than
   * its peer holds bounded memory. While paused a pong cannot be read either: applications call
   * it through `Link.pause()`, which also tells the chart to stop judging the peer until
   * `Link.resume()`. The `ws` transport has it (ws's `pause()`; a no-op unless the socket is open),
   * and so does the memory transport (messages and pongs wait; closes do not).
   */
  pause?(): void;
  /** Optional flow control: read from the socket again (see `pause`). */
  resume?(): void;
}

/** What the platform can tell a supervisor about the network (`supervisor.signal`). */
export type NetworkSignalKind = 'offline' | 'online' | 'wake';

/**
 * How a link opens sockets: `wsTransport` (Node), `createBrowserTransport()`, a memory network's
 * `transport`, or your own.
 */
export interface Transport {
  readonly name: string;
  /** In-process: no connecting or handshaking phase (the chart goes idle → ready). */
  readonly inProcess: boolean;
  /** Supports WebSocket protocol ping/pong frames (`heartbeat.mode: 'protocol'`). */
  readonly protocolPing: boolean;
  /** URL schemes this transport accepts, e.g. ['ws:', 'wss:']. */
  readonly schemes: readonly string[];
  /** Optional: every connection it makes has `pause`/`resume` (flow control), so `Link.pause()`
   * holds reading between sockets too (the next socket is held from its open). Without it, a link
   * pauses only while its current socket has them. The `ws` and memory transports declare it. */
  readonly pausable?: boolean;
  /** Optional: wires the platform's network events (a browser page's online/offline, visibility,
   * freeze/resume) to `signal`; returns the unwiring function. A supervisor calls it unless
   * `networkSignals: false`. The browser transports have it; Node's `ws` transport does not. */
  watchNetwork?(signal: (kind: NetworkSignalKind) => void): () => void;
  connect(
    target: TransportTarget,
    handlers: TransportHandlers,
    context: TransportContext,
  ): TransportConnection;
}

/** connect() functions that call their handlers as methods, never detached (see TransportHandlers). */
const METHOD_CALLERS = new WeakSet<Transport['connect']>();

/**
 * @internal Marks a transport's `connect` as calling its handlers as methods of the object it is
 * given (`handlers.open(info)`), never detached, spread or kept beyond the connection. The mark is
 * on the function: a transport that wraps one (`{ ...wsTransport, connect() {…} }`) is unmarked.
 */
export function callsHandlersAsMethods<T extends Transport['connect']>(connect: T): T {
  METHOD_CALLERS.add(connect);
  return connect;
}

/** @internal Whether `transport.connect` was marked by callsHandlersAsMethods. */
export function takesMethodHandlers(transport: Transport): boolean {
  return METHOD_CALLERS.has(transport.connect);
}

/**
 * @internal Connects with `attempt` as the handlers and `context` (by default the attempt too),
 * the objects themselves: right for a transport that calls its handlers as methods
 * (callsHandlersAsMethods: the built-in ones, so the drop-in's). A link of a maker that may be
 * given a custom transport connects with ./detachable-handlers.ts's connectWith instead (a link
 * feature: src/runtime/link-features.ts), which the drop-in's bundle leaves out.
 */
export function connectMethods(
  transport: Transport,
  target: TransportTarget,
  attempt: TransportHandlers,
  context: TransportContext = attempt as TransportHandlers & TransportContext,
): TransportConnection {
  return transport.connect(target, attempt, context);
}

/** How a link connects its attempt (connectMethods, or the link feature's connectWith). */
export type ConnectWith = typeof connectMethods;

/** A reason for an Error thrown or emitted by a socket library. */
export function errorReason(error: unknown, redact: (text: string) => string): Reason {
  const err = error as { code?: unknown; message?: unknown } | undefined;
  const errorCode = typeof err?.code === 'string' ? err.code : undefined;
  const message = redact(typeof err?.message === 'string' ? err.message : String(error));
  return errorCode ? { kind: 'error', errorCode, message } : { kind: 'error', message };
}

/** A reason's message with a link's secrets redacted (by `scrubber.redact`), a close's code left
 * whole: the number was read from the frame, not written by the server (a short secret `100`, a
 * query value, must not turn `closed with code 1001` into `closed with code [redacted]1`). A close
 * with no text after its code (every dropped link's `closed with code 1006`) has nothing to scrub:
 * it is returned as it is, and the redactor (a function made each time a link is asked for it) is
 * not asked for. */
export function redactedMessage(
  reason: Reason,
  scrubber: { readonly redact: (text: string) => string },
): string {
  const message = reason.message;
  if (reason.kind !== 'close') return scrubber.redact(message);
  const prefix = `closed with code ${reason.code}`;
  if (!message.startsWith(prefix)) return scrubber.redact(message);
  return message.length === prefix.length ? message : prefix + scrubber.redact(message.slice(prefix.length));
}

/** A reason for a received close frame (or its absence: 1005/1006). */
export function closeFrameReason(code: number, reason: string, redact: (t: string) => string): Reason {
  const text = reason ? `: ${redact(reason)}` : '';
  return { kind: 'close', code, message: `closed with code ${code}${text}` };
}
