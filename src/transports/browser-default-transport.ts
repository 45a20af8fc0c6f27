/**
 * Browser stand-in for src/transports/ws-transport.ts: the browser bundle (scripts/build-browser.mjs)
 * resolves every import of the ws transport to this file, so the runtime's default transport is
 * the native WebSocket and no Node module is bundled. It keeps the export name the runtime imports.
 * The global WebSocket is looked up at each connect, so a page may install a polyfill later.
 */
import { createBrowserTransport } from './browser-transport.js';
import { watchPageNetwork } from './page-network-events.js';
import type { Transport } from './transport.js';

export const wsTransport: Transport = {
  name: 'browser',
  inProcess: false,
  protocolPing: false,
  schemes: ['ws:', 'wss:', 'http:', 'https:'],
  watchNetwork: watchPageNetwork,
  connect(target, handlers, context) {
    return createBrowserTransport(globalThis.WebSocket).connect(target, handlers, context);
  },
};
