/**
 * Browser transport: the native `WebSocket`, through the generic WHATWG-constructor transport
 * (src/transports/websocket-constructor-transport.ts, also behind the drop-in class's `WebSocket` option).
 * No Node import reaches this file. Browsers expose no ping frames and no HTTP status of a
 * rejected upgrade (both look like close code 1006), and cannot set headers: use
 * `heartbeat.mode: 'app'` and tokens in the URL or protocols.
 */

import { watchPageNetwork } from './page-network-events.js';
import type { Transport } from './transport.js';
import { createConstructorTransport } from './websocket-constructor-transport.js';

/**
 * A transport on the native `WebSocket` (or any WHATWG-style class): no protocol pings (use
 * `heartbeat.mode: 'app'`), no upgrade headers, and a rejected upgrade looks like close 1006.
 */
export function createBrowserTransport(WebSocketImpl: unknown = globalThis.WebSocket): Transport {
  return { ...createConstructorTransport(WebSocketImpl), name: 'browser', watchNetwork: watchPageNetwork };
}
