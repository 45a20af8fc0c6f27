/**
 * Profiles a mass drop: `count` linkvisor links on `ws` against the bench server in another
 * process (`server.ts hold`), the server restarts, and the time until the last link's `lost` is
 * printed with the CPU profile of the drop summarised by where the time went (XState, Node, ws,
 * linkvisor's own files). Run with the production build of xstate:
 *
 *   NODE_ENV=production node --import tsx bench/profile-drop.ts [count=1000] [raw] [--warm N] [--no-profile] [--parts] [--mark] [--top N] [--again] [--alloc N] [--functions N]
 *
 * The measured drop is the process's first (its code paths cold) unless `--warm N` drops N links
 * of another server first. `raw`: the same drop with bare `ws` clients (time until the last
 * `close`), the floor every `ws`-based client pays. `--no-profile`: no profiler (its sampling adds
 * to the CPU and wall time of the drop). `--parts` (linkvisor only): the wall time the drop spends in
 * each link's step (from its transport's report of the close to the end of its observers), in the
 * socket chart's steps inside them (`link.unready`) and in the links' observers (which emit `lost`),
 * and how many event-loop turns the drop took (a turn that handles many closes could fold work; a
 * turn a close cannot). Wall time, so a busy machine's preemption lands in it too. `--mark`: prints
 * a line as the drop starts and one as it ends, so V8's `--trace-deopt` output can be split into the opening's and the drop's.
 * `--again` (linkvisor only): the measured drop is the links' second: they are dropped once unmeasured,
 * reconnect (after the 5 s backoff) and are dropped again (what a first drop costs beyond a later one).
 * `--alloc N`: heap sampling (every 256 B, collected objects included) instead of the CPU profile: the
 * bytes allocated in the drop per link and the N functions that allocated most (self).
 * With LV_PROFILE_FILE=<path>, the drop's CPU profile is also written there (bench/profile-by-package.ts).
 * `--top N`: also the N functions with the most self time in the drop's profile (file:line, part).
 * `--threads` (Linux): the drop's CPU split by thread (/proc/self/task/<tid>/schedstat, ns): the main
 * thread (JavaScript, the scavenger, a GC's main-thread part) and the others together (V8's workers:
 * optimizing compiles, concurrent marking and sweeping; libuv's pool) — `client CPU` is their sum.
 */
import { fork } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { createSupervisor } from '../src/index.js';
import { Attempt } from '../src/runtime/attempt.js';
import { Link } from '../src/runtime/link.js';
import { DropFunctions } from './drop-functions.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}

const args = process.argv.slice(2);
const warmAt = args.indexOf('--warm');
const warm = warmAt >= 0 ? Number(args.splice(warmAt, 2)[1]) : 0;
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 0;
const allocAt = args.indexOf('--alloc');
const alloc = allocAt >= 0 ? Number(args.splice(allocAt, 2)[1]) : 0;
const functionsAt = args.indexOf('--functions');
const functions = functionsAt >= 0 ? Number(args.splice(functionsAt, 2)[1]) : 0;
const count = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 1000);
const raw = args.includes('raw');
const profiled = !args.includes('--no-profile') && alloc === 0 && functions === 0;
const parts = args.includes('--parts') && !raw;
const mark = args.includes('--mark');
const again = args.includes('--again') && !raw;
const threads = args.includes('--threads');
// Compiled elsewhere (bench/compiled.ts), the script is told where the bench folder is.
const here = process.env.LV_BENCH_DIR ?? path.dirname(fileURLToPath(import.meta.url));

