/**
 * Profiles opening links on `ws`: `count` links (at most 200 opening at once, as `lean.ts`) of one
 * contender (`linkvisor` or raw `ws`) against the bench server in another process (`server.ts
 * hold`), after 500 warm-up links. Prints the client CPU per link opened and, for linkvisor, the
 * CPU profile split by the step of a link's life the time went to (its start, its ready step, the
 * socket actor's steps, the transport, Node's and ws's own callbacks, garbage collection).
 * With `alloc` instead of the profile flag: the bytes allocated per link opened, from the sampling
 * heap profiler with the objects minor and major GCs collected included (so garbage counts), split
 * by the same parts and by the allocating function (the 25 largest). The CPU profile is also listed
 * by function (self time, the 25 largest), to set beside the same listing of raw `ws`'s run.
 *
 * Run compiled, as an application ships it (the tsx loader's keepNames changes the figures):
 *
 *   npx esbuild bench/profile-open.ts --bundle --platform=node --format=esm --packages=external \
 *     --outfile=node_modules/.cache/profile-open.mjs
 *   NODE_ENV=production node node_modules/.cache/profile-open.mjs [linkvisor|ws] [count=5000] [profile=1|0|alloc]
 *
 * With LV_PROFILE_FILE=<path>, the profile of the measured opens is also written there (profile=1:
 * a .cpuprofile, alloc: a .heapprofile; Chrome's DevTools or a script reads it by function and caller).
 */
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { createSupervisor } from '../src/index.js';

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

const [contender = 'linkvisor', countArg = '5000', profileArg = '1'] = process.argv.slice(2);
const count = Number(countArg);
const WINDOW = 200;
const here = path.dirname(fileURLToPath(import.meta.url));
// The bench directory (compiled, this file runs from node_modules/.cache).
const benchDir = here.includes('node_modules')
  ? path.join(here.split('node_modules')[0] ?? '', 'bench')
  : here;
const server = fork(path.join(benchDir, 'server.ts'), ['hold'], {
  execArgv: ['--import', 'tsx'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const { port } = await new Promise<{ port: number }>((resolve) =>
  server.on('message', (m: { type: string; port: number }) => m.type === 'listening' && resolve(m)),
);
const url = `ws://127.0.0.1:${port}/`;
const supervisor = contender === 'linkvisor' ? createSupervisor() : null;
const sockets: WebSocket[] = [];

function open(): Promise<unknown> {
  if (supervisor) return supervisor.connect(url).ready();
  const ws = new WebSocket(url);
  sockets.push(ws);
  ws.on('error', () => {});
  return new Promise<void>((resolve) => ws.once('open', () => resolve()));
}

/** Opens `n`, at most WINDOW at once. */
async function openAll(n: number): Promise<void> {
  let pending = 0;
  let opened = 0;
  let wake: (() => void) | null = null;
  const done = () => {
    pending--;
    opened++;
    const w = wake;
    wake = null;
    w?.();
  };
  for (let i = 0; i < n; i++) {
    while (pending >= WINDOW) await new Promise<void>((resolve) => (wake = resolve));
    pending++;
    open().then(done);
  }
  while (opened < n) await new Promise<void>((resolve) => (wake = resolve));
}

await openAll(500);
const alloc = profileArg === 'alloc';
const session = profileArg === '0' ? null : new Session();
if (session && alloc) {
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 512,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
} else if (session) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 50 });
  await session.post('Profiler.start');
}
const cpuStart = process.cpuUsage();
const start = performance.now();
await openAll(count);
const cpu = process.cpuUsage(cpuStart);
console.log(
  `${contender}: ${count} opened in ${(performance.now() - start).toFixed(0)} ms, client CPU ${((cpu.user + cpu.system) / count).toFixed(1)} µs a link${session ? ' (profiled)' : ''}`,
);

/** The step of a link's life a stack (innermost frame first) belongs to. */
function partOf(stack: { functionName: string; url: string }[]): string {
  const top = stack[0] as { functionName: string; url: string };
  const has = (name: string) => stack.some((f) => f.functionName === name && ours(f.url));
  const own = ours(top.url);
  return top.functionName === '(idle)'
    ? 'idle'
    : top.functionName === '(garbage collector)'
      ? 'garbage collector'
      : has('openTransport')
        ? 'transport connect (ws, net, http) in the link start'
        : has('startLinks')
          ? own
            ? 'link start: runtime'
            : 'link start: XState (actor, initial macrostep, timers)'
          : has('report') && stack.filter((f) => f.functionName === '_process').length > 1
            ? 'socket actor step for the link report'
            : has('report')
              ? own
                ? 'open → ready: runtime'
                : 'open → ready: XState (the link macrostep)'
              : has('tell')
                ? 'socket actor step for peer.add'
                : own
                  ? 'other runtime'
                  : top.url.includes('xstate')
                    ? 'other XState'
                    : "Node's and ws's callbacks (as raw ws)";
}

