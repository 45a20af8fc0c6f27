/**
 * Node transport on the `ws` package. `maxPayload` defaults far below ws's 100 MiB (see
 * `maxPayloadBytes`). No `handshakeTimeout` of ws's own: the chart's connectTimeout bounds the
 * attempt and ends the socket (a second timer per socket cost ~250 B a link, measured).
 * The socket reports to its connection through its own `emit` (a subclass of ws's WebSocket),
 * not through six listeners: six closures and a grown listener dictionary cost ~800 B a link
 * (heap snapshots of 2,000 idle links).
 */
import WebSocket from 'ws';
import { parseRetryAfter } from '../../machines/policy/close-reason.js';
import { constructorFailure } from './constructor-failure.js';
import { takeOwned } from './owned-payload.js';
import { copyPayload, type Incoming } from './payload.js';
import {
  callsHandlersAsMethods,
  closeFrameReason,
  errorReason,
  type Transport,
  type TransportConnection,
  type TransportContext,
  type TransportHandlers,
  type TransportTarget,
} from './transport.js';

const noop = () => {};

/** Prefix of the payload of our pings: `lv` + a 4-byte counter + the 8-byte send time (the
 * context's clock), so a pong tells which ping it answers and when that went out (RFC 6455
 * §5.5.3: a pong echoes its ping's payload): no per-socket record of the pings in flight. */
const PING_TAG = Buffer.from('lv');
const SENT_AT = PING_TAG.length + 4;
const PING_LENGTH = SENT_AT + 8;

/**
 * The Node transport on the `ws` package (the default in Node): HTTP status of a rejected upgrade,
 * protocol pings, `maxPayload` = `maxPayloadBytes`; the chart's `connectTimeoutMs` bounds the upgrade.
 */
export const wsTransport: Transport = {
  name: 'ws',
  inProcess: false,
  protocolPing: true,
  schemes: ['ws:', 'wss:'],
  pausable: true,
  connect: callsHandlersAsMethods(
    (
      target: TransportTarget,
      handlers: TransportHandlers,
      context: TransportContext,
    ): TransportConnection => {
      let ws: LinkSocket;
      try {
        ws = new LinkSocket(target.url, target.protocols, wsOptionsOf(target, context.maxPayloadBytes));
      } catch (error) {
        // ws throws synchronously for a bad URL (a fragment) or protocol list: report, never throw.
        const reason = constructorFailure(error, target, context.redact);
        queueMicrotask(() => handlers.closed(reason));
        return deadConnection;
      }
      const connection = new WsConnection(ws, handlers, context);
      ws.connection = connection;
      return connection;
    },
  ),
};

/**
 * ws's options of one attempt: its wsOptions and `maxPayload` (ours, over wsOptions'), with the
 * headers (wsOptions' and the link's) merged only where there are some (ws copies its own into a
 * new object either way). Literals that keys are added to, not clones of wsOptions with a key
 * added: such a clone gets, once V8 (Node 20) optimises the spread, a hidden class of its own per
 * attempt (every attempt of links with wsOptions: ~1 µs, BENCHMARKS.md round 29 (hidden classes)).
 */
export function wsOptionsOf(target: TransportTarget, maxPayload: number): WebSocket.ClientOptions {
  const options = target.options;
  const headers = options.headers as Record<string, string> | undefined;
  const out: WebSocket.ClientOptions = { maxPayload, ...options };
  // Ours wins over wsOptions' (a key already there: no new hidden class), an own undefined too.
  out.maxPayload = maxPayload;
  if (headers === undefined && !hasKeys(target.headers)) return out;
  out.headers = Object.assign({}, headers, target.headers);
  return out;
}

/** Whether an object has an own enumerable key (no array made for it, as Object.keys would). */
function hasKeys(object: object): boolean {
  for (const key in object) if (Object.hasOwn(object, key)) return true;
  return false;
}

/** ws's WebSocket whose events go straight to its connection (ws emits them on the socket). */
class LinkSocket extends WebSocket {
  /** Set right after construction (ws emits nothing synchronously while constructing). */
  connection: WsConnection | null = null;

  override emit(event: string | symbol, a?: unknown, b?: unknown): boolean {
    const connection = this.connection;
    if (connection === null) return super.emit(event, a, b);
    return connection.onEvent(event, a, b);
  }
}

/** A WsConnection's phases (see `phase`). */
const OPEN = 0;
const REPORTED = 1;
const TERMINATED = 2;
/** Terminated while ws still parses what the paused socket had read (see `terminateReading`). */
const LAST_READ = 3;

