/**
 * What both flavours of `linkvisor/ws` export besides the class itself (Node: ws-entry.ts,
 * browser: browser-ws-entry.ts).
 */
export type {
  BinaryTypeName,
  ProtocolsProvider,
  ReconnectingWebSocketEventMap,
  ReconnectingWebSocketOptions,
  UrlProvider,
} from './reconnecting-websocket.js';
export { CloseEvent, DroppedEvent, ErrorEvent, FailedEvent, ReconnectingEvent } from './ws-events.js';