type Server = ReturnType<typeof fork>;
async function startServer(): Promise<{ server: Server; port: number }> {
  const server = fork(path.join(here, 'server.ts'), ['hold'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { port } = await new Promise<{ port: number }>((resolve) =>
    server.on('message', (m: { type: string; port: number }) => m.type === 'listening' && resolve(m)),
  );
  return { server, port };
}

// No retry within the measurement: the drop alone is measured, not early attempts competing with it.
const supervisor = createSupervisor({ backoff: { jitter: 'none', initialDelayMs: 5_000 } });

/** The links of the last `openClients` (linkvisor only). */
let opened: Link[] = [];

/** `n` clients of `port`, open; `onDrop` is called once per client when it notices the drop. */
async function openClients(n: number, port: number, onDrop: () => void): Promise<void> {
  const url = `ws://127.0.0.1:${port}/`;
  if (raw) {
    const sockets = Array.from({ length: n }, () => new WebSocket(url));
    await Promise.all(
      sockets.map(
        (socket) =>
          new Promise((resolve) => {
            socket.on('error', () => {});
            socket.on('open', resolve);
            socket.on('close', onDrop);
          }),
      ),
    );
    return;
  }
  const links = Array.from({ length: n }, () => supervisor.connect(url));
  opened = links;
  await Promise.all(links.map((link) => link.ready()));
  for (const link of links) link.on('lost', onDrop);
}

/** Opens `n` clients, restarts their server, resolves when every one has noticed. */
async function dropOf(
  n: number,
): Promise<{ start: number; last: number; done: Promise<void>; server: Server; rearm(): void }> {
  const { server, port } = await startServer();
  let noticed = 0;
  let resolveDone = () => {};
  const result = {
    start: 0,
    last: 0,
    done: Promise.resolve(),
    server,
    rearm() {
      noticed = 0;
      result.done = new Promise<void>((resolve) => {
        resolveDone = resolve;
      });
    },
  };
  result.rearm();
  await openClients(n, port, () => {
    result.last = performance.now();
    if (++noticed === n) resolveDone();
  });
  return result;
}

// `--functions N`: V8's call counts from here on (the opening's), then the drop's (./drop-functions.ts).
const calls = functions > 0 ? await DropFunctions.start() : null;

if (warm > 0) {
  const warmUp = await dropOf(warm);
  warmUp.server.send({ type: 'restart', downMs: 60_000 });
  await warmUp.done;
  warmUp.server.kill();
}
const drop = await dropOf(count);
const server = drop.server;
if (again) {
  server.send({ type: 'restart', downMs: 1_000 });
  await drop.done;
  drop.rearm();
  await Promise.all(opened.map((link) => link.ready()));
}

const session = new Session();
if (profiled) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
}
if (alloc > 0) {
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 256,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
}
await calls?.dropStarts();
// `--settle` (with node's --expose-gc): a full GC before the drop, so the heap the opening grew is
// collected first (the first drop otherwise may pay the major GC the opening made due).
if (args.includes('--settle')) (globalThis as { gc?: () => void }).gc?.();
const split = parts ? measureParts() : null;
if (mark) console.log('--- the drop starts ---');
perfControl('enable');
const start = performance.now();
const cpuStart = process.cpuUsage();
const threadsStart = threads ? threadTimes() : null;
// `--threads` also lists the garbage collections that began in the drop (kind, pause in ms).
const gcEntries: { startTime: number; duration: number; kind: number }[] = [];
const gcObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = (entry as unknown as { detail?: { kind?: number } }).detail?.kind ?? 0;
    gcEntries.push({ startTime: entry.startTime, duration: entry.duration, kind });
  }
});
if (threads) gcObserver.observe({ entryTypes: ['gc'] });
server.send({ type: 'restart', downMs: 2_000 });
await drop.done;
const last = drop.last;
const cpu = process.cpuUsage(cpuStart);
perfControl('disable');
if (mark) console.log('--- the drop ended ---');
const threadsEnd = threads ? threadTimes() : null;
const profile = profiled
  ? (await session.post('Profiler.stop')).profile
  : { nodes: [], samples: [], timeDeltas: [] };
if (profiled) session.disconnect();
// The drop's profile as a file (bench/profile-by-package.ts sums it by package and XState role).
if (profiled && process.env.LV_PROFILE_FILE)
  writeFileSync(process.env.LV_PROFILE_FILE, JSON.stringify(profile));
if (alloc > 0) await printAllocations(alloc);
if (calls) for (const line of await calls.report(functions, count)) console.log(line);

