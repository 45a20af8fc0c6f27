/**
 * The server side of bench/session-heap.ts (run with --expose-gc): a `resumable` server on
 * 127.0.0.1 with `maxSessions` (argv[2], `Infinity`: no cap), every session sent one binary message of
 * `payloadBytes` (argv[3]) that its client never acknowledges. Its heap over the baseline taken
 * before any session, once the expected number of sessions wait for their (dropped) clients,
 * and its ArrayBuffers' (off the heap: the binary payloads) over theirs. With
 * SESSION_HEAP_SNAPSHOT=file it also writes a heap snapshot there.
 *   → { type: 'ready', port }; ← { type: 'measure', away }; → { type: 'result', … }
 */
import { writeHeapSnapshot } from 'node:v8';
import { WebSocketServer } from 'ws';
import { resumable } from '../src/server/index.js';
import { heap, requireGc } from './heap.js';

requireGc('session-heap-server.ts');
const maxSessions = Number(process.argv[2] ?? 'Infinity');
// Binary: the session keeps a copy of each (a string would be one shared by every session).
const payloadBytes = Number(process.argv[3] ?? 0);

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
await new Promise((resolve) => wss.on('listening', resolve));
const server = resumable(wss, { maxSessions });
server.on('session', (session) => {
  if (payloadBytes > 0) session.send(new Uint8Array(payloadBytes));
});
const baseline = await heap();
const baselineBuffers = process.memoryUsage().arrayBuffers;
process.send?.({ type: 'ready', port: (wss.address() as { port: number }).port });

process.on('message', async (message: { type: string; away?: number }) => {
  if (message.type === 'measure') {
    const deadline = Date.now() + 60_000;
    while (server.status().away !== message.away || wss.clients.size > 0) {
      if (Date.now() > deadline) throw new Error(`session heap: ${JSON.stringify(server.status())}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const used = await heap();
    const buffersOverBaselineBytes = process.memoryUsage().arrayBuffers - baselineBuffers;
    if (process.env.SESSION_HEAP_SNAPSHOT) writeHeapSnapshot(process.env.SESSION_HEAP_SNAPSHOT);
    process.send?.({
      type: 'result',
      heapOverBaselineBytes: used - baseline,
      buffersOverBaselineBytes,
      status: server.status(),
    });
  } else if (message.type === 'stop') {
    await server.close();
    wss.close();
    if (process.connected) process.disconnect();
  }
});