/** Who takes what a terminated paused socket hands over late (ReadingHold, ../runtime/reading-hold.ts). */
export interface LateReader {
  lateMessage(data: Incoming): void;
  /** ws's own 'close': nothing more comes. */
  lateEnd(): void;
}

/** One socket's connection: a class, not an object literal of closures (a literal with a getter
 * is a dictionary-mode object in V8: ~600 B a link more, measured with heap snapshots). */
class WsConnection implements TransportConnection {
  /** Counter of our pings (the payload's last 4 bytes). */
  pings = 0;
  /** OPEN, then REPORTED once `closed` was reported (it is reported once), or TERMINATED once
   * terminate() was called (the socket reports nothing more), or LAST_READ until ws's 'close'
   * (`terminateReading`): one field, not flags. */
  private phase = OPEN;
  /** Takes the messages of the LAST_READ phase. */
  private reader: LateReader | null = null;
  /** permessage-deflate was negotiated (at open): ws then reads a binary message later (see send). */
  private deflate = false;

  constructor(
    private readonly ws: LinkSocket,
    private readonly handlers: TransportHandlers,
    private readonly context: TransportContext,
  ) {}

  /** An event ws emitted on the socket; true if handled (ws treats an unhandled
   * `unexpected-response` as a failed upgrade of its own). */
  onEvent(event: string | symbol, a: unknown, b: unknown): boolean {
    if (this.phase >= TERMINATED) return this.onLateEvent(event, a, b);
    switch (event) {
      case 'message':
        this.handlers.message(b ? (a as Incoming) : (a as Buffer).toString());
        return true;
      case 'open': {
        const extensions = this.ws.extensions;
        this.deflate = extensions !== ''; // permessage-deflate: the only extension ws has
        this.handlers.open({ protocol: this.ws.protocol, extensions });
        return true;
      }
      case 'pong': {
        // A pong that answers an OLDER ping of ours (a slow path: it arrived after a newer ping
        // went out) proves nothing about the newer one and, taken for its answer, would understate
        // the round trip: only its own round trip is reported. Any other pong (the latest ping's,
        // an unsolicited one) is passed on.
        const data = a as Buffer;
        if (isOurPing(data) && data.readUInt32BE(PING_TAG.length) !== this.pings) {
          const roundTripMs = this.context.clock.now() - data.readDoubleBE(SENT_AT);
          if (roundTripMs >= 0 && roundTripMs < Number.POSITIVE_INFINITY) this.handlers.pong(roundTripMs);
          return true;
        }
        this.handlers.pong();
        return true;
      }
      case 'unexpected-response': {
        const request = a as { destroy(): void };
        const response = b as {
          statusCode?: number;
          headers: Record<string, string | string[] | undefined>;
          resume(): void;
        };
        const status = response.statusCode ?? 0;
        const header = response.headers['retry-after'];
        const retryAfterMs = parseRetryAfter(Array.isArray(header) ? header[0] : header, Date.now());
        this.finish({
          kind: 'http',
          status,
          message: `upgrade rejected with HTTP ${status}`,
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        });
        response.resume();
        request.destroy();
        return true;
      }
      case 'error':
        this.finish(errorReason(a, this.context.redact));
        return true;
      case 'close': {
        // The redactor is read only for a close reason to scrub (a drop's 1006 has none):
        // the link's is a function made each time it is asked for.
        const text = String(b);
        this.finish(closeFrameReason(a as number, text, text ? this.context.redact : String));
        return true;
      }
      default:
        // ping, upgrade, redirect: nobody listens, as before.
        return false;
    }
  }

  /** An event after terminate(): swallowed (an 'error' among them), but the LAST_READ phase's
   * messages and its end, ws's 'close', go to the reader. */
  private onLateEvent(event: string | symbol, a: unknown, b: unknown): boolean {
    const reader = this.reader;
    if (reader === null || (event !== 'message' && event !== 'close'))
      return event === 'error' || event === 'unexpected-response';
    if (event === 'message') reader.lateMessage(b ? (a as Incoming) : (a as Buffer).toString());
    else {
      this.phase = TERMINATED;
      this.reader = null;
      reader.lateEnd();
    }
    return true;
  }

  private finish(reason: Parameters<TransportHandlers['closed']>[0]): void {
    if (this.phase !== OPEN) return;
    this.phase = REPORTED;
    this.handlers.closed(reason);
  }

