/**
 * Browser stand-in for src/transports/ws-transport.ts: the browser bundle (scripts/build-browser.mjs)
 * resolves every import of the ws transport to this file, so the runtime's default transport is
 * the native WebSocket and no Node module is bundled. It keeps the export name the runtime imports.
 * The global WebSocket is looked up at each connect, so a page may install a polyfill later; while
 * there is none (a worker or runtime without one), or it is no constructor (`null`, `42`), each
 * attempt fails with LV_ERR_UNSUPPORTED saying so, and the link retries (it said
 * LV_ERR_INVALID_OPTION naming a `WebSocket` option that the application never had).
 */
import { LinkvisorError } from '../util/errors.js';
import { createBrowserTransport } from './browser-transport.js';
import { watchPageNetwork } from './page-network-events.js';
import { callsHandlersAsMethods, type Transport } from './transport.js';
import { isWebSocketConstructor } from './websocket-constructor-transport.js';

export const wsTransport: Transport = {
  name: 'browser',
  inProcess: false,
  protocolPing: false,
  schemes: ['ws:', 'wss:', 'http:', 'https:'],
  watchNetwork: watchPageNetwork,
  connect(target, handlers, context) {
    const WebSocketImpl = (globalThis as { WebSocket?: unknown }).WebSocket;
    // Missing, or replaced by something else (`globalThis.WebSocket = null`): not an option.
    if (!isWebSocketConstructor(WebSocketImpl))
      throw new LinkvisorError('LV_ERR_UNSUPPORTED', 'no global WebSocket');
    return createBrowserTransport(WebSocketImpl).connect(target, handlers, context);
  },
};
// It hands its handlers and context on to createBrowserTransport()'s, which calls them as methods:
// a supervisor's link passes its attempt (test/integration/browser-transport-attempt-handlers.test.ts).
callsHandlersAsMethods(wsTransport.connect);
