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
 * Prints the tables, rewrites the generated part of BENCHMARKS.md and docs/bench-storm.svg.
 * `--quick` runs one short round of each (for trying the harness, not for the record).
 * Bounded: every child has a time limit; the whole run takes about four minutes on two cores. */
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BENCH_DIR, type BenchChild, startChild } from './child.js';
import { CONTENDERS, type ContenderName } from './contenders.js';
import { runLean } from './lean.js';
import { fmt, RESULTS_END, RESULTS_START, type Series, spliceResults, stormSvg, table } from './report.js';
import { runResumeBench } from './resume.js';
import { runOutageBench } from './resume-outage.js';

const ROOT = path.resolve(BENCH_DIR, '..');
const QUICK = process.argv.includes('--quick');
const ROUNDS = QUICK ? 1 : 6;
const WARMUP_MS = QUICK ? 500 : 750;
const MEASURE_MS = QUICK ? 1_000 : 2_000;
/** The server runs on one core, the client on the other (taskset), in every measurement. */
const SERVER_CPU = 0;
const CLIENT_CPU = 1;
const IN_FLIGHT = 500;
const SIZES = [64, 4096];
const IDLE_LINKS = QUICK ? 1_000 : 5_000;
/** Fresh processes per measurement of the scale section (its median and range are printed). */
const LEAN_REPEAT = 3;
const ACTOR_LINKS = QUICK ? 2_000 : 10_000;
const STORM_LINKS = QUICK ? 300 : 1_000;
const STORM_DOWN_MS = 500;
const STORM_PROCESSES = 4;
const BIN_MS = 100;

const started = performance.now();
const log = (line: string) => process.stdout.write(`${line}\n`);

