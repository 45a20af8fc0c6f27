/**
 * What both flavours of `linkvisor/ws` export besides the class itself (Node: ws.ts,
 * browser: browser-ws.ts).
 */
/** partysocket's and reconnecting-websocket's names for the same types: changing the import is
 * enough (their `Options` objects type-check as ours). */
export type {
  BinaryTypeName,
  ProtocolsProvider,
  ReconnectingWebSocketEventMap,
  ReconnectingWebSocketEventMap as WebSocketEventMap,
  ReconnectingWebSocketOptions,
  ReconnectingWebSocketOptions as Options,
  UrlProvider,
} from '../dropin/reconnecting-websocket.js';
export type { EventListenerLike, ListenerOptions } from '../dropin/websocket-event-target.js';
export type { CloseEventInit } from '../dropin/ws-events.js';
export { CloseEvent, DroppedEvent, ErrorEvent, FailedEvent, ReconnectingEvent } from '../dropin/ws-events.js';
/** What `send()` takes. Theirs also takes a Blob, which ours refuses (LV_ERR_INVALID_DATA): send
 * `await blob.arrayBuffer()`. */
export type Message = string | ArrayBuffer | ArrayBufferView;
