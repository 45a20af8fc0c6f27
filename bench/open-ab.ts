/**
 * A/B of opening links (issue 11): the sources of a base tree (e.g. `git archive <commit> | tar -x
 * -C /tmp/base`) against this tree, alternating round by round so that both meet the same load.
 *
 *   ws (default): bench/profile-open.ts of each tree, unprofiled, in fresh processes (5,000 links
 *     on `ws`, at most 200 opening, after 500 warm-up), plus raw `ws` each round: wall time and
 *     client CPU µs per link opened.
 *   --memory: both trees' runtimes in ONE process on the memory transport (not in-process: each
 *     link connects, opens and becomes ready), alternating runs of `count` links: CPU µs per link
 *     and the paired ratio per round, less sensitive to the machine's load than separate processes.
 *   --memory --burst: the same, but `count` connect() calls in one loop on the in-process memory
 *     transport (links go idle → ready as they start, in the start slices), as lean.ts's memory
 *     row: also the time until all are ready and the longest event-loop stall meanwhile.
 *   --memory --lifecycle: the lifecycle step instead (as lean-client.ts's): one link dropped and
 *     reconnected (ready → reconnecting → ready, no backoff wait) `count` times; CPU µs a cycle.
 *     In-process as lean-client.ts's (idle → ready); with --connecting, through connecting and open.
 *   --memory --heartbeat: the heartbeat cycle of idle links instead (bench/heartbeat-cycle.ts):
 *     `count` ready links (default 1,000) under a simulated clock, `--cycles` (default 20) quiet
 *     interval → ping → pong cycles; CPU µs (or with --alloc, bytes) a link and cycle.
 *   --memory --alloc: the bytes allocated per link opened (or cycle) instead of the CPU (the sampling heap
 *     profiler every 512 B, garbage collected by minor and major GCs included), each run sampled
 *     on its own; the paired ratio per round as for the CPU.
 *
 * Compiled with esbuild as bench/child.ts compiles, production xstate (NODE_ENV=production):
 *
 *   node --expose-gc --import tsx bench/open-ab.ts <base-dir> [--memory [--burst | --lifecycle | --heartbeat [--cycles 20]] [--alloc]] [--rounds 6] [--count 5000]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { BENCH_DIR, CHILD_BUILD } from './child.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const baseDir = path.resolve(args[0] ?? '');
const memory = args.includes('--memory');
const burst = args.includes('--burst');
const alloc = memory && args.includes('--alloc');
const lifecycle = memory && args.includes('--lifecycle');
const heartbeat = memory && args.includes('--heartbeat');
const cycles = flag('--cycles', 20);
const rounds = flag('--rounds', memory ? 20 : 6);
const count = flag('--count', heartbeat ? 1_000 : memory ? 2_000 : 5_000);
const trees = { base: baseDir, this: path.join(BENCH_DIR, '..') };
const cache = path.join(BENCH_DIR, '..', 'node_modules', '.cache', 'open-ab');
mkdirSync(cache, { recursive: true });

/** Opens `n` links on a fresh memory network (at most `window` opening) and returns CPU µs a
 * link, the time until all are ready and the longest event-loop stall meanwhile (ms). */
const MEMORY_RUN = `
import { createSupervisor } from './src/index.js';
import { createMemoryNetwork } from './src/testing/index.js';
import { lifecycleStep } from ${JSON.stringify(path.join(BENCH_DIR, 'lifecycle-step.ts'))};
import { heartbeatCycles } from ${JSON.stringify(path.join(BENCH_DIR, 'heartbeat-cycle.ts'))};
export async function run(n, burst, sampled) {
  const network = createMemoryNetwork({ inProcess: burst });
  network.listen('mem://ab');
  const supervisor = createSupervisor({ transport: network.transport });
  const window = burst ? n : 200;
  let pending = 0, opened = 0, wake = null, stall = 0, tick = performance.now();
  const done = () => { pending--; opened++; const w = wake; wake = null; w?.(); };
  const ticker = setInterval(() => { stall = Math.max(stall, performance.now() - tick); tick = performance.now(); }, 1);
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    while (pending >= window) await new Promise((resolve) => (wake = resolve));
    pending++;
    supervisor.connect('mem://ab').ready().then(done);
  }
  while (opened < n) await new Promise((resolve) => (wake = resolve));
  const used = process.cpuUsage(cpu);
  const ms = performance.now() - start;
  clearInterval(ticker);
  await sampled?.();
  await supervisor.terminate();
  return { cpuUs: (used.user + used.system) / n, ms, stall };
}
/** The lifecycle step (bench/lifecycle-step.ts, as lean-client.ts's), this tree's or the base's runtime. */
export function cycle(n, inProcess, sampled) {
  return lifecycleStep({ createSupervisor, createMemoryNetwork }, n, { inProcess, measured: sampled })
    .then(({ cpuUs, ms }) => ({ cpuUs, ms, stall: 0 }));
}
/** The heartbeat cycle (bench/heartbeat-cycle.ts) of n links, this tree's or the base's runtime. */
export function beat(n, cycles, sampled, starting) {
  return heartbeatCycles({ createSupervisor, createMemoryNetwork }, n, cycles, sampled, starting)
    .then(({ cpuUs, ms }) => ({ cpuUs, ms, stall: 0 }));
}`;

function compile(tree: string, name: string): string {
  const outfile = path.join(cache, `${name}.mjs`);
  buildSync({
    ...(memory
      ? { stdin: { contents: MEMORY_RUN, resolveDir: tree, loader: 'js' } }
      : { entryPoints: [path.join(tree, 'bench', 'profile-open.ts')] }),
    ...CHILD_BUILD,
    outfile,
  });
  return outfile;
}

