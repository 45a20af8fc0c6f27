/**
 * linkvisor/ws (Node): the drop-in `ReconnectingWebSocket` as the default export, as in
 * `import ReconnectingWebSocket from 'reconnecting-websocket'` or `from 'partysocket/ws'`.
 * In Node it needs no `WebSocket` option: without one, or with the `ws` package's class, it uses
 * linkvisor's ws transport, which also reports the HTTP status of a rejected upgrade and sends
 * protocol pings. Any other constructor goes through the generic WHATWG adapter.
 *
 * @packageDocumentation
 */
import WebSocket from 'ws';
import { ReconnectingWebSocket as BaseReconnectingWebSocket } from '../dropin/reconnecting-websocket.js';
import { readingHold } from '../runtime/reading-hold.js';
import type { HoldFactory } from '../runtime/wire-config.js';
import type { Transport } from '../transports/transport.js';
import { wsTransport } from '../transports/ws-transport.js';

/**
 * A drop-in for reconnecting-websocket and partysocket's `ReconnectingWebSocket`, running on the
 * connection chart: the same constructor `(url, protocols, options)`, options and WebSocket
 * surface, with the real close codes and a bounded queue (docs/migration.md). In Node it uses the
 * `ws` transport unless given another `WebSocket` class.
 */
export class ReconnectingWebSocket extends BaseReconnectingWebSocket {
  protected override selectTransport(WebSocketImpl: unknown): Transport {
    if (WebSocketImpl === undefined || WebSocketImpl === WebSocket) return wsTransport;
    return super.selectTransport(WebSocketImpl);
  }

  /** @internal ws sockets can pause: `rws.link.pause()` holds reading (src/runtime/reading-hold.ts). */
  protected override readingHold(): HoldFactory {
    return readingHold;
  }

  /** @internal `rws.link.pause()` is the application's until `resume()` (backpressure): the link
   * reconnect() starts holds reading too (docs/migration.md). Here, not in the browser's base
   * class: only these links can pause. */
  protected override startGeneration(): void {
    const held = this.link?.status().paused === true;
    super.startGeneration();
    if (held) this.link?.pause();
  }
}

export default ReconnectingWebSocket;
export * from './ws-types.js';
