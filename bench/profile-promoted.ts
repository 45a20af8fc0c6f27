/**
 * What the opening promotes that then dies (BENCHMARKS.md round 46 (storm): the first drop paid the
 * old-generation marking the opening made due). Opens `count` links as bench/profile-drop.ts does
 * (one supervisor, no jitter, all at once, against `server.ts hold` in another process) under the
 * sampling heap profiler, then runs two scavenges and a full GC and lists the bytes a link by the
 * allocating function (self, a built-in with its caller) in one of two runs:
 *
 *   node --expose-gc --import tsx bench/compiled.ts --expose-gc profile-promoted.ts 250 live
 *   node --import tsx bench/compiled.ts --expose-gc profile-promoted.ts 250 promoted
 *
 * `live`: what the full GC left (samples of objects any GC collected dropped). `promoted`: those
 * and what a major GC collected (objects that lived through the scavenges, were promoted and then
 * died: the old-generation garbage). The difference of the two, site by site, is what the opening
 * promoted for nothing. `raw`: bare `ws` clients instead. `--top N` (default 30) sites; samples every 64 B.
 */
import { fork } from 'node:child_process';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { createSupervisor } from '../src/index.js';

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  selfSize: number;
  children: SamplingNode[];
}

const args = process.argv.slice(2);
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 30;
const count = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 250);
const promoted = args.includes('promoted');
const gc = (globalThis as { gc?: (o?: { type: string }) => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const here = process.env.LV_BENCH_DIR ?? path.dirname(fileURLToPath(import.meta.url));
const server = fork(path.join(here, 'server.ts'), ['hold'], {
  execArgv: ['--import', 'tsx'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const { port } = await new Promise<{ port: number }>((resolve) =>
  server.on('message', (m: { type: string; port: number }) => m.type === 'listening' && resolve(m)),
);
const session = new Session();
session.connect();
await session.post('HeapProfiler.enable');
await session.post('HeapProfiler.startSampling', {
  samplingInterval: 64,
  includeObjectsCollectedByMajorGC: promoted,
  includeObjectsCollectedByMinorGC: false,
});
const supervisor = createSupervisor({ backoff: { jitter: 'none', initialDelayMs: 5_000 } });
if (args.includes('raw')) {
  // Bare `ws` clients (profile-drop.ts' `raw`): what any ws-based client promotes.
  const sockets = Array.from({ length: count }, () => new WebSocket(`ws://127.0.0.1:${port}/`));
  await Promise.all(sockets.map((socket) => new Promise((resolve) => socket.on('open', resolve))));
  for (const socket of sockets) socket.on('close', () => {});
} else {
  const links = Array.from({ length: count }, () => supervisor.connect(`ws://127.0.0.1:${port}/`));
  await Promise.all(links.map((link) => link.ready()));
  for (const link of links) link.on('lost', () => {});
}
await new Promise((resolve) => setTimeout(resolve, 50));
gc({ type: 'minor' });
gc({ type: 'minor' });
gc();
const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as {
  profile: { head: SamplingNode };
};
session.disconnect();
const bySite = new Map<string, number>();
let total = 0;
const walk = (node: SamplingNode, caller = ''): void => {
  const { functionName, url, lineNumber, columnNumber } = node.callFrame;
  const own = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(compiled-bench|node_modules|src|machines)\//, '$1/')}:${lineNumber + 1}:${columnNumber + 1}`;
  const where = url === '' ? `${functionName} in ${caller}` : own;
  total += node.selfSize;
  bySite.set(where, (bySite.get(where) ?? 0) + node.selfSize);
  for (const child of node.children) walk(child, url === '' ? caller : own);
};
walk(profile.head);
console.log(`${promoted ? 'live and promoted garbage' : 'live'}: ${(total / count).toFixed(0)} B a link`);
for (const [where, bytes] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`${(bytes / count).toFixed(0).padStart(7)} B a link  ${where}`);
}
await supervisor.terminate();
server.kill();
