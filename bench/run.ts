/**
 * `npm run bench`: every benchmark, side by side, in one run, each measurement in fresh child
 * processes (plain `node` running the child script compiled by esbuild, xstate resolved to its
 * production build, NODE_ENV=production; see bench/child.ts):
 *
 *   echo      throughput of raw ws, reconnecting-websocket, partysocket and linkvisor at 64 B and
 *             4 KiB (500 in flight, client-side echo loop, server in its own process; server and
 *             client pinned to one core each), as a ratio to raw ws; rounds interleave the
 *             contenders in a rotating order; best of the rounds, and the median of each round's
 *             ratio
 *   datapath  what linkvisor adds per message with no socket at all (a transport stub)
 *   scale     (bench/lean.ts) heap per idle connected link at 5,000 links and the time to open
 *             them; 5,000 opened in one loop (µs per call, longest event-loop stall); linkvisor on
 *             the memory transport: 10,000 links (connect() µs, stall, all ready, heap), 1,000
 *             dropped at once, the lifecycle step; each in 3 fresh processes (median and range)
 *   actors    10,000 links on the memory transport: creation time, heap per link, close time
 *   resume    echo throughput with resumable sessions on vs off vs raw ws (bench/resume.ts)
 *   outage    heap of a resumable link and session while 1×–100× their bounds are sent during an
 *             outage (bench/resume-outage.ts)
 *   storm     1,000 links in 4 client processes, one server restart (500 ms down): time until all
 *             are back, peak accepts per 100 ms, total attempts; linkvisor with default jitter and
 *             with jitter off, and the peers with their defaults
 *
 * Each section lives in a module of its own (bench/echo-bench.ts, datapath-bench.ts, lean.ts,
 * actors-bench.ts, storm-bench.ts, resume.ts, resume-outage.ts); this file runs them in the order
 * above (resume and outage last), prints the tables, and rewrites the generated part of
 * BENCHMARKS.md and docs/bench-storm.svg (resume and outage write their own parts).
 *
 *   npm run bench -- --quick      one short round of each (for trying the harness, not for the record)
 *   npm run bench -- --only <section>[,<section>]
 *                                 only the sections named (echo, datapath, scale, actors, resume,
 *                                 outage, storm), in the usual order, their tables printed; never
 *                                 rewrites BENCHMARKS.md nor the SVG (it says so): to re-measure one
 *                                 row without the whole run. Combines with --quick. An unknown
 *                                 section or argument is refused (bench/bench-args.ts).
 *
 * Bounded: every child has a time limit; the whole run takes about seven minutes on two cores. */
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runActorsBench } from './actors-bench.js';
import { type BenchArgs, type BenchSection, parseBenchArgs } from './bench-args.js';
import { BENCH_DIR } from './child.js';
import { runDatapathBench } from './datapath-bench.js';
import { runEchoBench } from './echo-bench.js';
import { runLean } from './lean.js';
import { fmt, RESULTS_END, RESULTS_START, spliceResults } from './report.js';
import { runResumeBench } from './resume.js';
import { runOutageBench } from './resume-outage.js';
import { runStormBench } from './storm-bench.js';

const ROOT = path.resolve(BENCH_DIR, '..');
let args: BenchArgs;
try {
  args = parseBenchArgs(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`npm run bench: ${(error as Error).message}\n`);
  process.exit(2);
}
const QUICK = args.quick;
const ONLY = args.only;
const runs = (section: BenchSection) => ONLY === null || ONLY.includes(section);
const IDLE_LINKS = QUICK ? 1_000 : 5_000;
/** Fresh processes per measurement of the scale section (its median and range are printed). */
const LEAN_REPEAT = 3;
const ACTOR_LINKS = QUICK ? 2_000 : 10_000;
const LEFT_ALONE = 'BENCHMARKS.md and docs/bench-storm.svg left as they are';

const started = performance.now();
const log = (line: string) => process.stdout.write(`${line}\n`);

