/**
 * CPU and bytes of a connection chart's cycle (transport.closed 1006 from ready → the backoff's
 * after-event → transport.open → ready) in four arms (step-cost-arms.ts: XState actors,
 * machine.transition with one reused scope, the bare stepper, XState actors of the stepped chart:
 * src/stepper/stepped-machine.ts, what links run since round 43), each in fresh processes,
 * alternating; Round 42 (stepper what-if) in BENCHMARKS.md.
 *
 *   NODE_ENV=production node --import tsx bench/stepper/step-cost.ts [--rounds 3] [--charts 2000]
 *
 * The driver runs per round, in a rotating order: actor, actor again (the A/A: the noise), transition,
 * stepper, stepped, each `--arm <name>` in a fresh child (`--expose-gc`, a 64 MB young generation so the bytes
 * window sees no collection), then the same for `--drop`. A child:
 * - cycle: `charts` ready charts; the first cycle of each (cold: a fresh process's first), 20 cycles
 *   each unmeasured, then 10 measured (warm): CPU µs a cycle (process.cpuUsage, user + system);
 *   then bytes a cycle: heapUsed across 100 cycles after a full GC, if no GC ran in the window;
 * - drop: 1,000 ready charts; CPU of the first transport.closed of each (the cold drop).
 * Prints one JSON line; the driver prints medians and ranges.
 */
import { execFileSync } from 'node:child_process';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { CLOSED, makeArm, OPEN, RETRY } from './step-cost-arms.js';

const ARMS = ['actor', 'transition', 'stepper', 'stepped'];
const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? (args[i + 1] as string) : fallback;
};

const cpuMicros = (fn: () => void) => {
  const before = process.cpuUsage();
  fn();
  const used = process.cpuUsage(before);
  return used.user + used.system;
};

function cycle(arm: ReturnType<typeof makeArm>, i: number) {
  arm.send(i, CLOSED);
  arm.send(i, RETRY);
  arm.send(i, OPEN);
}

/** Bytes allocated by `fn`, and a count of the collections that ran meanwhile (read it a turn later:
 * the observer reports asynchronously). */
function bytes(fn: () => void): { delta: number; collections: () => number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  let collections = 0;
  const observer = new PerformanceObserver((list) => {
    collections += list.getEntries().length;
  });
  gc();
  gc();
  observer.observe({ entryTypes: ['gc'] });
  const before = process.memoryUsage().heapUsed;
  fn();
  const after = process.memoryUsage().heapUsed;
  return {
    delta: after - before,
    collections: () => {
      observer.disconnect();
      return collections;
    },
  };
}

function child(name: string, drop: boolean, charts: number) {
  if (drop) {
    const n = 1000;
    const arm = makeArm(name, n);
    const cpu = cpuMicros(() => {
      for (let i = 0; i < n; i++) arm.send(i, CLOSED);
    });
    if (JSON.stringify(arm.value(0)) !== '"reconnecting"') throw new Error(`${name}: not reconnecting`);
    console.log(
      JSON.stringify({ arm: name, dropMs: cpu / 1000, fallbacks: arm.fallbacks(), dropTimers: arm.pending }),
    );
    return;
  }
  const arm = makeArm(name, charts);
  const ready = JSON.stringify(arm.value(0));
  const cold = cpuMicros(() => {
    for (let i = 0; i < charts; i++) cycle(arm, i);
  });
  for (let r = 0; r < 20; r++) for (let i = 0; i < charts; i++) cycle(arm, i);
  const rounds = 10;
  const warm = cpuMicros(() => {
    for (let r = 0; r < rounds; r++) for (let i = 0; i < charts; i++) cycle(arm, i);
  });
  const sample = 100;
  const b = bytes(() => {
    for (let i = 0; i < sample; i++) cycle(arm, i);
  });
  if (JSON.stringify(arm.value(0)) !== ready) throw new Error(`${name}: cycle ended elsewhere`);
  setTimeout(() => {
    console.log(
      JSON.stringify({
        arm: name,
        coldUs: cold / charts,
        warmUs: warm / (rounds * charts),
        bytes: b.collections() === 0 ? b.delta / sample : null,
        fallbacks: arm.fallbacks(),
        timers: arm.pending,
      }),
    );
  }, 50);
}

function median(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

function driver() {
  const rounds = Number(opt('--rounds', '3'));
  const charts = opt('--charts', '2000');
  const file = fileURLToPath(import.meta.url);
  const run = (arm: string, drop: boolean) => {
    const argv = [
      '--import',
      'tsx',
      '--expose-gc',
      '--min-semi-space-size=64',
      '--max-semi-space-size=64',
      file,
    ];
    argv.push('--arm', arm, '--charts', charts, ...(drop ? ['--drop'] : []));
    const out = execFileSync(process.execPath, argv, { env: { ...process.env, NODE_ENV: 'production' } });
    return JSON.parse(out.toString().trim().split('\n').at(-1) as string);
  };
  const results = new Map<string, Record<string, number | null>[]>();
  const order = ['actor', 'actor (A/A)', 'transition', 'stepper', 'stepped'];
  for (let r = 0; r < rounds; r++) {
    const rotated = [...order.slice(r % order.length), ...order.slice(0, r % order.length)];
    for (const label of rotated) {
      const arm = label.split(' ')[0] as string;
      const row = { ...run(arm, false), ...run(arm, true), arm: label };
      console.error(JSON.stringify(row));
      results.set(label, [...(results.get(label) ?? []), row]);
    }
  }
  const show = (rows: Record<string, number | null>[], key: string, digits: number) => {
    const xs = rows.map((x) => x[key]).filter((x): x is number => typeof x === 'number');
    if (xs.length === 0) return 'n/a';
    const f = (x: number) => x.toFixed(digits);
    return `${f(median(xs))} (${f(Math.min(...xs))}–${f(Math.max(...xs))})`;
  };
  console.log(`| arm | cycle cold µs | cycle warm µs | bytes a cycle | cold drop of 1,000, ms | fallbacks |`);
  console.log('|---|---|---|---|---|---|');
  for (const label of order) {
    const rows = results.get(label) ?? [];
    const fallbacks = rows.reduce((s, x) => s + (x.fallbacks ?? 0), 0);
    console.log(
      `| ${label} | ${show(rows, 'coldUs', 1)} | ${show(rows, 'warmUs', 1)} | ${show(rows, 'bytes', 0)} | ${show(rows, 'dropMs', 1)} | ${fallbacks} |`,
    );
  }
}

const arm = opt('--arm', '');
if (arm) {
  if (!ARMS.includes(arm)) throw new Error(`--arm: one of ${ARMS.join(', ')}`);
  child(arm, args.includes('--drop'), Number(opt('--charts', '2000')));
} else driver();
