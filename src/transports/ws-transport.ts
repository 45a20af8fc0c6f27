/**
 * Node transport on the `ws` package. `maxPayload` defaults far below ws's 100 MiB (see
 * `maxPayloadBytes`). No `handshakeTimeout` of ws's own: the chart's connectTimeout bounds the
 * attempt and ends the socket (a second timer per socket cost ~250 B a link, measured).
 */
import WebSocket from 'ws';
import { parseRetryAfter } from '../../machines/policy/close-reason.js';
import {
  closeFrameReason,
  errorReason,
  type Transport,
  type TransportConnection,
  type TransportContext,
  type TransportHandlers,
  type TransportTarget,
} from './transport.js';

const noop = () => {};

/** Prefix of the payload of our pings: `lv` + a 4-byte counter, so a pong tells which ping it
 * answers (RFC 6455 §5.5.3: a pong echoes its ping's payload). */
const PING_TAG = Buffer.from('lv');

/**
 * The Node transport on the `ws` package (the default in Node): HTTP status of a rejected upgrade,
 * protocol pings, `maxPayload` = `maxPayloadBytes`; the chart's `connectTimeoutMs` bounds the upgrade.
 */
export const wsTransport: Transport = {
  name: 'ws',
  inProcess: false,
  protocolPing: true,
  schemes: ['ws:', 'wss:'],
  connect(target: TransportTarget, handlers: TransportHandlers, context: TransportContext) {
    let finished = false;
    const finish: TransportHandlers['closed'] = (reason) => {
      if (finished) return;
      finished = true;
      handlers.closed(reason);
    };
    let ws: WebSocket;
    try {
      ws = new WebSocket(target.url, target.protocols, {
        ...target.options,
        maxPayload: context.maxPayloadBytes,
        headers: { ...(target.options.headers as Record<string, string>), ...target.headers },
      });
    } catch (error) {
      // ws throws synchronously for a bad URL or protocol list: report, never throw.
      queueMicrotask(() => finish(errorReason(error, context.redact)));
      return deadConnection;
    }
    ws.binaryType = 'nodebuffer';
    ws.on('open', () => handlers.open({ protocol: ws.protocol, extensions: ws.extensions }));
    ws.on('message', (data, isBinary) => {
      handlers.message(isBinary ? (data as Buffer) : (data as Buffer).toString());
    });
    ws.on('unexpected-response', (request, response) => {
      const status = response.statusCode ?? 0;
      const header = response.headers['retry-after'];
      const retryAfterMs = parseRetryAfter(Array.isArray(header) ? header[0] : header, Date.now());
      finish({
        kind: 'http',
        status,
        message: `upgrade rejected with HTTP ${status}`,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      });
      response.resume();
      request.destroy();
    });
    ws.on('error', (error) => finish(errorReason(error, context.redact)));
    ws.on('close', (code, reason) => finish(closeFrameReason(code, reason.toString(), context.redact)));

    const connection = new WsConnection(ws, () => {
      finished = true;
    });
    ws.on('pong', (data: Buffer) => {
      // A pong that answers an OLDER ping of ours (a slow path: it arrived after a newer ping went
      // out) proves nothing about the newer one and would understate the round trip: ignored.
      // Any other pong (the latest ping's, an unsolicited one) is passed on.
      if (isOurPing(data) && data.readUInt32BE(PING_TAG.length) !== connection.pings) return;
      handlers.pong();
    });
    return connection;
  },
};

/** One socket's connection: a class, not an object literal of closures (a literal with a getter
 * is a dictionary-mode object in V8: ~600 B a link more, measured with heap snapshots). */
class WsConnection implements TransportConnection {
  /** Counter of our pings (the payload's last 4 bytes). */
  pings = 0;

  constructor(
    private readonly ws: WebSocket,
    private readonly markFinished: () => void,
  ) {}

  send(data: Parameters<TransportConnection['send']>[0]): boolean {
    if (this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(data as Buffer | string);
    return true;
  }

  ping(): boolean {
    if (this.ws.readyState !== WebSocket.OPEN) return false;
    this.pings = (this.pings + 1) >>> 0;
    const payload = Buffer.allocUnsafe(PING_TAG.length + 4);
    PING_TAG.copy(payload, 0);
    payload.writeUInt32BE(this.pings, PING_TAG.length);
    this.ws.ping(payload);
    return true;
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.close(code, reason);
    else this.ws.terminate();
  }

  terminate(): void {
    this.markFinished();
    // Late 'error' events must have a listener, or Node throws them.
    this.ws.removeAllListeners();
    this.ws.on('error', noop);
    this.ws.terminate();
  }

  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }
}

function isOurPing(data: Buffer): boolean {
  return data.length === PING_TAG.length + 4 && data[0] === PING_TAG[0] && data[1] === PING_TAG[1];
}

const deadConnection: TransportConnection = {
  send: () => false,
  ping: () => false,
  close: noop,
  terminate: noop,
  bufferedAmount: 0,
};