function version(pkg: string): string {
  const file =
    pkg === 'linkvisor'
      ? path.join(ROOT, 'package.json')
      : path.join(ROOT, 'node_modules', pkg, 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

// ── machine ──────────────────────────────────────────────────────────────────────────────────

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const machine = {
  cpu: `${cpu} × ${os.cpus().length}`,
  memory: `${fmt(os.totalmem() / 1024 ** 3, 0)} GiB`,
  os: `${os.type()} ${os.release()} ${os.arch()}`,
  node: process.version,
  packages: ['ws', 'xstate', 'reconnecting-websocket', 'partysocket', 'linkvisor'].map(
    (p) => `${p} ${version(p)}`,
  ),
};
const onlyNote = ONLY ? ` (--only ${ONLY.join(',')}: ${LEFT_ALONE})` : '';
log(`linkvisor benchmarks${QUICK ? ' (--quick: not for the record)' : ''}${onlyNote}`);
log(`machine: ${machine.cpu}, ${machine.memory}, ${machine.os}; Node ${machine.node}`);
log(`packages: ${machine.packages.join(', ')}\n`);

// ── the sections, in this order ──────────────────────────────────────────────────────────────

const echo = runs('echo') ? await runEchoBench({ quick: QUICK, log }) : null;
const datapath = runs('datapath')
  ? await runDatapathBench({ quick: QUICK, log, rawWsCpuUs: (size) => echo?.rawWsCpuUs(size) ?? Number.NaN })
  : null;
if (datapath && !echo) log('(the share of raw ws client CPU needs the echo section: --only echo,datapath)\n');
const lean = runs('scale')
  ? await runLean({
      repeat: QUICK ? 1 : LEAN_REPEAT,
      idleLinks: IDLE_LINKS,
      burstLinks: IDLE_LINKS,
      memoryLinks: ACTOR_LINKS,
      dropLinks: 1_000,
      cycles: QUICK ? 500 : 2_000,
      log,
    })
  : null;
if (lean) log(`\n${lean.idleTable}\n\n${lean.burstTable}\n\n${lean.memoryTable}\n`);
const actors = runs('actors') ? await runActorsBench({ links: ACTOR_LINKS, log }) : null;
const storm = runs('storm') ? await runStormBench({ quick: QUICK, log }) : null;

// ── write ────────────────────────────────────────────────────────────────────────────────────

const totalS = (performance.now() - started) / 1000;
if (ONLY === null && echo && datapath && lean && actors && storm) {
  const lv = (size: number) => echo.rows.find((r) => r.name === 'linkvisor' && r.size === size);
  const generated = [
    `Run of ${new Date().toISOString().slice(0, 10)}${QUICK ? ' (--quick: short, not for the record)' : ''}, ${fmt(totalS)} s in all.`,
    '',
    `Machine: ${machine.cpu}, ${machine.memory}, ${machine.os}. Node ${machine.node}. ${machine.packages.join(', ')}.`,
    '',
    `### Echo throughput (1 connection, ${echo.inFlight} in flight, ${echo.rounds} interleaved rounds of ${echo.measureMs / 1000} s in 8 windows; server and client each pinned to a core)`,
    '',
    echo.table,
    '',
    `linkvisor: ${fmt(lv(64)?.ratio ?? Number.NaN, 3)} of raw ws at 64 B (target ≥ 0.99), ${fmt(lv(4096)?.ratio ?? Number.NaN, 3)} at 4 KiB (target ≥ 0.98), the best quarter-second window of ${echo.rounds} runs against raw ws's; ${fmt(lv(64)?.pairedRatio ?? Number.NaN, 3)} and ${fmt(lv(4096)?.pairedRatio ?? Number.NaN, 3)} as the median of the rounds' ratios. Noise of this run: raw ws's whole-run rate varied by ${fmt(100 * (lv(64)?.rawNoise ?? Number.NaN), 0)} % (64 B) and ${fmt(100 * (lv(4096)?.rawNoise ?? Number.NaN), 0)} % (4 KiB) between its own ${echo.rounds} runs: differences below that are not the clients'. Messages that arrived with the wrong length, all clients: ${echo.rows.reduce((n, r) => n + r.bad, 0)}.`,
    '',
    '### The data path in isolation (what the library adds per message, no socket)',
    '',
    datapath.table,
    '',
    `### What a link costs at scale (each measurement in ${QUICK ? 1 : LEAN_REPEAT} fresh processes: median, and the range in parentheses)`,
    '',
    lean.idleTable,
    '',
    lean.burstTable,
    '',
    lean.memoryTable,
    '',
    '### Actor creation (memory transport)',
    '',
    actors.table,
    '',
    `### Reconnect storm (${fmt(storm.links)} links in ${storm.processes} processes, one restart, server down ${storm.downMs} ms)`,
    '',
    storm.table,
    '',
    '![Reconnect storm: attempts over time](docs/bench-storm.svg)',
  ].join('\n');
  if (!QUICK) {
    writeFileSync(path.join(ROOT, 'docs/bench-storm.svg'), storm.svg);
    const file = path.join(ROOT, 'BENCHMARKS.md');
    let existing: string | null = null;
    try {
      existing = readFileSync(file, 'utf8');
    } catch {
      existing = null;
    }
    const template = `# Benchmarks\n\n${RESULTS_START}\n${RESULTS_END}\n`;
    writeFileSync(file, spliceResults(existing, generated, template));
    log('wrote BENCHMARKS.md and docs/bench-storm.svg');
  } else {
    log(`--quick: ${LEFT_ALONE}`);
  }
} else {
  log(`--only ${ONLY?.join(',')}: ${LEFT_ALONE} (a run of some sections is not a record)`);
}
// Resumable sessions: resume on vs off vs raw ws (its own section of BENCHMARKS.md).
if (runs('resume')) await runResumeBench({ quick: QUICK, write: ONLY === null, log });
// Resumable sessions under a long outage: heap flat at the bounds (its own section).
if (runs('outage')) await runOutageBench({ quick: QUICK, write: ONLY === null, log });
log(`done in ${fmt(totalS)} s${runs('resume') || runs('outage') ? ' (the resume section apart)' : ''}`);
