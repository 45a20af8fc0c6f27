/**
 * The transport wrapper the drop-in ReconnectingWebSocket runs its links on: it passes every call
 * through to the real transport and records what each attempt's socket said (URL and its origin,
 * subprotocol, extensions, the connection for bufferedAmount, how it ended), which the WebSocket
 * surface shows.
 */
import type { Reason } from '../../machines/policy/close-reason.js';
import type { Incoming } from './payload.js';
import type {
  Transport,
  TransportConnection,
  TransportContext,
  TransportHandlers,
  TransportTarget,
} from './transport.js';

/** What the current attempt's socket said when it opened. */
export interface SocketInfo {
  url: string;
  /** The URL's origin (`ws://host:port`), as a WebSocket's message events carry it; '' if it has none. */
  origin: string;
  protocol: string;
  extensions: string;
  connection: TransportConnection | null;
  /** How the socket ended, as the transport reported it; null while open, or when the link ended
   * it itself (the close timeout ran out: no close frame came back). */
  ended: Reason | null;
}

/**
 * Wraps `base` to learn each attempt's URL, protocol, extensions and socket: `socket` is the
 * record of the latest attempt, filled in as its socket opens and ends. One object per drop-in,
 * its `connect` on the prototype (no closures per drop-in).
 */
export class RecordingTransport implements Transport {
  readonly name: string;
  readonly inProcess: boolean;
  readonly protocolPing: boolean;
  readonly schemes: readonly string[];
  /** The base's: with it, `rws.link.pause()` holds reading between sockets too (the backoff wait). */
  readonly pausable: boolean | undefined;
  /** The latest attempt's record; null before the first. */
  socket: SocketInfo | null = null;

  /** `socketError` hears each attempt's socket fire `error` (after the link does): the drop-in
   * dispatches its `error` event then, as a WebSocket does, not when the attempt ends. */
  constructor(
    private readonly base: Transport,
    private readonly socketError?: (socket: SocketInfo, reason?: Reason) => void,
  ) {
    this.name = base.name;
    this.inProcess = base.inProcess;
    this.protocolPing = base.protocolPing;
    this.schemes = base.schemes;
    this.pausable = base.pausable;
  }

  /** The runtime hands it its attempt as the handlers and the context (it calls them as methods:
   * no four functions per attempt); `base` gets the record as its handlers and the attempt as its
   * context in turn, as methods too (its base is a built-in transport: ./transport.ts's
   * connectMethods). */
  connect(
    target: TransportTarget,
    handlers: TransportHandlers,
    context: TransportContext,
  ): TransportConnection {
    const socket = new RecordedSocket(target.url, handlers, this.socketError);
    this.socket = socket;
    socket.connection = this.base.connect(target, socket, context);
    return socket.connection;
  }
}
// Not marked callsHandlersAsMethods (./transport.ts): only the drop-in makes one, and its links
// connect by connectMethods (no custom-transport seam), so its bundle carries no mark registry
// (BENCHMARKS.md round 37 (size)).

/**
 * One attempt's record, which is also the handlers `base` gets (with the attempt's own context): it
 * notes the protocol, extensions and end as they come and passes every call on to the attempt's
 * own handlers. One object per attempt, its methods on the prototype (no closures per attempt).
 */
class RecordedSocket implements SocketInfo, TransportHandlers {
  readonly origin: string;
  protocol = '';
  extensions = '';
  connection: TransportConnection | null = null;
  ended: Reason | null = null;

  constructor(
    readonly url: string,
    private readonly handlers: TransportHandlers,
    private readonly socketError?: (socket: SocketInfo, reason?: Reason) => void,
  ) {
    this.origin = originOf(url);
  }

  open(info: { protocol: string; extensions: string }): void {
    this.protocol = info.protocol;
    this.extensions = info.extensions;
    this.handlers.open(info);
  }

  message(data: Incoming): void {
    this.handlers.message(data);
  }

  pong(staleRoundTripMs?: number): void {
    this.handlers.pong(staleRoundTripMs);
  }

  closed(reason: Reason): void {
    this.ended = reason;
    this.handlers.closed(reason);
  }

  error(reason?: Reason): void {
    this.handlers.error?.(reason);
    this.socketError?.(this, reason);
  }
}

/** The origin of a WebSocket URL, once per attempt (not per message). */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}
