/**
 * CPU, wall time and peak heap of a `resumable` server's `close()` with `count` connected sessions
 * (BENCHMARKS.md, round 35, server close timer review), for A/B runs of two trees with
 * bench/tree-ab.ts (run with --expose-gc). The clients are another process
 * (bench/server-close-clients.ts of THIS tree, its path the first argument) and answer the close
 * frames. Measured from `close()` until it resolved and every server-side socket closed: the
 * process's CPU, wall time, the peak heap over the heap before (sampled each 2 ms), and the
 * timers still active once both happened (a farewell's, if any).
 *
 *   node --import tsx bench/tree-ab.ts node_modules/.cache/base server-close-cpu.ts --rounds 3 -- \
 *     "$PWD/bench/server-close-clients.ts" 5000
 */
import { spawn } from 'node:child_process';
import { WebSocketServer } from 'ws';
import { resumable } from '../src/server/index.js';
import { heap, requireGc, turn } from './heap.js';

requireGc('server-close-cpu.ts');
const clientsScript = process.argv[2] ?? '';
const count = Number(process.argv[3] ?? 5_000);
const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
await new Promise((resolve) => wss.on('listening', resolve));
const server = resumable(wss);
const port = (wss.address() as { port: number }).port;
const clients = spawn(
  process.execPath,
  ['--import', 'tsx', clientsScript, `ws://127.0.0.1:${port}/`, String(count)],
  {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, NODE_ENV: 'production' },
  },
);
await new Promise<void>((resolve, reject) => {
  clients.on('message', (m: { type: string }) => m.type === 'ready' && resolve());
  clients.on('exit', (code) => reject(new Error(`clients exited (${code})`)));
});
while (server.size !== count) await turn();
const timersBefore = timers();
const before = await heap();
let peak = before;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().heapUsed);
}, 2);
const cpu = process.cpuUsage();
const started = performance.now();
let resolvedMs = 0;
await server.close().then(() => {
  resolvedMs = performance.now() - started;
});
const timersAtResolve = timers() - timersBefore - 1; // the sampler's own
while (wss.clients.size > 0) await new Promise((resolve) => setTimeout(resolve, 1));
const used = process.cpuUsage(cpu);
const closeMs = performance.now() - started;
peak = Math.max(peak, process.memoryUsage().heapUsed);
clearInterval(sampler);
process.send?.({
  type: 'result',
  count,
  closeCpuMs: Math.round((used.user + used.system) / 1000),
  closeMs: Math.round(closeMs),
  resolvedMs: Math.round(resolvedMs),
  peakHeapOverKiB: Math.round((peak - before) / 1024),
  timersAtResolve,
});
process.on('message', (m: { type: string }) => {
  if (m.type !== 'stop') return;
  clients.kill();
  wss.close();
  process.exit(0);
});
