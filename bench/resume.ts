/**
 * The cost of resumable sessions (docs/resume.md): echo throughput of raw `ws`, a linkvisor link
 * without resume and one with resume (against `linkvisor/server`: both sides number, buffer and
 * acknowledge), 500 messages in flight, 64 B and 4 KiB, server and client pinned to a core each.
 * Rounds interleave the three in a rotating order; the figure is the median of each round's ratio
 * to raw ws, with its range (the noise). Writes its own section of BENCHMARKS.md.
 *
 *   node --import tsx bench/resume.ts [--quick]      (also part of `npm run bench`)
 */
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BENCH_DIR, CLIENT_CPU, startChild, startServer } from './child.js';
import { fmt, median, table, writeSection } from './report.js';

const START = '<!-- bench:resume:start (written by `npm run bench`; edit outside these markers) -->';
const END = '<!-- bench:resume:end -->';
const CLIENTS = [
  { name: 'ws', server: 'echo', label: 'raw ws' },
  { name: 'linkvisor', server: 'echo', label: 'linkvisor, resume off' },
  { name: 'linkvisor+resume', server: 'resume', label: 'linkvisor, resume on' },
] as const;
const SIZES = [64, 4096];
const IN_FLIGHT = 500;

interface EchoResult {
  rate: number;
  bestWindowRate: number;
  cpuUsPerMessage: number;
  bad: number;
}

/** Runs the section and logs its table; writes its section of BENCHMARKS.md unless `quick` or
 * `write: false` (`npm run bench -- --only`). */
export async function runResumeBench(
  options: { quick?: boolean; write?: boolean; log?: (line: string) => void } = {},
) {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const rounds = options.quick ? 1 : 5;
  const warmupMs = options.quick ? 500 : 750;
  const measureMs = options.quick ? 1_000 : 2_000;
  const started = performance.now();
  const results = new Map<string, EchoResult[]>();
  const ratios = new Map<string, number[]>();
  for (let round = 0; round < rounds; round++) {
    for (const size of SIZES) {
      const thisRound = new Map<string, number>();
      for (let i = 0; i < CLIENTS.length; i++) {
        const client = CLIENTS[(i + round) % CLIENTS.length] as (typeof CLIENTS)[number];
        const server = await startServer(client.server);
        const child = startChild(
          'echo-client.ts',
          [client.name, server.url, String(size), String(IN_FLIGHT), String(warmupMs), String(measureMs)],
          { cpu: CLIENT_CPU },
        );
        const result = await child.next<EchoResult>('result', 60_000);
        await child.stop();
        await server.child.stop();
        const key = `${client.name}@${size}`;
        results.set(key, [...(results.get(key) ?? []), result]);
        thisRound.set(client.name, result.bestWindowRate);
        log(`resume echo ${size} B round ${round + 1}/${rounds} ${client.label}: ${fmt(result.rate)} msg/s`);
      }
      const raw = thisRound.get('ws') ?? Number.NaN;
      for (const [name, rate] of thisRound)
        ratios.set(`${name}@${size}`, [...(ratios.get(`${name}@${size}`) ?? []), rate / raw]);
    }
  }
  const rows = SIZES.flatMap((size) =>
    CLIENTS.map((client) => {
      const runs = results.get(`${client.name}@${size}`) ?? [];
      const r = ratios.get(`${client.name}@${size}`) ?? [];
      const offRatios = ratios.get(`linkvisor@${size}`) ?? [];
      const vsOff = r.map((x, i) => x / (offRatios[i] ?? Number.NaN));
      return [
        size === 64 ? '64 B' : '4 KiB',
        client.label,
        fmt(Math.max(...runs.map((x) => x.bestWindowRate))),
        `${fmt(median(r), 3)} (${fmt(Math.min(...r), 2)}–${fmt(Math.max(...r), 2)})`,
        client.name === 'linkvisor+resume'
          ? `${fmt(median(vsOff), 3)} (${fmt(Math.min(...vsOff), 2)}–${fmt(Math.max(...vsOff), 2)})`
          : '',
        fmt(median(runs.map((x) => x.cpuUsPerMessage)), 2),
        String(runs.reduce((n, x) => n + x.bad, 0)),
      ];
    }),
  );
  const cpu = `${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}`;
  const generated = [
    `Run of ${new Date().toISOString().slice(0, 10)}${options.quick ? ' (--quick: not for the record)' : ''}, ${fmt((performance.now() - started) / 1000, 0)} s. ${cpu}, Node ${process.version}; ${rounds} rounds, ${IN_FLIGHT} in flight, server and client on a core each. Ratios: median of the rounds (range).`,
    '',
    table(
      [
        'size',
        'client',
        'msg/s (best window)',
        'ratio to raw ws',
        'resume on / off',
        'client CPU µs/msg',
        'bad',
      ],
      rows,
    ),
  ].join('\n');
  log(`\n${generated}\n`);
  if (options.quick || options.write === false) return;
  writeSection(path.join(BENCH_DIR, '..', 'BENCHMARKS.md'), generated, { start: START, end: END });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runResumeBench({ quick: process.argv.includes('--quick') });
}
