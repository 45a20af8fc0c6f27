/**
 * Echo throughput (the echo section of `npm run bench`): raw `ws`, reconnecting-websocket,
 * partysocket and linkvisor at 64 B and 4 KiB, 500 in flight, client-side echo loop
 * (bench/echo-client.ts), the server in its own process; server and client pinned to a core each.
 * Rounds interleave the contenders in a rotating order; the table gives the best window of the
 * rounds as a ratio to raw ws's, and the median and range of each round's ratio; the client CPU per
 * message likewise as the median and range of each round's ratio to the same round's raw ws (a
 * ratio of two medians of separate runs carried the rounds' drift into it). bench/echo-cpu.ts
 * reads the CPU ratio finer (contenders side by side, an A/A of raw ws against itself).
 */
import type { BenchSectionOptions } from './bench-args.js';
import { CLIENT_CPU, startChild, startServer } from './child.js';
import { CONTENDERS, type ContenderName } from './contenders.js';
import { fmt, median, table } from './report.js';

const IN_FLIGHT = 500;
const SIZES = [64, 4096];

interface EchoResult {
  rate: number;
  /** The best of the run's 8 windows (each a quarter of a second with the default 2 s). */
  bestWindowRate: number;
  cpuUsPerMessage: number;
  bad: number;
}

/** One row of the echo table: a contender at a message size, over all the rounds. */
export interface EchoRow {
  size: number;
  name: ContenderName;
  /** msg/s: the best window of the rounds. */
  best: number;
  /** `best` over raw ws's best. */
  ratio: number;
  /** The median of each round's ratio to raw ws. */
  pairedRatio: number;
  spread: string;
  cpuUs: number;
  /** The median of each round's CPU µs/msg ratio to raw ws's. */
  cpuRatio: number;
  cpuSpread: string;
  bad: number;
  /** How much raw ws's whole-run rate varied between its own rounds (max / min − 1). */
  rawNoise: number;
}

/** What the echo section measured, and how. */
export interface EchoBench {
  table: string;
  rows: EchoRow[];
  rounds: number;
  inFlight: number;
  measureMs: number;
  /** Raw ws's client CPU µs per message at `size` (the median of the rounds). */
  rawWsCpuUs(size: number): number;
}

/** Runs the echo section (`quick`: one short round), logs its progress and its table. */
export async function runEchoBench(options: BenchSectionOptions): Promise<EchoBench> {
  const { log } = options;
  const rounds = options.quick ? 1 : 6;
  // 3 s: a fresh client process's send/receive chain is still being recompiled by TurboFan well
  // after 0.75 s at 4 KiB (BENCHMARKS.md, round 16 (echo)); measuring inside it charged that to
  // the contender with the longest chain.
  const warmupMs = options.quick ? 500 : 3_000;
  const measureMs = options.quick ? 1_000 : 2_000;
  const echo = new Map<string, EchoResult[]>();
  /** rate / the same round's raw ws rate, per contender and size. */
  const echoRatios = new Map<string, number[]>();
  /** CPU µs/msg / the same round's raw ws CPU µs/msg, per contender and size. */
  const cpuRatios = new Map<string, number[]>();
  for (let round = 0; round < rounds; round++) {
    for (const size of SIZES) {
      // Rotate the order each round: no contender always runs first (or last) on a warm machine.
      const order = CONTENDERS.map((_, i) => CONTENDERS[(i + round) % CONTENDERS.length] as ContenderName);
      const thisRound = new Map<ContenderName, number>();
      const cpuThisRound = new Map<ContenderName, number>();
      for (const name of order) {
        const s = await startServer('echo');
        const client = startChild(
          'echo-client.ts',
          [name, s.url, String(size), String(IN_FLIGHT), String(warmupMs), String(measureMs)],
          { cpu: CLIENT_CPU },
        );
        const result = await client.next<EchoResult>('result', 60_000);
        await client.stop();
        await s.child.stop();
        const key = `${name}@${size}`;
        echo.set(key, [...(echo.get(key) ?? []), result]);
        thisRound.set(name, result.bestWindowRate);
        cpuThisRound.set(name, result.cpuUsPerMessage);
        log(`echo ${size} B round ${round + 1}/${rounds} ${name}: ${fmt(result.rate)} msg/s`);
      }
      const raw = thisRound.get('ws') ?? Number.NaN;
      for (const [name, rate] of thisRound) {
        const key = `${name}@${size}`;
        echoRatios.set(key, [...(echoRatios.get(key) ?? []), rate / raw]);
      }
      const rawCpu = cpuThisRound.get('ws') ?? Number.NaN;
      for (const [name, cpu] of cpuThisRound) {
        const key = `${name}@${size}`;
        cpuRatios.set(key, [...(cpuRatios.get(key) ?? []), cpu / rawCpu]);
      }
    }
  }

  const rows = SIZES.flatMap((size) => {
    const rawRuns = echo.get(`ws@${size}`) ?? [];
    const rawBest = Math.max(...rawRuns.map((r) => r.bestWindowRate));
    const rawMin = Math.min(...rawRuns.map((r) => r.rate));
    const rawMax = Math.max(...rawRuns.map((r) => r.rate));
    return CONTENDERS.map((name): EchoRow => {
      const runs = echo.get(`${name}@${size}`) ?? [];
      const ratios = echoRatios.get(`${name}@${size}`) ?? [];
      const best = Math.max(...runs.map((r) => r.bestWindowRate));
      const cpuUs = median(runs.map((r) => r.cpuUsPerMessage));
      const cpu = cpuRatios.get(`${name}@${size}`) ?? [];
      return {
        size,
        name,
        best,
        ratio: best / rawBest,
        pairedRatio: median(ratios),
        spread: `${fmt(Math.min(...ratios), 2)}–${fmt(Math.max(...ratios), 2)}`,
        cpuUs,
        cpuRatio: median(cpu),
        cpuSpread: `${fmt(Math.min(...cpu), 2)}–${fmt(Math.max(...cpu), 2)}`,
        bad: runs.reduce((n, r) => n + r.bad, 0),
        rawNoise: rawMax / rawMin - 1,
      };
    });
  });
  const echoTable = table(
    [
      'size',
      'client',
      `msg/s (best window of ${rounds} runs)`,
      'ratio to ws (best)',
      'ratio, median of rounds',
      'ratio range',
      'client CPU µs/msg',
      'CPU vs ws, median of rounds',
      'CPU range',
    ],
    rows.map((r) => [
      r.size === 64 ? '64 B' : '4 KiB',
      r.name,
      fmt(r.best),
      fmt(r.ratio, 3),
      fmt(r.pairedRatio, 3),
      r.spread,
      fmt(r.cpuUs, 2),
      fmt(r.cpuRatio, 3),
      r.cpuSpread,
    ]),
    ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
  log(`\n${echoTable}\n`);
  return {
    table: echoTable,
    rows,
    rounds,
    inFlight: IN_FLIGHT,
    measureMs,
    rawWsCpuUs: (size) => median((echo.get(`ws@${size}`) ?? []).map((r) => r.cpuUsPerMessage)),
  };
}
