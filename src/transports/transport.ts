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

/** What a transport calls back for one connection: open, each message, a pong, and once, closed. */
export interface TransportHandlers {
  open(info: { protocol: string; extensions: string }): void;
  message(data: Incoming): void;
  pong(): void;
  /** Called at most once per connection, with the first reason observed. */
  closed(reason: Reason): void;
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
  /** Writes a message; false when the socket is not open (nothing was written). */
  send(data: Payload): boolean;
  /** Sends a protocol ping; false when unsupported or not open. */
  ping(): boolean;
  /** Starts the close handshake. */
  close(code: number, reason: string): void;
  /** Destroys the socket at once (no close handshake). Safe to call at any time, repeatedly. */
  terminate(): void;
  /** Bytes written but not yet handed to the network. */
  readonly bufferedAmount: number;
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

/** A reason for an Error thrown or emitted by a socket library. */
export function errorReason(error: unknown, redact: (text: string) => string): Reason {
  const err = error as { code?: unknown; message?: unknown } | undefined;
  const errorCode = typeof err?.code === 'string' ? err.code : undefined;
  const message = redact(typeof err?.message === 'string' ? err.message : String(error));
  return errorCode ? { kind: 'error', errorCode, message } : { kind: 'error', message };
}

/** A reason for a received close frame (or its absence: 1005/1006). */
export function closeFrameReason(code: number, reason: string, redact: (t: string) => string): Reason {
  const text = reason ? `: ${redact(reason)}` : '';
  return { kind: 'close', code, message: `closed with code ${code}${text}` };
}
