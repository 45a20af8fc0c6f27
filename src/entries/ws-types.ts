/**
 * What both flavours of `linkvisor/ws` export besides the class itself (Node: ws.ts,
 * browser: browser-ws.ts).
 */
export type {
  BinaryTypeName,
  ProtocolsProvider,
  ReconnectingWebSocketEventMap,
  ReconnectingWebSocketOptions,
  UrlProvider,
} from '../dropin/reconnecting-websocket.js';
export { CloseEvent, DroppedEvent, ErrorEvent, FailedEvent, ReconnectingEvent } from '../dropin/ws-events.js';
