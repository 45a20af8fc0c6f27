/**
 * The transport wrapper the drop-in ReconnectingWebSocket runs its links on: it passes every call
 * through to the real transport and records what each attempt's socket said (URL and its origin,
 * subprotocol, extensions, the connection for bufferedAmount, how it ended), which the WebSocket
 * surface shows.
 */
import type { Reason } from '../../machines/policy/close-reason.js';
import type { Transport, TransportConnection } from './transport.js';

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

/** Wraps `base` to learn each attempt's URL, protocol, extensions and socket: `onSocket` gets the
 * record of each new attempt, filled in as its socket opens and ends. */
export function recordingTransport(base: Transport, onSocket: (socket: SocketInfo) => void): Transport {
  return {
    name: base.name,
    inProcess: base.inProcess,
    protocolPing: base.protocolPing,
    schemes: base.schemes,
    connect: (target, handlers, context) => {
      const socket: SocketInfo = {
        url: target.url,
        origin: originOf(target.url),
        protocol: '',
        extensions: '',
        connection: null,
        ended: null,
      };
      onSocket(socket);
      socket.connection = base.connect(
        target,
        {
          ...handlers,
          open: (info) => {
            socket.protocol = info.protocol;
            socket.extensions = info.extensions;
            handlers.open(info);
          },
          closed: (reason) => {
            socket.ended = reason;
            handlers.closed(reason);
          },
        },
        context,
      );
      return socket.connection;
    },
  };
}

/** The origin of a WebSocket URL, once per attempt (not per message). */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}
