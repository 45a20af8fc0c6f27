/**
 * Reconnect storm (the storm section of `npm run bench`): 1,000 links in 4 client processes
 * (bench/storm-client.ts) against a `hold` server that restarts once (500 ms down): time until all
 * are back, peak accepts per 100 ms, total attempts, refused attempts and when the last drop was
 * noticed; linkvisor with default jitter and with jitter off, and the peers with their defaults.
 * Returns the table and the chart (docs/bench-storm.svg) of the attempts over time.
 */

import type { BenchSectionOptions } from './bench-args.js';
import { startChild, startServer } from './child.js';
import type { ContenderName } from './contenders.js';
import { fmt, type Series, stormSvg, table } from './report.js';

const DOWN_MS = 500;
const PROCESSES = 4;
const BIN_MS = 100;

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

/** What the storm section measured: its table, its chart, and the figures its heading names. */
export interface StormBench {
  table: string;
  svg: string;
  links: number;
  processes: number;
  downMs: number;
}

/** Counts of `times` per BIN_MS bin after `at` (times before `at` left out). */
function binned(times: number[], at: number): number[] {
  const bins: number[] = [];
  for (const t of times) {
    const b = Math.floor((t - at) / BIN_MS);
    if (b >= 0) bins[b] = (bins[b] ?? 0) + 1;
  }
  return Array.from(bins, (v) => v ?? 0);
}

/** One storm: its links in PROCESSES client processes, one server restart. */
async function storm(run: (typeof STORMS)[number], links: number): Promise<StormRow> {
  const s = await startServer('hold');
  // The links of a fleet live in several processes: one process handling the drop of all 1,000
  // would itself spread (or bunch) the attempts while it works through them.
  const clients = Array.from({ length: PROCESSES }, () =>
    startChild('storm-client.ts', [run.contender, s.url, String(links / PROCESSES), run.jitter]),
  );
  for (const client of clients) await client.next('ready', 120_000);
  for (const client of clients) client.send({ type: 'watch' });
  for (const client of clients) await client.next('watching', 10_000);
  s.child.send({ type: 'restart', downMs: DOWN_MS });
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
  return {
    label: run.label,
    allBackMs: back === links ? Math.max(...backAt) - at : Number.NaN,
    noticedMs: downAt.length > 0 ? Math.max(...downAt) - at : Number.NaN,
    back,
    peak: Math.max(0, ...binned(times, at)),
    attempts: attempts.length,
    refused: attempts.length - times.length,
    bins: binned(attempts, at),
    color: run.color,
  };
}

/** Runs the storm section (`quick`: 300 links instead of 1,000), logs its progress and its table. */
export async function runStormBench(options: BenchSectionOptions): Promise<StormBench> {
  const { log } = options;
  const links = options.quick ? 300 : 1_000;
  const storms: StormRow[] = [];
  for (const run of STORMS) {
    const row = await storm(run, links);
    storms.push(row);
    log(
      `storm ${run.label}: all back after ${fmt(row.allBackMs)} ms, peak ${row.peak} accepts/100 ms, ${row.attempts} attempts`,
    );
  }
  const stormTable = table(
    [
      `client (${fmt(links)} links in ${PROCESSES} processes)`,
      'all back after (ms)',
      `peak accepts / ${BIN_MS} ms`,
      'attempts',
      'refused (server down)',
      'last drop noticed after (ms)',
    ],
    storms.map((r) => [
      r.label,
      Number.isFinite(r.allBackMs) ? fmt(r.allBackMs) : `${r.back} of ${links} back in 60 s`,
      fmt(r.peak),
      fmt(r.attempts),
      fmt(r.refused),
      fmt(r.noticedMs),
    ]),
    ['l', 'r', 'r', 'r', 'r', 'r'],
  );
  log(`\n${stormTable}\n`);
  const svg = stormSvg(
    storms.map((r) => ({ name: r.label, color: r.color, bins: r.bins }) satisfies Series),
    BIN_MS,
    `Reconnect storm: ${fmt(links)} links in ${PROCESSES} processes, server down ${DOWN_MS} ms`,
    DOWN_MS,
  );
  return { table: stormTable, svg, links, processes: PROCESSES, downMs: DOWN_MS };
}