const nodes = new Map<number, ProfileNode>(profile.nodes.map((n) => [n.id, n as ProfileNode]));
const byPart = new Map<string, number>();
const byFunction = new Map<string, number>();
const samples = profile.samples ?? [];
const deltas = profile.timeDeltas ?? [];
for (let i = 0; i < samples.length; i++) {
  const { url, functionName } = (nodes.get(samples[i] as number) as ProfileNode).callFrame;
  // Idle time, and the profiler's own work (stopping it serialises the profile) are not the drop's.
  if (
    functionName === '(idle)' ||
    url.startsWith('node:inspector') ||
    (functionName === 'dispatch' && url === '')
  ) {
    continue;
  }
  const part = url.includes('xstate')
    ? 'xstate'
    : url.includes('/node_modules/ws/')
      ? 'ws'
      : url.includes('/src/') || url.includes('/machines/') || url.includes('/compiled-bench/')
        ? 'linkvisor'
        : functionName === '(garbage collector)'
          ? 'garbage collector'
          : 'node and native';
  byPart.set(part, (byPart.get(part) ?? 0) + (deltas[i] ?? 0));
  const frame = (nodes.get(samples[i] as number) as ProfileNode).callFrame as ProfileNode['callFrame'] & {
    lineNumber?: number;
    columnNumber?: number;
  };
  const where = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(compiled-bench|node_modules|src|machines)\//, '$1/')}:${(frame.lineNumber ?? 0) + 1}:${(frame.columnNumber ?? 0) + 1}`;
  byFunction.set(where, (byFunction.get(where) ?? 0) + (deltas[i] ?? 0));
}
const what = raw ? `${count} raw ws clients: last close` : `${count} links: last lost`;
const when = (warm > 0 ? ` (after a warm-up drop of ${warm})` : '') + (again ? ' (their second drop)' : '');
console.log(
  `${what} after ${(last - start).toFixed(0)} ms; client CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms${when}`,
);
if (split) console.log(`  ${split.summary()}`);
if (threadsStart && threadsEnd) {
  console.log(`  ${threadSplit(threadsStart, threadsEnd)}`);
  // The observer hears of a GC a turn later.
  await new Promise((resolve) => setImmediate(resolve));
  gcObserver.disconnect();
  // perf_hooks' NODE_PERFORMANCE_GC_* kinds (4 is a Mark-Compact, 8 incremental marking: they
  // were read as incremental and weak callbacks before round 47).
  const kinds: Record<number, string> = {
    1: 'minor',
    4: 'major',
    8: 'incremental marking',
    16: 'weak callbacks',
  };
  const gcs = gcEntries
    .filter((gc) => gc.startTime >= start && gc.startTime <= last)
    .map((gc) => `${kinds[gc.kind] ?? gc.kind} ${gc.duration.toFixed(1)} ms`);
  console.log(`  GCs in the drop: ${gcs.length ? gcs.join(', ') : 'none'}`);
}
for (const [part, us] of [...byPart].sort((a, b) => b[1] - a[1])) {
  console.log(`  ${part.padEnd(18)} ${(us / 1000).toFixed(1)} ms`);
}
for (const [where, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`    ${(us / 1000).toFixed(1).padStart(6)} ms  ${where}`);
}
await supervisor.terminate();
server.kill();

/**
 * LV_PERF_CTL=<fifo>,<ack fifo>: `perf record --control fifo:<fifo>,<ack fifo> -D -1 …` records the
 * drop alone (its native and V8 worker threads too): this tells perf when it starts and ends.
 */
function perfControl(command: 'enable' | 'disable'): void {
  const [ctl, ack] = (process.env.LV_PERF_CTL ?? '').split(',');
  if (!ctl || !ack) return;
  writeFileSync(ctl, `${command}\n`);
  const fd = openSync(ack, 'r');
  readSync(fd, Buffer.alloc(5));
  closeSync(fd);
}

/**
 * `--parts`: wraps the link's report of a close (Attempt#closed: the link's whole step runs inside
 * it), the socket actor's intake and the links' snapshot observer to add up the wall time of each,
 * and counts the event-loop turns in which links noticed closes (a turn ends at the next check phase).
 */
