/**
 * What a real `ws` test server received, each binary message as `length:first,last` — enough to
 * tell a payload that arrived as it was sent from one copied after it changed (the copy tests:
 * test/runtime/link-queue-copies, test/runtime/ws-transport-copies).
 */
import type { WebSocket } from 'ws';
import type { WsTestServer } from './servers.js';

/** Starts recording `server`'s messages; the returned list fills as they arrive. */
export function receivedShapes(server: WsTestServer): string[] {
  const got: string[] = [];
  server.wss.on('connection', (ws: WebSocket) =>
    ws.on('message', (data: Buffer) => got.push(`${data.length}:${data[0]},${data[data.length - 1]}`)),
  );
  return got;
}
