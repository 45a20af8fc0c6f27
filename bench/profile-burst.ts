/**
 * The burst open of `bench/open-ab.ts --memory --burst` (lean.ts's memory row) on its own, for
 * bench/profile-mapped.ts (`--entry profile-burst.ts`): `count` connect() calls in one loop on the
 * in-process memory transport, after a warm-up of `--warm` links, each run on a fresh supervisor.
 * Prints the time until all are ready, the longest event-loop stall and, for the run's longest
 * stalls, the garbage collections inside each (PerformanceObserver 'gc': kind and duration), so
 * that a stall can be told from a GC pause. With LV_PROFILE_FILE=<path>, the measured run's CPU
 * profile is written there.
 *
 *   node --import tsx bench/profile-mapped.ts --entry profile-burst.ts [--runs 3] -- [count=10000] [--warm 500] [--lean]
 *
 * `--lean`: connect() alone in the loop and the links' state read every 5 ms (bench/lean-client.ts's
 * memory row, whose process is cold: `--warm 0`) instead of `ready().then()` for each (open-ab.ts).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { PerformanceObserver } from 'node:perf_hooks';
import { createSupervisor } from '../src/index.js';
import { createMemoryNetwork } from '../src/testing/index.js';

const args = process.argv.slice(2);
const count = Number(args.find((a) => /^\d+$/.test(a)) ?? 10_000);
const warmAt = args.indexOf('--warm');
const warm = warmAt >= 0 ? Number(args[warmAt + 1]) : 500;
const lean = args.includes('--lean');
const profiled = !args.includes('--no-profile') && process.env.LV_PROFILE_FILE !== undefined;

interface Gap {
  at: number;
  ms: number;
}

async function burst(
  n: number,
): Promise<{ ms: number; cpuUs: number; gaps: Gap[]; turns: number; loopMs: number }> {
  const network = createMemoryNetwork({ inProcess: true });
  network.listen('mem://ab');
  const supervisor = createSupervisor({ transport: network.transport });
  let opened = 0;
  let wake: (() => void) | null = null;
  const gaps: Gap[] = [];
  let tick = performance.now();
  let turns = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    gaps.push({ at: tick, ms: now - tick });
    tick = now;
    turns++;
  }, 1);
  const done = () => {
    opened++;
    const w = wake;
    wake = null;
    w?.();
  };
  const cpu = process.cpuUsage();
  const start = performance.now();
  let loopMs = 0;
  if (lean) {
    // As bench/lean-client.ts's memory row: connect() alone, the links' state read every 5 ms.
    const links: { state: string }[] = [];
    for (let i = 0; i < n; i++) links.push(supervisor.connect('mem://ab'));
    loopMs = performance.now() - start;
    const ready = () => links.reduce((k, link) => k + (link.state === 'ready' ? 1 : 0), 0);
    while (ready() < n) await new Promise((resolve) => setTimeout(resolve, 5));
  } else {
    for (let i = 0; i < n; i++) supervisor.connect('mem://ab').ready().then(done);
    loopMs = performance.now() - start;
    while (opened < n) await new Promise<void>((resolve) => (wake = resolve));
  }
  const used = process.cpuUsage(cpu);
  const ms = performance.now() - start;
  clearInterval(ticker);
  await supervisor.terminate();
  return { ms, cpuUs: (used.user + used.system) / n, gaps, turns, loopMs };
}

const gcs: { at: number; ms: number; kind: number }[] = [];
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries())
    gcs.push({
      at: entry.startTime,
      ms: entry.duration,
      kind: (entry as unknown as { detail: { kind: number } }).detail.kind,
    });
});
observer.observe({ entryTypes: ['gc'] });
const KINDS: Record<number, string> = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weakcb' };

if (warm > 0) await burst(warm);
(globalThis as { gc?: () => void }).gc?.();
gcs.length = 0;
const session = profiled ? new Session() : null;
session?.connect();
await session?.post('Profiler.enable');
await session?.post('Profiler.setSamplingInterval', { interval: 100 });
await session?.post('Profiler.start');
const result = await burst(count);
const stopped = await session?.post('Profiler.stop');
if (stopped && process.env.LV_PROFILE_FILE)
  writeFileSync(process.env.LV_PROFILE_FILE, JSON.stringify(stopped.profile));
await new Promise((resolve) => setTimeout(resolve, 10));
observer.disconnect();
const longest = [...result.gaps].sort((a, b) => b.ms - a.ms).slice(0, 5);
const gcTotal = gcs.reduce((s, g) => s + g.ms, 0);
console.log(
  `last: ${count} ready in ${result.ms.toFixed(0)} ms, CPU ${result.cpuUs.toFixed(1)} µs a link, ${result.turns} ticks, loop ${result.loopMs.toFixed(1)} ms, ` +
    `stall ${longest[0]?.ms.toFixed(1)} ms; GC ${gcs.length} pauses, ${gcTotal.toFixed(0)} ms, longest ${Math.max(0, ...gcs.map((g) => g.ms)).toFixed(1)} ms`,
);
for (const gap of longest) {
  const inside = gcs.filter((g) => g.at >= gap.at && g.at < gap.at + gap.ms);
  const list = inside.map((g) => `${KINDS[g.kind] ?? g.kind} ${g.ms.toFixed(1)}`).join(', ');
  console.log(
    `  stall ${gap.ms.toFixed(1)} ms at +${(gap.at - (result.gaps[0]?.at ?? 0)).toFixed(0)} ms: GC ${list || 'none'}`,
  );
}
