/**
 * What starting a supervisor costs (an application that makes one per tenant, per test, per request
 * of a serverless function pays it each time): a base tree's sources (e.g. `git archive main | tar
 * -x -C node_modules/.cache/base`) against this tree's, both compiled as bench/child.ts compiles
 * (production xstate, NODE_ENV=production), alternating round by round so that both meet the same
 * load. The memory transport (in-process links: idle → ready), no socket.
 *
 * In one process, both runtimes loaded (warm), per round and tree:
 *   start: `createSupervisor()` + `await close()`, `count` times: CPU µs a supervisor;
 *   heap: `count / 4` supervisors made and kept, the heap after a full GC, a supervisor;
 *   connect (fresh): a supervisor made, one link connected until ready, closed, `count` times,
 *     less the start's CPU: what a first connect() on a new supervisor costs;
 *   connect (warm): one supervisor, a link connected until ready and closed, `count` times.
 * Then `--first` fresh processes of each (alternating): the process's first supervisor (made and
 * closed), its second, and the first link on a third: CPU µs each, XState and the runtime loaded
 * but nothing run yet.
 *
 *   node --expose-gc --import tsx bench/supervisor-start.ts <base-dir> [--rounds 10] [--count 1000] [--first 8]
 *
 * Give this tree's own `git archive HEAD` as the base for an A/A.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { BENCH_DIR, CHILD_BUILD } from './child.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const baseDir = path.resolve(args[0] ?? '');
const rounds = flag('--rounds', 10);
const count = flag('--count', 1_000);
const firsts = flag('--first', 8);
const trees = { base: baseDir, this: path.join(BENCH_DIR, '..') };
const cache = path.join(BENCH_DIR, '..', 'node_modules', '.cache', 'supervisor-start');
mkdirSync(cache, { recursive: true });

/** The measurements, on a tree's runtime (compiled from stdin with the tree as resolveDir); run as
 * a script with `first`, the fresh-process ones, printed as JSON. */
const RUN = `
import { createSupervisor } from './src/index.js';
import { createMemoryNetwork } from './src/testing/index.js';
const cpu = () => { const used = process.cpuUsage(); return used.user + used.system; };
const network = createMemoryNetwork();
network.listen('mem://start');
const transport = network.transport;
export async function start(n) {
  const t0 = cpu();
  for (let i = 0; i < n; i++) await createSupervisor({ transport }).close();
  return (cpu() - t0) / n;
}
export async function heap(n) {
  globalThis.gc(); globalThis.gc();
  const before = process.memoryUsage().heapUsed;
  const kept = [];
  for (let i = 0; i < n; i++) kept.push(createSupervisor({ transport }));
  globalThis.gc(); globalThis.gc();
  const bytes = (process.memoryUsage().heapUsed - before) / n;
  await Promise.all(kept.map((supervisor) => supervisor.close()));
  return bytes;
}
export async function fresh(n) {
  const t0 = cpu();
  for (let i = 0; i < n; i++) {
    const supervisor = createSupervisor({ transport });
    await supervisor.connect('mem://start').ready();
    await supervisor.close();
  }
  return (cpu() - t0) / n;
}
export async function warm(n) {
  const supervisor = createSupervisor({ transport });
  await supervisor.connect('mem://start').ready();
  const t0 = cpu();
  for (let i = 0; i < n; i++) {
    const link = supervisor.connect('mem://start');
    await link.ready();
    await link.close();
  }
  const used = (cpu() - t0) / n;
  await supervisor.close();
  return used;
}
if (process.argv[2] === 'first') {
  let t0 = cpu();
  await createSupervisor({ transport }).close();
  const first = cpu() - t0;
  t0 = cpu();
  await createSupervisor({ transport }).close();
  const second = cpu() - t0;
  const supervisor = createSupervisor({ transport });
  t0 = cpu();
  await supervisor.connect('mem://start').ready();
  const connect = cpu() - t0;
  await supervisor.close();
  console.log(JSON.stringify({ first, second, connect }));
}`;

function compile(tree: string, name: string): string {
  const outfile = path.join(cache, `${name}.mjs`);
  buildSync({ stdin: { contents: RUN, resolveDir: tree, loader: 'js' }, ...CHILD_BUILD, outfile });
  return outfile;
}