function measureParts(): { summary(): string } {
  const spent = { link: 0, socket: 0, observers: 0, turns: 0, closes: 0 };
  let inTurn = false;
  const timed = <A extends unknown[]>(fn: (...args: A) => void, part: 'link' | 'socket' | 'observers') =>
    function (this: unknown, ...args: A) {
      const t = performance.now();
      fn.apply(this, args);
      spent[part] += performance.now() - t;
    };
  const socket = (supervisor as unknown as { socket: { _send(event: unknown): void } }).socket;
  socket._send = timed(socket._send, 'socket');
  const closed = timed(Attempt.prototype.closed, 'link');
  Attempt.prototype.closed = function (this: Attempt, reason) {
    spent.closes++;
    if (!inTurn) {
      inTurn = true;
      spent.turns++;
      setImmediate(() => {
        inTurn = false;
      });
    }
    closed.call(this, reason);
  };
  Link.prototype.onSnapshot = timed(Link.prototype.onSnapshot, 'observers');
  return {
    summary: () =>
      `links' steps ${spent.link.toFixed(0)} ms, of which the socket chart's steps ${spent.socket.toFixed(0)} ms and the links' observers ${spent.observers.toFixed(0)} ms; ${spent.closes} closes noticed in ${spent.turns} event-loop turns`,
  };
}

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  selfSize: number;
  children: SamplingNode[];
}

/** `--alloc N`: stops the heap sampling, prints the bytes per link and the N top allocating functions. */
async function printAllocations(n: number): Promise<void> {
  const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as {
    profile: { head: SamplingNode };
  };
  session.disconnect();
  const byFunction = new Map<string, number>();
  // By part, a built-in's bytes with its caller's part (node's own files are node's).
  const byPart = new Map<string, number>();
  let total = 0;
  // A built-in (Set, Map, push…) is shown with the function that called it.
  const walk = (node: SamplingNode, caller = '', callerPart = 'node'): void => {
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    const own = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(compiled-bench|node_modules|src|machines)\//, '$1/')}:${lineNumber + 1}:${columnNumber + 1}`;
    const where = url === '' ? `${functionName} in ${caller}` : own;
    const part = url === '' ? callerPart : allocPart(url);
    total += node.selfSize;
    byFunction.set(where, (byFunction.get(where) ?? 0) + node.selfSize);
    byPart.set(part, (byPart.get(part) ?? 0) + node.selfSize);
    for (const child of node.children) walk(child, url === '' ? caller : own, part);
  };
  walk(profile.head);
  console.log(
    `  allocated in the drop: ${(total / 1024).toFixed(0)} KB, ${(total / count / 1024).toFixed(1)} KB a link (${[...byPart].map(([part, bytes]) => `${part} ${(bytes / count).toFixed(0)} B`).join(', ')})`,
  );
  for (const [where, bytes] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, n)) {
    console.log(`    ${(bytes / count).toFixed(0).padStart(6)} B a link  ${where}`);
  }
}

/** The part an allocating function's file belongs to (`--alloc`). */
function allocPart(url: string): string {
  if (url.includes('xstate')) return 'xstate';
  if (url.includes('/node_modules/ws/')) return 'ws';
  return url.startsWith('node:') ? 'node' : 'linkvisor';
}

/** `--threads`: each thread's time on a CPU so far, ns (/proc/self/task/<tid>/schedstat's first field). */
function threadTimes(): Map<string, number> {
  const times = new Map<string, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      times.set(tid, Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]));
    } catch {
      // The thread ended meanwhile.
    }
  }
  return times;
}

/** The drop's CPU on the main thread and on all the others, ms. */
function threadSplit(before: Map<string, number>, after: Map<string, number>): string {
  let main = 0;
  let others = 0;
  for (const [tid, ns] of after) {
    const spent = ns - (before.get(tid) ?? 0);
    if (tid === String(process.pid)) main += spent;
    else others += spent;
  }
  return `threads: main ${(main / 1e6).toFixed(0)} ms, others (V8's compiler and GC workers, libuv) ${(others / 1e6).toFixed(0)} ms`;
}
