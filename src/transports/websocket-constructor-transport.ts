/**
 * A transport on any WHATWG-style WebSocket constructor: the browser's, the `ws` package's, or a
 * polyfill (the `WebSocket` option of the drop-in class). No Node import reaches this file.
 *
 * What such a constructor cannot tell: the HTTP status of a rejected upgrade (it looks like close
 * code 1006; with Node's `ws` use the default ws transport to see it), and protocol pings (use
 * `heartbeat.mode: 'app'`). When the error event carries a system error code (the `ws` package
 * does: ECONNREFUSED…), the reason keeps it. Listeners are never removed, only ignored once the
 * attempt is over: a socket that reports an error after it was torn down (ws does, when closed
 * while connecting) always has a listener, so it never becomes an uncaught exception. Binary is
 * the sender's again once send() returned: a WebSocket copies it; `ws`'s class (a subclass, or
 * another copy of the package than linkvisor's) does not when it compresses, so it is copied here
 * then (test/runtime/ws-transport-copies.test.ts). A polyfill that ignores binaryType and gives a
 * Blob: it is read and delivered, the messages and the close after it waiting their turn
 * (test/dropin/blob-polyfill.test.ts). The first `error` of a socket is reported (`handlers.error`):
 * the link ends a socket whose `close` never follows (machines/connection-error-close.ts).
 */
import type { Reason } from '../../machines/policy/close-reason.js';
import { describe } from '../util/describe.js';
import { LinkvisorError, optionError } from '../util/errors.js';
import { ClosureConnection } from './closure-connection.js';
import { constructorFailure } from './constructor-failure.js';
import { takeOwned } from './owned-payload.js';
import { copyPayload, type Incoming } from './payload.js';
import {
  closeFrameReason,
  type Transport,
  type TransportContext,
  type TransportHandlers,
  type TransportTarget,
} from './transport.js';

/** What we use of a WebSocket instance. */
interface SocketLike {
  readonly readyState: number;
  readonly protocol?: string;
  readonly extensions?: string;
  readonly bufferedAmount?: number;
  binaryType: string;
  send(data: unknown): void;
  close(code?: number, reason?: string): void;
  terminate?: () => void;
  addEventListener(type: string, listener: (event: never) => void): void;
}

export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => unknown;

const OPEN = 1;
const CONNECTING = 0;

/** Looks like a WebSocket class: a constructor with the CLOSING constant (as theirs checks). */
export function isWebSocketConstructor(value: unknown): value is WebSocketConstructor {
  return typeof value === 'function' && (value as { CLOSING?: unknown }).CLOSING === 2;
}

/** A message's data as delivered, or a Blob's promised bytes (a polyfill that ignores binaryType
 * 'arraybuffer' gives Blobs: read, then delivered in order); null for anything else. */
function incomingOf(data: unknown): Incoming | Promise<ArrayBuffer> | null {
  if (typeof data === 'string' || data instanceof ArrayBuffer) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const blob = data as { arrayBuffer?: unknown } | null;
  return typeof blob?.arrayBuffer === 'function' ? (blob as Blob).arrayBuffer() : null;
}

