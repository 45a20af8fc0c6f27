/**
 * Browser transport on the native `WebSocket`. No Node import reaches this file. Browsers expose
 * no ping frames and no HTTP status of a rejected upgrade (both look like close code 1006), and
 * cannot set headers: use `heartbeat.mode: 'app'` and tokens in the URL or protocols.
 */
import {
  closeFrameReason,
  type Transport,
  type TransportConnection,
  type TransportContext,
  type TransportHandlers,
  type TransportTarget,
} from './transport.js';

export function createBrowserTransport(WebSocketImpl: typeof WebSocket = globalThis.WebSocket): Transport {
  return {
    name: 'browser',
    inProcess: false,
    protocolPing: false,
    schemes: ['ws:', 'wss:', 'http:', 'https:'],
    connect(target: TransportTarget, handlers: TransportHandlers, context: TransportContext) {
      let finished = false;
      const finish: TransportHandlers['closed'] = (reason) => {
        if (finished) return;
        finished = true;
        handlers.closed(reason);
      };
      let socket: WebSocket;
      try {
        socket = new WebSocketImpl(target.url, target.protocols);
      } catch (error) {
        const message = context.redact(error instanceof Error ? error.message : String(error));
        queueMicrotask(() => finish({ kind: 'error', errorCode: 'ERR_INVALID_URL', message }));
        return { send: () => false, ping: () => false, close() {}, terminate() {}, bufferedAmount: 0 };
      }
      socket.binaryType = 'arraybuffer';
      socket.onopen = () => handlers.open({ protocol: socket.protocol, extensions: socket.extensions });
      socket.onmessage = (event: MessageEvent) => handlers.message(event.data as string | ArrayBuffer);
      // The browser's error event carries no detail; the close event that follows has the code.
      socket.onerror = () => {};
      socket.onclose = (event: CloseEvent) =>
        finish(closeFrameReason(event.code, event.reason, context.redact));
      const detach = () => {
        socket.onopen = null;
        socket.onmessage = null;
        socket.onclose = null;
      };
      const connection: TransportConnection = {
        send(data) {
          if (socket.readyState !== 1) return false;
          socket.send(data as string | ArrayBuffer);
          return true;
        },
        ping: () => false,
        close(code, reason) {
          socket.close(code, reason);
        },
        terminate() {
          finished = true;
          detach();
          // Browsers have no terminate: close with 1000 (the only code a browser may always send).
          if (socket.readyState === 0 || socket.readyState === 1) socket.close(1000);
        },
        get bufferedAmount() {
          return socket.bufferedAmount;
        },
      };
      return connection;
    },
  };
}