/** Our sources (a report's step of the socket actor runs inside the link's step: XState relays at once). */
function ours(url: string): boolean {
  return url.includes('/src/') || url.includes('/bench/') || url.includes('.cache/');
}

if (session && alloc) {
  const { profile } = await session.post('HeapProfiler.stopSampling');
  session.disconnect();
  if (process.env.LV_PROFILE_FILE) writeFileSync(process.env.LV_PROFILE_FILE, JSON.stringify(profile));
  const byPart = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const byEntry = new Map<string, number>();
  let total = 0;
  const walk = (node: HeapNode, stack: HeapNode['callFrame'][]) => {
    const frames = [node.callFrame, ...stack];
    if (node.selfSize > 0) {
      total += node.selfSize;
      const part = partOf(frames);
      byPart.set(part, (byPart.get(part) ?? 0) + node.selfSize);
      const { functionName, url, lineNumber } = node.callFrame;
      const where = `${functionName || '(anonymous)'} ${path.basename(url)}:${lineNumber + 1}`;
      byFunction.set(where, (byFunction.get(where) ?? 0) + node.selfSize);
      const caller = frames.find((f) => f.url !== '');
      if (caller?.url.includes('xstate')) {
        // XState's allocations by the runtime function that called into it (the step's cause).
        const entry = frames.find((f) => ours(f.url));
        const name = entry
          ? `${entry.functionName || '(anonymous)'} ${path.basename(entry.url)}:${entry.lineNumber + 1}`
          : '(none)';
        byEntry.set(name, (byEntry.get(name) ?? 0) + node.selfSize);
      }
    }
    for (const child of node.children) walk(child, frames);
  };
  walk(profile.head as HeapNode, []);
  console.log(
    `  allocated ${(total / count).toFixed(0)} B a link opened (sampled every 512 B, garbage included)`,
  );
  for (const [part, bytes] of [...byPart].sort((a, b) => b[1] - a[1])) {
    console.log(
      `  ${part.padEnd(56)} ${(bytes / count).toFixed(0).padStart(7)} B ${((100 * bytes) / total).toFixed(1).padStart(5)} %`,
    );
  }
  console.log("  XState's, by the runtime function that called into it:");
  for (const [where, bytes] of [...byEntry].sort((a, b) => b[1] - a[1]).slice(0, 12)) {
    console.log(`    ${where.padEnd(60)} ${(bytes / count).toFixed(0).padStart(7)} B`);
  }
  console.log('  by allocating function:');
  for (const [where, bytes] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
    console.log(`    ${where.padEnd(60)} ${(bytes / count).toFixed(0).padStart(7)} B`);
  }
} else if (session) {
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  // The measured opens' profile as a file (for a look by function or by caller), if asked for.
  if (process.env.LV_PROFILE_FILE) writeFileSync(process.env.LV_PROFILE_FILE, JSON.stringify(profile));
  const nodes = new Map<number, ProfileNode>(profile.nodes.map((n) => [n.id, n as ProfileNode]));
  const parent = new Map<number, number>();
  for (const node of nodes.values()) for (const child of node.children ?? []) parent.set(child, node.id);
  const byPart = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let total = 0;
  for (let i = 0; i < samples.length; i++) {
    const stack: ProfileNode['callFrame'][] = [];
    for (let id: number | undefined = samples[i]; id !== undefined; id = parent.get(id)) {
      stack.push((nodes.get(id) as ProfileNode).callFrame);
    }
    const part = partOf(stack);
    const us = deltas[i] ?? 0;
    total += us;
    byPart.set(part, (byPart.get(part) ?? 0) + us);
    const { functionName, url, lineNumber } = stack[0] as ProfileNode['callFrame'];
    const where = `${functionName || '(anonymous)'} ${path.basename(url)}:${lineNumber + 1}`;
    byFunction.set(where, (byFunction.get(where) ?? 0) + us);
  }
  for (const [part, us] of [...byPart].sort((a, b) => b[1] - a[1])) {
    console.log(
      `  ${part.padEnd(56)} ${(us / 1000).toFixed(0).padStart(5)} ms ${((100 * us) / total).toFixed(1).padStart(5)} %`,
    );
  }
  // Self time by function (and file: `profile-open.mjs` is the runtime, compiled into this script),
  // to set beside raw `ws`'s own run of this script.
  console.log('  by function (self time):');
  for (const [where, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
    console.log(`    ${where.padEnd(60)} ${(us / count).toFixed(1).padStart(7)} µs a link`);
  }
}
if (supervisor) await supervisor.terminate();
for (const ws of sockets) ws.terminate();
server.kill();
