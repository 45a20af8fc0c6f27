/**
 * What a socket a `resumable` server closes costs while its peer has not answered the close frame
 * (BENCHMARKS.md, round 35, farewell): the farewell chart's actor (src/server/close-socket.ts now)
 * against the plain system-clock timer it replaced (the base's closeSocket, copied here), N
 * sockets at once, in one process, rounds alternating A, B, A, B, then A, A (the noise). The socket
 * is a stand-in (an EventEmitter with ws's readyState, close and terminate): what is measured is
 * the server's own bookkeeping per closing socket, not ws's.
 *
 *   node --expose-gc --import tsx bench/farewell-heap.ts [sockets=5000] [pairs=3]
 */
import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { SERVER_CLOSE_TIMEOUT_MS } from '../machines/policy/resume.js';
import { closeSocket } from '../src/server/close-socket.js';
import { heap, requireGc } from './heap.js';

requireGc('farewell-heap.ts');
const N = Number(process.argv[2] ?? 5_000);
const PAIRS = Number(process.argv[3] ?? 3);

/** ws's side of a socket, as closeSocket uses it. */
class FakeSocket extends EventEmitter {
  readyState = 1;
  close(): void {
    this.readyState = 2;
  }
  terminate(): void {
    this.readyState = 3;
    this.emit('close', 1006);
  }
  answer(): void {
    this.readyState = 3;
    this.emit('close', 1000);
  }
}

/** The base's closeSocket (4d07f8d): a plain timer per socket, cleared as it closes. */
function closeSocketWithTimer(ws: FakeSocket): void {
  const wasOpen = ws.readyState < 2;
  ws.close();
  if (!wasOpen || ws.readyState !== 2) return;
  const timer = setTimeout(() => ws.terminate(), SERVER_CLOSE_TIMEOUT_MS);
  ws.once('close', () => clearTimeout(timer));
}

const variants = {
  timer: (ws: FakeSocket) => closeSocketWithTimer(ws),
  chart: (ws: FakeSocket) => closeSocket(ws as unknown as WebSocket, 1001, 'server closing'),
};

async function round(name: keyof typeof variants): Promise<{ bytesPerSocket: number; usPerClose: number }> {
  const sockets = Array.from({ length: N }, () => new FakeSocket());
  const before = await heap();
  const started = performance.now();
  for (const ws of sockets) variants[name](ws);
  const usPerClose = ((performance.now() - started) * 1000) / N;
  const during = await heap();
  for (const ws of sockets) ws.answer();
  return { bytesPerSocket: Math.round((during - before) / N), usPerClose: +usPerClose.toFixed(2) };
}

// Warm-up of both (code compiled, the chart's module state made) before anything counts.
await round('timer');
await round('chart');
const order: (keyof typeof variants)[] = [];
for (let i = 0; i < PAIRS; i++) order.push('timer', 'chart');
order.push('timer', 'timer');
for (const name of order) console.log(JSON.stringify({ variant: name, sockets: N, ...(await round(name)) }));