/** The reason an error event carries, if it names a system error (ws: ECONNREFUSED…). */
function errorEventReason(event: unknown, redact: (text: string) => string): Reason | null {
  const error = (event as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (!error || typeof error.code !== 'string') return null;
  const message = redact(typeof error.message === 'string' ? error.message : error.code);
  return { kind: 'error', errorCode: error.code, message };
}

export function createConstructorTransport(WebSocketImpl: unknown): Transport {
  if (!isWebSocketConstructor(WebSocketImpl)) {
    throw optionError(
      'WebSocket',
      `must be a WebSocket constructor (a class whose CLOSING is 2), got ${describe(WebSocketImpl)}`,
    );
  }
  const transport: Transport = {
    name: `WebSocket constructor${WebSocketImpl.name ? ` (${WebSocketImpl.name})` : ''}`,
    inProcess: false,
    protocolPing: false,
    schemes: ['ws:', 'wss:', 'http:', 'https:'],
    connect(target: TransportTarget, handlers: TransportHandlers, context: TransportContext) {
      let finished = false;
      let failure: Reason | null = null;
      const finish = (reason: Reason) => {
        if (finished) return;
        finished = true;
        handlers.closed(reason);
      };
      let socket: SocketLike;
      try {
        socket = (
          target.protocols.length > 0
            ? new WebSocketImpl(target.url, target.protocols)
            : new WebSocketImpl(target.url)
        ) as SocketLike;
      } catch (error) {
        const reason = constructorFailure(error, target, context.redact);
        queueMicrotask(() => finish(reason));
        return { send: () => false, ping: () => false, close() {}, terminate() {}, bufferedAmount: 0 };
      }
      socket.binaryType = 'arraybuffer';
      socket.addEventListener('open', () => {
        if (!finished)
          handlers.open({ protocol: socket.protocol ?? '', extensions: socket.extensions ?? '' });
      });
      // While a Blob is read, later messages and the close wait behind it: the order stays.
      let behind: Promise<unknown> | null = null;
      const after = (step: () => unknown) => {
        const next = (behind ?? Promise.resolve()).then(step);
        behind = next;
        void next.then(() => {
          if (behind === next) behind = null;
        });
      };
      socket.addEventListener('message', (event: { data: unknown }) => {
        if (finished) return;
        const data = incomingOf(event.data);
        if (data instanceof Promise)
          after(() =>
            data.then(
              (bytes) => !finished && handlers.message(bytes),
              () => finish({ kind: 'error', message: 'a binary message (a Blob) could not be read' }),
            ),
          );
        else if (data !== null) {
          if (behind) after(() => !finished && handlers.message(data));
          else handlers.message(data);
        }
      });
      let errored = false;
      socket.addEventListener('error', (event: unknown) => {
        failure ??= errorEventReason(event, context.redact);
        // Once a connection: the link waits for the close that must follow (a polyfill may never
        // fire it; the chart's errorCloseGrace then ends the attempt as 1006).
        if (finished || errored) return;
        errored = true;
        handlers.error?.(failure ?? undefined);
      });
      socket.addEventListener('close', (event: { code: number; reason: string }) => {
        const frame = closeFrameReason(event.code, event.reason ?? '', context.redact);
        const end = () => finish(event.code === 1006 && failure ? failure : frame);
        if (behind) after(end);
        else end();
      });
      // ws can drop the socket at once; a browser can only start a close handshake.
      const abort = () => {
        if (typeof socket.terminate === 'function') socket.terminate();
        else socket.close(1000);
      };
      return new ClosureConnection({
        send(data) {
          if (finished || socket.readyState !== OPEN) return false;
          // A WebSocket copies binary at send(). `ws` (a subclass, another copy of it: the one
          // with terminate()) compressing reads it later, as ws-transport.ts says: copied here,
          // unless it is a queue's own copy already (./owned-payload.ts).
          const own = takeOwned(data);
          socket.send(socket.terminate && socket.extensions && !own ? copyPayload(data) : data);
          return true;
        },
        ping: () => false,
        close(code, reason) {
          // Not silenced, unlike terminate(): the close event still reports `closed` (a browser's
          // CLOSING socket can only wait for it; abort() is then a no-op).
          if (socket.readyState === OPEN) socket.close(code, reason);
          else abort();
        },
        terminate() {
          finished = true;
          if (socket.readyState === CONNECTING || socket.readyState === OPEN) abort();
        },
        buffered: () => socket.bufferedAmount ?? 0,
      });
    },
  };
  // It calls its handlers as methods (`handlers.open(info)`), so the runtime may pass its attempt:
  // createBrowserTransport (./browser-transport.ts) marks it so; the drop-in's links connect by
  // connectMethods and need no mark (BENCHMARKS.md round 37 (size)).
  return transport;
}

/**
 * The transport of the drop-in's `WebSocket` option: that constructor (anything else given, null
 * included, is LV_ERR_INVALID_OPTION naming `WebSocket`), or the platform's global `WebSocket`
 * when none is given; throws LV_ERR_UNSUPPORTED when that is missing or no constructor (null, 42).
 */
export function constructorTransportFor(WebSocketImpl: unknown): Transport {
  if (WebSocketImpl !== undefined) return createConstructorTransport(WebSocketImpl);
  const global = (globalThis as { WebSocket?: unknown }).WebSocket;
  if (!isWebSocketConstructor(global)) {
    throw new LinkvisorError('LV_ERR_UNSUPPORTED', 'no WebSocket implementation: pass options.WebSocket', {
      option: 'WebSocket',
    });
  }
  return createConstructorTransport(global);
}