function version(pkg: string): string {
  const file =
    pkg === 'linkvisor'
      ? path.join(ROOT, 'package.json')
      : path.join(ROOT, 'node_modules', pkg, 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

async function server(mode: 'echo' | 'hold'): Promise<{ child: BenchChild; url: string }> {
  const child = startChild('server.ts', [mode], { cpu: SERVER_CPU });
  const { port } = await child.next<{ port: number }>('listening', 20_000);
  return { child, url: `ws://127.0.0.1:${port}/` };
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
log(`linkvisor benchmarks${QUICK ? ' (--quick: not for the record)' : ''}`);
log(`machine: ${machine.cpu}, ${machine.memory}, ${machine.os}; Node ${machine.node}`);
log(`packages: ${machine.packages.join(', ')}\n`);

// ── echo throughput ──────────────────────────────────────────────────────────────────────────

interface EchoResult {
  rate: number;
  /** The best of the run's 8 windows (each a quarter of a second with the default 2 s). */
  bestWindowRate: number;
  cpuUsPerMessage: number;
  bad: number;
}
const echo = new Map<string, EchoResult[]>();
/** rate / the same round's raw ws rate, per contender and size. */
const echoRatios = new Map<string, number[]>();
for (let round = 0; round < ROUNDS; round++) {
  for (const size of SIZES) {
    // Rotate the order each round: no contender always runs first (or last) on a warm machine.
    const order = CONTENDERS.map((_, i) => CONTENDERS[(i + round) % CONTENDERS.length] as ContenderName);
    const thisRound = new Map<ContenderName, number>();
    for (const name of order) {
      const s = await server('echo');
      const client = startChild(
        'echo-client.ts',
        [name, s.url, String(size), String(IN_FLIGHT), String(WARMUP_MS), String(MEASURE_MS)],
        { cpu: CLIENT_CPU },
      );
      const result = await client.next<EchoResult>('result', 60_000);
      await client.stop();
      await s.child.stop();
      const key = `${name}@${size}`;
      echo.set(key, [...(echo.get(key) ?? []), result]);
      thisRound.set(name, result.bestWindowRate);
      log(`echo ${size} B round ${round + 1}/${ROUNDS} ${name}: ${fmt(result.rate)} msg/s`);
    }
    const raw = thisRound.get('ws') ?? Number.NaN;
    for (const [name, rate] of thisRound) {
      const key = `${name}@${size}`;
      echoRatios.set(key, [...(echoRatios.get(key) ?? []), rate / raw]);
    }
  }
}

const echoRows = SIZES.flatMap((size) => {
  const rawRuns = echo.get(`ws@${size}`) ?? [];
  const rawBest = Math.max(...rawRuns.map((r) => r.bestWindowRate));
  const rawMin = Math.min(...rawRuns.map((r) => r.rate));
  const rawMax = Math.max(...rawRuns.map((r) => r.rate));
  const rawCpu = median(rawRuns.map((r) => r.cpuUsPerMessage));
  return CONTENDERS.map((name) => {
    const runs = echo.get(`${name}@${size}`) ?? [];
    const ratios = echoRatios.get(`${name}@${size}`) ?? [];
    const best = Math.max(...runs.map((r) => r.bestWindowRate));
    const cpuUs = median(runs.map((r) => r.cpuUsPerMessage));
    return {
      size,
      name,
      best,
      ratio: best / rawBest,
      pairedRatio: median(ratios),
      spread: `${fmt(Math.min(...ratios), 2)}–${fmt(Math.max(...ratios), 2)}`,
      cpuUs,
      cpuRatio: cpuUs / rawCpu,
      bad: runs.reduce((n, r) => n + r.bad, 0),
      rawNoise: rawMax / rawMin - 1,
    };
  });
});
const echoTable = table(
  [
    'size',
    'client',
    `msg/s (best window of ${ROUNDS} runs)`,
    'ratio to ws (best)',
    'ratio, median of rounds',
    'ratio range',
    'client CPU µs/msg',
    'CPU vs ws',
  ],
  echoRows.map((r) => [
    r.size === 64 ? '64 B' : '4 KiB',
    r.name,
    fmt(r.best),
    fmt(r.ratio, 3),
    fmt(r.pairedRatio, 3),
    r.spread,
    fmt(r.cpuUs, 2),
    fmt(r.cpuRatio, 3),
  ]),
  ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r'],
);
log(`\n${echoTable}\n`);

// ── the data path in isolation ───────────────────────────────────────────────────────────────

const datapathChild = startChild('datapath.ts', [QUICK ? '200000' : '1000000', QUICK ? '3' : '7'], {
  cpu: CLIENT_CPU,
});
const datapath = await datapathChild.next<{ linkvisorNs: number; bareNs: number }>('result', 120_000);
await datapathChild.stop();
const wsCpuNs = (size: number) => 1000 * median((echo.get(`ws@${size}`) ?? []).map((r) => r.cpuUsPerMessage));
const datapathTable = table(
  ['per echoed message, no socket', 'ns', 'share of raw ws client CPU at 64 B / 4 KiB'],
  [
    [
      'linkvisor: transport → listener → link.send()',
      fmt(datapath.linkvisorNs, 1),
      `${fmt((100 * datapath.linkvisorNs) / wsCpuNs(64), 2)} % / ${fmt((100 * datapath.linkvisorNs) / wsCpuNs(4096), 2)} %`,
    ],
    ['bare: listener → send()', fmt(datapath.bareNs, 1), '—'],
  ],
  ['l', 'r', 'r'],
);
log(`${datapathTable}\n`);

// ── what a link costs at scale (issue 11): memory, connect(), opening, mass drop, step ─────────

const lean = await runLean({
  repeat: QUICK ? 1 : LEAN_REPEAT,
  idleLinks: IDLE_LINKS,
  burstLinks: IDLE_LINKS,
  memoryLinks: ACTOR_LINKS,
  dropLinks: 1_000,
  cycles: QUICK ? 500 : 2_000,
  log,
});
log(`\n${lean.idleTable}\n\n${lean.burstTable}\n\n${lean.memoryTable}\n`);

// ── actor creation ───────────────────────────────────────────────────────────────────────────

interface ActorRun {
  createMs: number;
  readyMs: number;
  bytesPerLink: number;
  closeMs: number;
  notThere: number;
}
const actorsChild = startChild('actors.ts', [String(ACTOR_LINKS)], { nodeFlags: ['--expose-gc'] });
const actors = await actorsChild.next<{ idle: ActorRun; connected: ActorRun }>('result', 120_000);
await actorsChild.stop();
const actorTable = table(
  [
    'links on the memory transport',
    'create (ms)',
    'until idle / ready (ms)',
    'heap B/link',
    'close() all (ms)',
  ],
  [
    [
      `${fmt(ACTOR_LINKS)} created idle (autoConnect: false)`,
      fmt(actors.idle.createMs),
      fmt(actors.idle.readyMs),
      fmt(actors.idle.bytesPerLink),
      fmt(actors.idle.closeMs),
    ],
    [
      `${fmt(ACTOR_LINKS)} connected (ready, peers included)`,
      fmt(actors.connected.createMs),
      fmt(actors.connected.readyMs),
      fmt(actors.connected.bytesPerLink),
      fmt(actors.connected.closeMs),
    ],
  ],
  ['l', 'r', 'r', 'r', 'r'],
);
log(`\n${actorTable}\n`);

// ── reconnect storm ──────────────────────────────────────────────────────────────────────────

const STORMS: { label: string; contender: ContenderName; jitter: 'default' | 'none'; color: string }[] = [
  { label: 'linkvisor (default: full jitter)', contender: 'linkvisor', jitter: 'default', color: '#2563eb' },
  { label: 'linkvisor, jitter off', contender: 'linkvisor', jitter: 'none', color: '#dc2626' },
  {
    label: 'reconnecting-websocket',
    contender: 'reconnecting-websocket',
    jitter: 'default',
    color: '#16a34a',
  },
  { label: 'partysocket', contender: 'partysocket', jitter: 'default', color: '#9333ea' },
];
interface StormRow {
  label: string;
  allBackMs: number;
  /** When the last link noticed the drop, ms after the restart began. */
  noticedMs: number;
  back: number;
  peak: number;
  attempts: number;
  refused: number;
  bins: number[];
  color: string;
}
const storms: StormRow[] = [];
for (const storm of STORMS) {
  const s = await server('hold');
  // The links of a fleet live in several processes: one process handling the drop of all 1,000
  // would itself spread (or bunch) the attempts while it works through them.
  const clients = Array.from({ length: STORM_PROCESSES }, () =>
    startChild('storm-client.ts', [
      storm.contender,
      s.url,
      String(STORM_LINKS / STORM_PROCESSES),
      storm.jitter,
    ]),
  );
  for (const client of clients) await client.next('ready', 120_000);
  for (const client of clients) client.send({ type: 'watch' });
  for (const client of clients) await client.next('watching', 10_000);
  s.child.send({ type: 'restart', downMs: STORM_DOWN_MS });
  const { at } = await s.child.next<{ at: number; upAt: number }>('restarted', 10_000);
  const results = await Promise.all(
    clients.map((client) =>
      client.next<{ attempts: number[]; backAt: number[]; downAt: number[]; back: number }>('result', 90_000),
    ),
  );
  s.child.send({ type: 'accepts' });
  const { times } = await s.child.next<{ times: number[] }>('accepts', 10_000);
  for (const client of clients) await client.stop();
  await s.child.stop();
  const attempts = results.flatMap((r) => r.attempts);
  const backAt = results.flatMap((r) => r.backAt);
  const downAt = results.flatMap((r) => r.downAt);
  const back = results.reduce((n, r) => n + r.back, 0);
  const binOf = (t: number) => Math.floor((t - at) / BIN_MS);
  const acceptBins: number[] = [];
  for (const t of times) {
    const b = binOf(t);
    if (b >= 0) acceptBins[b] = (acceptBins[b] ?? 0) + 1;
  }
  const bins: number[] = [];
  for (const t of attempts) {
    const b = binOf(t);
    if (b >= 0) bins[b] = (bins[b] ?? 0) + 1;
  }
  const row: StormRow = {
    label: storm.label,
    allBackMs: back === STORM_LINKS ? Math.max(...backAt) - at : Number.NaN,
    noticedMs: downAt.length > 0 ? Math.max(...downAt) - at : Number.NaN,
    back,
    peak: Math.max(0, ...Array.from(acceptBins, (v) => v ?? 0)),
    attempts: attempts.length,
    refused: attempts.length - times.length,
    bins: Array.from(bins, (v) => v ?? 0),
    color: storm.color,
  };
  storms.push(row);
  log(
    `storm ${storm.label}: all back after ${fmt(row.allBackMs)} ms, peak ${row.peak} accepts/100 ms, ${row.attempts} attempts`,
  );
}
const stormTable = table(
  [
    `client (${fmt(STORM_LINKS)} links in ${STORM_PROCESSES} processes)`,
    'all back after (ms)',
    `peak accepts / ${BIN_MS} ms`,
    'attempts',
    'refused (server down)',
    'last drop noticed after (ms)',
  ],
  storms.map((r) => [
    r.label,
    Number.isFinite(r.allBackMs) ? fmt(r.allBackMs) : `${r.back} of ${STORM_LINKS} back in 60 s`,
    fmt(r.peak),
    fmt(r.attempts),
    fmt(r.refused),
    fmt(r.noticedMs),
  ]),
  ['l', 'r', 'r', 'r', 'r', 'r'],
);
log(`\n${stormTable}\n`);

// ── write ────────────────────────────────────────────────────────────────────────────────────

const svg = stormSvg(
  storms.map((r) => ({ name: r.label, color: r.color, bins: r.bins }) satisfies Series),
  BIN_MS,
  `Reconnect storm: ${fmt(STORM_LINKS)} links in ${STORM_PROCESSES} processes, server down ${STORM_DOWN_MS} ms`,
  STORM_DOWN_MS,
);
const lv = (size: number) => echoRows.find((r) => r.name === 'linkvisor' && r.size === size);
const totalS = (performance.now() - started) / 1000;
const generated = [
  `Run of ${new Date().toISOString().slice(0, 10)}${QUICK ? ' (--quick: short, not for the record)' : ''}, ${fmt(totalS)} s in all.`,
  '',
  `Machine: ${machine.cpu}, ${machine.memory}, ${machine.os}. Node ${machine.node}. ${machine.packages.join(', ')}.`,
  '',
  `### Echo throughput (1 connection, ${IN_FLIGHT} in flight, ${ROUNDS} interleaved rounds of ${MEASURE_MS / 1000} s in 8 windows; server and client each pinned to a core)`,
  '',
  echoTable,
  '',
  `linkvisor: ${fmt(lv(64)?.ratio ?? Number.NaN, 3)} of raw ws at 64 B (target ≥ 0.99), ${fmt(lv(4096)?.ratio ?? Number.NaN, 3)} at 4 KiB (target ≥ 0.98), the best quarter-second window of ${ROUNDS} runs against raw ws's; ${fmt(lv(64)?.pairedRatio ?? Number.NaN, 3)} and ${fmt(lv(4096)?.pairedRatio ?? Number.NaN, 3)} as the median of the rounds' ratios. Noise of this run: raw ws's whole-run rate varied by ${fmt(100 * (lv(64)?.rawNoise ?? Number.NaN), 0)} % (64 B) and ${fmt(100 * (lv(4096)?.rawNoise ?? Number.NaN), 0)} % (4 KiB) between its own ${ROUNDS} runs: differences below that are not the clients'. Messages that arrived with the wrong length, all clients: ${echoRows.reduce((n, r) => n + r.bad, 0)}.`,
  '',
  '### The data path in isolation (what the library adds per message, no socket)',
  '',
  datapathTable,
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
  actorTable,
  '',
  `### Reconnect storm (${fmt(STORM_LINKS)} links in ${STORM_PROCESSES} processes, one restart, server down ${STORM_DOWN_MS} ms)`,
  '',
  stormTable,
  '',
  '![Reconnect storm: attempts over time](docs/bench-storm.svg)',
].join('\n');

if (!QUICK) {
  writeFileSync(path.join(ROOT, 'docs/bench-storm.svg'), svg);
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
  log('--quick: BENCHMARKS.md and docs/bench-storm.svg left as they are');
}
// Resumable sessions: resume on vs off vs raw ws (its own section of BENCHMARKS.md).
await runResumeBench({ quick: QUICK, log });
// Resumable sessions under a long outage: heap flat at the bounds (its own section).
await runOutageBench({ quick: QUICK, log });
log(`done in ${fmt(totalS)} s (the resume section apart)`);
