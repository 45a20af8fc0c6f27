/**
 * A resumable server on `store` (a real ws server on 127.0.0.1, port 0) and a raw client that
 * sent it a hello for `sessionId` asking for `newId`: the setup of the store-error secret tests.
 * The server's `error` events are collected in `errors`; both ends are closed by the harness.
 */
import { WebSocket } from 'ws';
import { encodeHello, PROTOCOL_VERSION } from '../../src/resume/frames.js';
import { resumable, type SessionStore } from '../../src/server/index.js';
import type { LinkvisorError } from '../../src/util/errors.js';
import type { Harness } from '../helpers/harness.js';

export async function helloTo(h: Harness, store: SessionStore, sessionId: string, newId: string) {
  const server = await h.wsServer();
  const rs = resumable(server.wss, { store });
  h.defer(() => rs.close());
  const errors: LinkvisorError[] = [];
  rs.on('error', (error) => errors.push(error));
  const ws = new WebSocket(server.url);
  h.defer(() => ws.terminate());
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  ws.send(encodeHello({ version: PROTOCOL_VERSION, sessionId, lastReceived: 0, newId }));
  return { rs, errors, ws };
}
