/**
 * linkvisor/ws in the browser (dist/browser/ws.js): the drop-in `ReconnectingWebSocket` as the
 * default export, on the native WebSocket (or the `WebSocket` option's constructor).
 */
import { ReconnectingWebSocket } from '../dropin/reconnecting-websocket.js';

export default ReconnectingWebSocket;
export * from './ws-types.js';
export { ReconnectingWebSocket };