  send(data: Parameters<TransportConnection['send']>[0]): boolean {
    if (this.ws.readyState !== WebSocket.OPEN) return false;
    // Compressing, ws reads a binary message on zlib's thread, after send() returned, and queues
    // the next ones behind it as they are: a copy, so the sender may reuse its buffer at once, as
    // a WebSocket's may (uncompressed, ws copies it into the frame itself). A queue's own copy
    // (./owned-payload.ts) is not copied again.
    const copy = this.deflate && typeof data !== 'string' && !takeOwned(data);
    this.ws.send((copy ? copyPayload(data) : data) as Buffer | string);
    return true;
  }

  ping(): boolean {
    if (this.ws.readyState !== WebSocket.OPEN) return false;
    this.pings = (this.pings + 1) >>> 0;
    const payload = Buffer.allocUnsafe(PING_LENGTH);
    PING_TAG.copy(payload, 0);
    payload.writeUInt32BE(this.pings, PING_TAG.length);
    payload.writeDoubleBE(this.context.clock.now(), SENT_AT);
    this.ws.ping(payload);
    return true;
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.close(code, reason);
    else this.ws.terminate();
  }

  /**
   * Terminates the socket of a paused link, or one a listener interrupted mid-read (`midRead`), in
   * ReadingHold.takeLastRead: what Node had read is handed
   * to ws now (see terminate()). True if ws has not handed all of it over yet: it inflates compressed
   * messages on zlib's threads (permessage-deflate, which ws clients offer by default) or defers
   * them a turn (`allowSynchronousEvents: false`). Then `reader` gets each, and `lateEnd()` at ws's
   * own 'close', which ws emits once its parser is done: no network wait, the socket is destroyed.
   */
  terminateReading(reader: LateReader): boolean {
    if (this.phase === OPEN && this.ws.isPaused) readBuffered(this.ws);
    if (this.phase !== OPEN || !parsing(this.ws)) {
      this.terminate();
      return false;
    }
    this.phase = LAST_READ;
    this.reader = reader;
    this.ws.terminate();
    return true;
  }

  /** A listener ends or reconnects the link while ws hands over what it had read (more frames of
   * the same read, or messages it inflates or defers): terminated, the socket would lose the rest
   * (../runtime/link-wire.ts takes it with `terminateReading` then). */
  get midRead(): boolean {
    return this.phase === OPEN && parsing(this.ws);
  }

  terminate(): void {
    if (this.phase === LAST_READ) return;
    // Paused, the socket may hold bytes Node read and ws did not parse: ws would parse them once
    // the socket is gone, too late to tell. Read now, they reach the link while it still listens
    // (kept unread: delivered on resume, or reported dropped).
    if (this.phase === OPEN && this.ws.isPaused) readBuffered(this.ws);
    // Late events (an 'error' among them) are swallowed: onEvent answers them as handled.
    this.phase = TERMINATED;
    this.ws.terminate();
  }

  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  pause(): void {
    this.ws.pause();
  }

  resume(): void {
    this.ws.resume();
  }
}

/** Hands a paused socket's buffered bytes to ws's parser at once: a read in paused mode emits
 * them as `data` (ws's listener writes them to its receiver, which emits their messages). */
function readBuffered(ws: WebSocket): void {
  const socket = (ws as unknown as { _socket?: { readableLength: number; read(): unknown } })._socket;
  if (socket && socket.readableLength > 0) socket.read();
}

/** ws's parser states (ws/lib/receiver.js) that hand a message over later: INFLATING (5), DEFER_EVENT (6). */
const INFLATING = 5;
const DEFER_EVENT = 6;

/** Whether ws's parser has a message still to hand over (a compressed one inflating, a deferred one)
 * or bytes still to parse (the rest of a read, while it hands over one of its messages). */
function parsing(ws: WebSocket): boolean {
  const receiver = (ws as unknown as { _receiver?: { _state: number; _bufferedBytes: number } })._receiver;
  const state = receiver?._state;
  return state === INFLATING || state === DEFER_EVENT || (receiver?._bufferedBytes ?? 0) > 0;
}

function isOurPing(data: Buffer): boolean {
  return data.length === PING_LENGTH && data[0] === PING_TAG[0] && data[1] === PING_TAG[1];
}

const deadConnection: TransportConnection = {
  send: () => false,
  ping: () => false,
  close: noop,
  terminate: noop,
  bufferedAmount: 0,
};