type Tree = 'base' | 'this';
type Measure = 'start' | 'heap' | 'fresh' | 'warm';
interface Run {
  start(n: number): Promise<number>;
  heap(n: number): Promise<number>;
  fresh(n: number): Promise<number>;
  warm(n: number): Promise<number>;
}

const files = { base: compile(trees.base, 'base'), this: compile(trees.this, 'this') };
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const range = (values: number[], digits = 1) =>
  `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;
const show = (values: number[], digits = 1) => `${median(values).toFixed(digits)} (${range(values, digits)})`;
const ratio = (a: number[], b: number[]) => a.map((value, i) => value / (b[i] ?? value));

const runs: Record<Tree, Run> = {
  base: (await import(files.base)) as Run,
  this: (await import(files.this)) as Run,
};
const measures: Measure[] = ['start', 'heap', 'fresh', 'warm'];
const sizes: Record<Measure, number> = {
  start: count,
  heap: Math.ceil(count / 4),
  fresh: count,
  warm: count,
};
const seen = Object.fromEntries(
  (['base', 'this'] as const).map((tree) => [
    tree,
    Object.fromEntries(measures.map((m) => [m, [] as number[]])),
  ]),
) as Record<Tree, Record<Measure, number[]>>;
// Warm-up: each measure of each tree once, small.
for (const tree of ['base', 'this'] as const) for (const m of measures) await runs[tree][m](50);
for (let round = 0; round < rounds; round++) {
  const order: Tree[] = round % 2 ? ['this', 'base'] : ['base', 'this'];
  for (const m of measures) {
    for (const tree of order) {
      (globalThis as { gc?: () => void }).gc?.();
      seen[tree][m].push(await runs[tree][m](sizes[m]));
    }
  }
  const line = (tree: Tree) =>
    `${tree} start ${seen[tree].start.at(-1)?.toFixed(1)} µs, heap ${seen[tree].heap.at(-1)?.toFixed(0)} B, fresh ${seen[tree].fresh.at(-1)?.toFixed(1)} µs, warm ${seen[tree].warm.at(-1)?.toFixed(1)} µs`;
  console.log(`round ${round + 1} (load ${load()}): ${line('base')}; ${line('this')}`);
}
for (const tree of ['base', 'this'] as const) {
  const s = seen[tree];
  const extra = s.fresh.map((value, i) => value - (s.start[i] ?? 0) - (s.warm[i] ?? 0));
  console.log(
    `${tree}: start + close ${show(s.start)} µs CPU a supervisor, heap ${show(s.heap, 0)} B a supervisor, ` +
      `connect on a fresh supervisor ${show(s.fresh)} µs (start, link, close), on a warm one ${show(s.warm)} µs; ` +
      `a fresh supervisor's first connect beyond a warm one's ${show(extra)} µs`,
  );
}
for (const m of measures)
  console.log(`this / base, ${m} per round: ${show(ratio(seen.this[m], seen.base[m]), 3)}`);

// Fresh processes: the first supervisor of a process.
const fresh: Record<Tree, { first: number[]; second: number[]; connect: number[] }> = {
  base: { first: [], second: [], connect: [] },
  this: { first: [], second: [], connect: [] },
};
for (let i = 0; i < firsts; i++) {
  for (const tree of (i % 2 ? ['this', 'base'] : ['base', 'this']) as Tree[]) {
    const out = execFileSync(process.execPath, [files[tree], 'first'], {
      env: { ...process.env, NODE_ENV: 'production' },
      encoding: 'utf8',
    });
    const { first, second, connect } = JSON.parse(out.trim().split('\n').at(-1) as string);
    fresh[tree].first.push(first);
    fresh[tree].second.push(second);
    fresh[tree].connect.push(connect);
  }
}
if (firsts > 0) {
  for (const tree of ['base', 'this'] as const) {
    const f = fresh[tree];
    console.log(
      `${tree}, fresh process (${firsts}): first supervisor (start + close) ${show(f.first, 0)} µs CPU, ` +
        `second ${show(f.second, 0)} µs, first link on a third (connect until ready) ${show(f.connect, 0)} µs`,
    );
  }
  for (const key of ['first', 'second', 'connect'] as const)
    console.log(`this / base, fresh process ${key}: ${show(ratio(fresh.this[key], fresh.base[key]), 3)}`);
}
