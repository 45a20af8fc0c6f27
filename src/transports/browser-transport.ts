/**
 * Browser transport: the native `WebSocket`, through the generic WHATWG-constructor transport
 * (src/transports/websocket-constructor-transport.ts, also behind the drop-in class's `WebSocket` option).
 * No Node import reaches this file. Browsers expose no ping frames and no HTTP status of a
 * rejected upgrade (both look like close code 1006), and cannot set headers: use
 * `heartbeat.mode: 'app'` and tokens in the URL or protocols.
 */

import { watchPageNetwork } from './page-network-events.js';
import { callsHandlersAsMethods, type Transport } from './transport.js';
import { constructorTransportFor } from './websocket-constructor-transport.js';

/**
 * A transport on the native `WebSocket` (or any WHATWG-style class): no protocol pings (use
 * `heartbeat.mode: 'app'`), no upgrade headers, and a rejected upgrade looks like close 1006.
 * Throws LV_ERR_INVALID_OPTION (option `WebSocket`) for an argument that is no WebSocket class,
 * and LV_ERR_UNSUPPORTED without one when the global `WebSocket` is missing or no class.
 */
export function createBrowserTransport(WebSocketImpl?: unknown): Transport {
  const transport = constructorTransportFor(WebSocketImpl);
  // The constructor transport calls its handlers as methods: a supervisor's links pass their attempt.
  callsHandlersAsMethods(transport.connect);
  return { ...transport, name: 'browser', watchNetwork: watchPageNetwork };
}
