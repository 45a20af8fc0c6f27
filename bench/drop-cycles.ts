/**
 * The same links dropped again and again: `count` linkvisor links on `ws` against the bench server
 * in another process (`server.ts hold`), the server restarted `drops` times; after each drop the
 * links reconnect (5 s backoff, no jitter) and the next drop starts once all are ready. Per drop: the
 * client CPU (all threads: V8's compiler threads count), the wall time to the last `lost`, the heap
 * after full GC once all are back, and counts of what a cycle could leave behind (actor observers and
 * event listeners, the shard systems' scheduled timers). A per-link cost or count
 * that grows with the drop's number is something a cycle leaves behind; one that is high on the
 * second drop and falls after is V8 (re)compiling code warmed by the first cycle.
 *
 *   NODE_ENV=production node --expose-gc --import tsx bench/drop-cycles.ts [count=250] [drops=5] [--prof-dir DIR] [--snap-dir DIR]
 *
 * `--prof-dir DIR`: each drop's CPU profile written to DIR/drop-<n>.cpuprofile (bench/profile-by-package.ts).
 * `--snap-dir DIR`: a heap snapshot once all are back after each drop, DIR/back-<n>.heapsnapshot
 * (bench/snapshot-diff.ts: what grew between two).
 */
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeHeapSnapshot } from 'node:v8';
import { createSupervisor, type Link } from '../src/index.js';

const args = process.argv.slice(2);
const profAt = args.indexOf('--prof-dir');
const profDir = profAt >= 0 ? args.splice(profAt, 2)[1] : null;
const snapAt = args.indexOf('--snap-dir');
const snapDir = snapAt >= 0 ? args.splice(snapAt, 2)[1] : null;
const [countArg = '250', dropsArg = '5'] = args;
const count = Number(countArg);
const drops = Number(dropsArg);
const here = path.dirname(fileURLToPath(import.meta.url));
const gc = (globalThis as { gc?: () => void }).gc;

const server = fork(path.join(here, 'server.ts'), ['hold'], {
  execArgv: ['--import', 'tsx'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const { port } = await new Promise<{ port: number }>((resolve) =>
  server.on('message', (m: { type: string; port: number }) => m.type === 'listening' && resolve(m)),
);

const supervisor = createSupervisor({ backoff: { jitter: 'none', initialDelayMs: 5_000 } });
const links: Link[] = Array.from({ length: count }, () => supervisor.connect(`ws://127.0.0.1:${port}/`));
await Promise.all(links.map((link) => link.ready()));
let noticed = 0;
let last = 0;
let done = () => {};
for (const link of links) {
  link.on('lost', () => {
    last = performance.now();
    if (++noticed === count) done();
  });
}

interface ActorInternals {
  observers: Set<unknown>;
  eventListeners: Map<string, Set<unknown>>;
  system: { scheduler: unknown; _snapshot?: unknown } & Record<string, unknown>;
}
/** What a cycle could leave behind, summed over the links (XState internals, read loosely). */
function counts(): Record<string, number> {
  let observers = 0;
  let listeners = 0;
  const systems = new Set<ActorInternals['system']>();
  for (const link of links) {
    const actor = link.actor as unknown as ActorInternals;
    observers += actor.observers.size;
    for (const set of actor.eventListeners.values()) listeners += set.size;
    systems.add(actor.system);
  }
  let scheduled = 0;
  for (const system of systems) {
    const snapshot = (system as { getSnapshot?: () => { _scheduledEvents: object } }).getSnapshot?.();
    scheduled += snapshot ? Object.keys(snapshot._scheduledEvents).length : 0;
  }
  return { observers, listeners, systems: systems.size, scheduled };
}

async function heapAfterGc(): Promise<number> {
  for (let i = 0; i < 3; i++) gc?.();
  await new Promise((resolve) => setImmediate(resolve));
  gc?.();
  return process.memoryUsage().heapUsed;
}

if (profDir) mkdirSync(profDir, { recursive: true });
if (snapDir) mkdirSync(snapDir, { recursive: true });
const session = new Session();
if (profDir) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
}
console.log(
  `before: heap ${((await heapAfterGc()) / count / 1024).toFixed(2)} KB a link, ${JSON.stringify(counts())}`,
);
for (let drop = 1; drop <= drops; drop++) {
  noticed = 0;
  const all = new Promise<void>((resolve) => {
    done = resolve;
  });
  if (profDir) await session.post('Profiler.start');
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  server.send({ type: 'restart', downMs: 1_000 });
  await all;
  const cpu = process.cpuUsage(cpuStart);
  if (profDir) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(path.join(profDir, `drop-${drop}.cpuprofile`), JSON.stringify(profile));
  }
  await Promise.all(links.map((link) => link.ready()));
  const heap = await heapAfterGc();
  console.log(
    `${snapDir ? `${writeHeapSnapshot(path.join(snapDir, `back-${drop}.heapsnapshot`))} ` : ''}drop ${drop}: last lost after ${(last - start).toFixed(0)} ms; client CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms; back: heap ${(heap / count / 1024).toFixed(2)} KB a link, ${JSON.stringify(counts())}`,
  );
}
if (profDir) session.disconnect();
await supervisor.terminate();
server.kill();