const what = alloc ? 'allocated' : 'CPU';
const unit = alloc ? 'B' : 'µs';
const per = heartbeat ? 'a link and cycle' : lifecycle ? 'a cycle' : 'a link';

/** The bytes a sampled heap profile's tree allocated. */
interface HeapNode {
  selfSize: number;
  children: HeapNode[];
}

function sampledBytes(node: HeapNode): number {
  let bytes = node.selfSize;
  for (const child of node.children) bytes += sampledBytes(child);
  return bytes;
}

const files = { base: compile(trees.base, 'base'), this: compile(trees.this, 'this') };
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const range = (values: number[], digits = 1) =>
  `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;
const cpu: Record<'base' | 'this' | 'ws', number[]> = { base: [], this: [], ws: [] };
const wall: Record<'base' | 'this' | 'ws', number[]> = { base: [], this: [], ws: [] };
const stalls: Record<'base' | 'this', number[]> = { base: [], this: [] };

if (memory) {
  type Run = {
    run(
      n: number,
      burst: boolean,
      opened?: () => Promise<void>,
    ): Promise<{ cpuUs: number; ms: number; stall: number }>;
    cycle(
      n: number,
      inProcess: boolean,
      sampled?: () => Promise<void>,
    ): Promise<{ cpuUs: number; ms: number; stall: number }>;
    beat(
      n: number,
      cycles: number,
      sampled?: () => Promise<void>,
      starting?: () => Promise<void>,
    ): Promise<{ cpuUs: number; ms: number; stall: number }>;
  };
  const step = (run: Run, n: number, sampled?: () => Promise<void>, starting?: () => Promise<void>) =>
    heartbeat
      ? run.beat(n, n === count ? cycles : 2, sampled, starting)
      : lifecycle
        ? run.cycle(n, !args.includes('--connecting'), sampled)
        : run.run(n, burst, sampled);
  const runs = { base: (await import(files.base)) as Run, this: (await import(files.this)) as Run };
  await step(runs.base, 500);
  await step(runs.this, 500);
  const session = alloc ? new Session() : null;
  session?.connect();
  await session?.post('HeapProfiler.enable');
  for (let round = 0; round < rounds; round++) {
    for (const name of round % 2 ? (['this', 'base'] as const) : (['base', 'this'] as const)) {
      // Each run starts with a clean young generation: no garbage of the other variant's run.
      (globalThis as { gc?: () => void }).gc?.();
      const startSampling = async () => {
        await session?.post('HeapProfiler.startSampling', {
          samplingInterval: 512,
          includeObjectsCollectedByMajorGC: true,
          includeObjectsCollectedByMinorGC: true,
        });
      };
      // The heartbeat cycles alone are sampled (not the opening of their links).
      if (!heartbeat) await startSampling();
      let sampled: { profile: { head: HeapNode } } | undefined;
      const { cpuUs, ms, stall } = await step(
        runs[name],
        count,
        async () => {
          // Opening only: the links' terminate() is not sampled.
          sampled = await session?.post('HeapProfiler.stopSampling');
        },
        startSampling,
      );
      // Allocated bytes a link (the sampled tree's self sizes), in place of the CPU.
      const units = heartbeat ? count * cycles : count;
      cpu[name].push(sampled ? sampledBytes(sampled.profile.head) / units : cpuUs);
      wall[name].push(ms);
      stalls[name].push(stall);
    }
    const show = (name: 'base' | 'this') =>
      `${name} ${cpu[name].at(-1)?.toFixed(1)} ${unit} ${per}, all ready ${wall[name].at(-1)?.toFixed(0)} ms, stall ${stalls[name].at(-1)?.toFixed(0)} ms`;
    console.log(`round ${round + 1} (load ${load()}): ${show('base')}; ${show('this')}`);
  }
} else {
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 ? (['this', 'base', 'ws'] as const) : (['base', 'this', 'ws'] as const);
    for (const name of order) {
      const out = execFileSync(
        process.execPath,
        [files[name === 'ws' ? 'this' : name], name === 'ws' ? 'ws' : 'linkvisor', String(count), '0'],
        {
          env: { ...process.env, NODE_ENV: 'production' },
          encoding: 'utf8',
        },
      );
      const match = /opened in (\d+) ms, client CPU ([\d.]+)/.exec(out);
      if (!match) throw new Error(`open-ab: unexpected output: ${out}`);
      wall[name].push(Number(match[1]));
      cpu[name].push(Number(match[2]));
    }
    console.log(
      `round ${round + 1} (load ${load()}): ${(['base', 'this', 'ws'] as const).map((n) => `${n} ${wall[n].at(-1)} ms, ${cpu[n].at(-1)} µs a link`).join('; ')}`,
    );
  }
}
for (const name of (memory ? ['base', 'this'] : ['base', 'this', 'ws']) as ('base' | 'this' | 'ws')[]) {
  const stall =
    name === 'ws' || !memory
      ? ''
      : `, stall ${median(stalls[name]).toFixed(0)} ms (${range(stalls[name], 0)})`;
  const time = `, wall ${median(wall[name]).toFixed(0)} ms (${range(wall[name], 0)})${stall}`;
  console.log(`${name}: ${what} ${median(cpu[name]).toFixed(1)} ${unit} ${per} (${range(cpu[name])})${time}`);
}
const paired = cpu.this.map((value, i) => value / (cpu.base[i] ?? value));
console.log(`this / base, ${what} per round: median ${median(paired).toFixed(3)} (${range(paired, 3)})`);
if (!memory) {
  for (const name of ['base', 'this'] as const) {
    const ratios = wall[name].map((value, i) => value / (wall.ws[i] ?? value));
    console.log(
      `${name} / raw ws, wall per round: median ${median(ratios).toFixed(2)} (${range(ratios, 2)})`,
    );
  }
}
