/**
 * The clients of bench/server-close-cpu.ts, in their own process (their CPU is not the server's):
 * `count` raw `ws` sockets to `url`, each a fresh resumable session (hello, then its welcome), 200
 * opening at a time; IPC `ready` once all have their welcome. Each answers the server's close frame
 * (ws's default); the process exits when every socket has closed, or on `stop`.
 *
 *   node --import tsx bench/server-close-clients.ts <url> [count=5000]
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { encodeHello, PROTOCOL_VERSION } from '../src/resume/frames.js';

const url = process.argv[2] ?? '';
const count = Number(process.argv[3] ?? 5_000);
let open = 0;

const session = () =>
  new Promise<void>((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.once('open', () => {
      open++;
      ws.send(
        encodeHello({ version: PROTOCOL_VERSION, sessionId: '', lastReceived: 0, newId: randomUUID() }),
      );
    });
    ws.once('message', () => resolve());
    ws.once('error', reject);
    ws.once('close', () => {
      if (--open === 0) process.exit(0);
    });
  });

for (let at = 0; at < count; at += 200) {
  await Promise.all(Array.from({ length: Math.min(200, count - at) }, session));
}
process.send?.({ type: 'ready' });
process.on('message', (message: { type: string }) => message.type === 'stop' && process.exit(0));
