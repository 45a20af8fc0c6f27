/**
 * linkvisor/ws in the browser (dist/browser/ws.js): the drop-in `ReconnectingWebSocket` as the
 * default export, on the native WebSocket (or the `WebSocket` option's constructor).
 */
import { ReconnectingWebSocket } from './reconnecting-websocket.js';

export default ReconnectingWebSocket;
export type {
  BinaryTypeName,
  ProtocolsProvider,
  ReconnectingWebSocketEventMap,
  ReconnectingWebSocketOptions,
  UrlProvider,
} from './reconnecting-websocket.js';
export { CloseEvent, ErrorEvent, FailedEvent, ReconnectingEvent } from './ws-events.js';
export { ReconnectingWebSocket };
