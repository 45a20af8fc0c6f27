/**
 * Memory of resumable sessions under a long outage (docs/resume.md): the heap a link and its
 * server session hold while 1×, 10× and 100× their bounds are sent during an outage
 * (bench/outage-client.ts, plain node with --expose-gc). Flat means the bounds hold: what is not
 * held is reported (`dropped`), never kept. Writes its own section of BENCHMARKS.md.
 *
 *   node --import tsx bench/resume-outage.ts [--quick]      (also part of `npm run bench`)
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BENCH_DIR, startChild } from './child.js';
import { fmt, table, writeSection } from './report.js';

const START = '<!-- bench:resume-outage:start (written by `npm run bench`; edit outside these markers) -->';
const END = '<!-- bench:resume-outage:end -->';

interface Row {
  sentTimesBound: number;
  held: number;
  reported: number;
  heapOverBaselineBytes: number;
}
interface Result {
  bound: number;
  messageBytes: number;
  client: Row[];
  server: Row[];
}

/** Runs the section and logs its table; writes its section of BENCHMARKS.md unless `quick` or
 * `write: false` (`npm run bench -- --only`). */
export async function runOutageBench(
  options: { quick?: boolean; write?: boolean; log?: (line: string) => void } = {},
) {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const bound = options.quick ? 200 : 1_000;
  const child = startChild('outage-client.ts', [String(bound)], { nodeFlags: ['--expose-gc'] });
  const result = await child.next<Result>('result', 300_000);
  await child.stop();
  const kib = (bytes: number) => `${fmt(bytes / 1024, 0)} KiB`;
  const row = (side: string) => (r: Row) => [
    side,
    `${fmt(r.sentTimesBound * result.bound)} (${r.sentTimesBound}×)`,
    fmt(r.held),
    fmt(r.reported),
    kib(r.heapOverBaselineBytes),
  ];
  const rows = [...result.client.map(row('client link')), ...result.server.map(row('server session'))];
  const generated = [
    `Run of ${new Date().toISOString().slice(0, 10)}${options.quick ? ' (--quick: not for the record)' : ''}, Node ${process.version}. Bound ${fmt(result.bound)} messages of ${result.messageBytes} B on each side (client: outbound queue drop-oldest + replay buffer; server: replay buffer, then \`overflow\`). Heap: least of three full collections, over the baseline taken when the outage began.`,
    '',
    table(['side', 'sent while away', 'held', 'reported dropped', 'heap over baseline'], rows),
  ].join('\n');
  log(`\n${generated}\n`);
  if (options.quick || options.write === false) return;
  writeSection(path.join(BENCH_DIR, '..', 'BENCHMARKS.md'), generated, { start: START, end: END });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runOutageBench({ quick: process.argv.includes('--quick') });
}
