/**
 * What a link costs at scale (issue 11), side by side: for raw `ws`, reconnecting-websocket,
 * partysocket and linkvisor, heap per idle connected client and the time to open them all (at most
 * 200 opening at once, bench/idle-client.ts); `count` clients opened in one synchronous loop against a `ws` server
 * in its own process (µs per open()/connect() call, the longest event-loop stall until all are
 * open, time until all are open); and linkvisor alone on the memory transport: 10,000 links
 * (connect() µs per call, longest stall, time until all ready, heap per link), 1,000 dropped at
 * once (until the last noticed), and the lifecycle step (µs per ready → reconnecting → ready).
 * Each measurement is `repeat` fresh processes; the tables give the median and the range.
 *
 * `npm run bench` runs it with the rest; alone: node --import tsx bench/lean.ts [--repeat 3] [--quick]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLIENT_CPU, startChild, startServer } from './child.js';
import { CONTENDERS, type ContenderName } from './contenders.js';
import { fmt, table } from './report.js';

export interface LeanOptions {
  repeat: number;
  idleLinks: number;
  burstLinks: number;
  memoryLinks: number;
  dropLinks: number;
  cycles: number;
  log: (line: string) => void;
}

interface BurstResult {
  callUs: number;
  openAllMs: number;
  maxStallMs: number;
}
interface MemoryResult extends BurstResult {
  heapPerLink: number;
  dropNoticeMs: number;
  stepUs: number;
}

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

/** `median (min–max)` of a measure over the repeats. */
function spread(values: number[], digits = 0): string {
  if (values.length === 1) return fmt(values[0] as number, digits);
  return `${fmt(median(values), digits)} (${fmt(Math.min(...values), digits)}–${fmt(Math.max(...values), digits)})`;
}

interface IdleResult {
  openMs: number;
  heapPerLink: number;
}

/** One client child against a fresh `hold` server (each on a core of its own): its result. */
async function againstServer<T>(script: string, args: (url: string) => string[]): Promise<T> {
  const server = await startServer('hold');
  const client = startChild(script, args(server.url), { nodeFlags: ['--expose-gc'], cpu: CLIENT_CPU });
  const result = await client.next<T>('result', 180_000);
  await client.stop();
  await server.child.stop();
  return result;
}

export async function runLean(
  options: LeanOptions,
): Promise<{ idleTable: string; burstTable: string; memoryTable: string }> {
  const { repeat, log } = options;
  const idle = new Map<ContenderName, IdleResult[]>();
  for (let round = 0; round < repeat; round++) {
    for (const name of CONTENDERS) {
      const result = await againstServer<IdleResult>('idle-client.ts', (url) => [
        name,
        url,
        String(options.idleLinks),
        '200',
      ]);
      idle.set(name, [...(idle.get(name) ?? []), result]);
      log(
        `idle ${options.idleLinks} ${name}: ${fmt(result.heapPerLink)} B/link, opened in ${fmt(result.openMs)} ms`,
      );
    }
  }
  const bursts = new Map<ContenderName, BurstResult[]>();
  for (let round = 0; round < repeat; round++) {
    for (const name of CONTENDERS) {
      const result = await againstServer<BurstResult>('lean-client.ts', (url) => [
        'burst',
        name,
        url,
        String(options.burstLinks),
      ]);
      bursts.set(name, [...(bursts.get(name) ?? []), result]);
      log(
        `burst ${options.burstLinks} ${name}: ${fmt(result.callUs, 1)} µs/call, stall ${fmt(result.maxStallMs)} ms, all open ${fmt(result.openAllMs)} ms`,
      );
    }
  }
  const memory: MemoryResult[] = [];
  for (let round = 0; round < repeat; round++) {
    const child = startChild(
      'lean-client.ts',
      ['memory', String(options.memoryLinks), String(options.dropLinks), String(options.cycles)],
      { nodeFlags: ['--expose-gc'] },
    );
    const result = await child.next<MemoryResult>('result', 180_000);
    await child.stop();
    memory.push(result);
    log(
      `memory ${options.memoryLinks}: ${fmt(result.callUs, 1)} µs/connect, stall ${fmt(result.maxStallMs)} ms, all ready ${fmt(result.openAllMs)} ms, ${fmt(result.heapPerLink)} B/link; drop ${options.dropLinks}: ${fmt(result.dropNoticeMs)} ms; step ${fmt(result.stepUs, 1)} µs`,
    );
  }
  const idleOf = (name: ContenderName, key: keyof IdleResult) => (idle.get(name) ?? []).map((r) => r[key]);
  const rawHeap = median(idleOf('ws', 'heapPerLink'));
  const rawOpen = median(idleOf('ws', 'openMs'));
  const idleTable = table(
    [
      `${fmt(options.idleLinks)} idle connected clients, ws server (at most 200 opening at once)`,
      'heap B/link after full GC',
      'over raw ws (median)',
      `open all ${fmt(options.idleLinks)} (ms)`,
      'open time / raw ws (median)',
    ],
    CONTENDERS.map((name) => [
      name,
      spread(idleOf(name, 'heapPerLink')),
      name === 'ws' ? '—' : `+${fmt(median(idleOf(name, 'heapPerLink')) - rawHeap)}`,
      spread(idleOf(name, 'openMs')),
      fmt(median(idleOf(name, 'openMs')) / rawOpen, 2),
    ]),
    ['l', 'r', 'r', 'r', 'r'],
  );
  const of = (name: ContenderName, key: keyof BurstResult) => (bursts.get(name) ?? []).map((r) => r[key]);
  const burstTable = table(
    [
      `${fmt(options.burstLinks)} clients opened in one loop, ws server`,
      'µs per open() / connect()',
      'longest event-loop stall (ms)',
      'all open after (ms)',
    ],
    CONTENDERS.map((name) => [
      name,
      spread(of(name, 'callUs'), 1),
      spread(of(name, 'maxStallMs')),
      spread(of(name, 'openAllMs')),
    ]),
    ['l', 'r', 'r', 'r'],
  );
  const m = (key: keyof MemoryResult, digits = 0) =>
    spread(
      memory.map((r) => r[key]),
      digits,
    );
  const memoryTable = table(
    ['linkvisor on the memory transport (default options, heartbeat on)', 'median (range)'],
    [
      [`connect() µs per call, ${fmt(options.memoryLinks)} links`, m('callUs', 1)],
      [`longest event-loop stall while ${fmt(options.memoryLinks)} open (ms)`, m('maxStallMs')],
      [`all ${fmt(options.memoryLinks)} ready after (ms)`, m('openAllMs')],
      ['heap per ready link, its in-process peer included (B)', m('heapPerLink')],
      [`${fmt(options.dropLinks)} links dropped at once: last drop noticed after (ms)`, m('dropNoticeMs')],
      ['lifecycle step: CPU µs per ready → reconnecting → ready cycle', m('stepUs', 1)],
    ],
    ['l', 'r'],
  );
  return { idleTable, burstTable, memoryTable };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes('--quick');
  const at = process.argv.indexOf('--repeat');
  const repeat = at > 0 ? Number(process.argv[at + 1]) : 1;
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const { idleTable, burstTable, memoryTable } = await runLean({
    repeat,
    idleLinks: quick ? 1_000 : 5_000,
    burstLinks: quick ? 1_000 : 5_000,
    memoryLinks: quick ? 2_000 : 10_000,
    dropLinks: 1_000,
    cycles: quick ? 500 : 2_000,
    log,
  });
  log(`\n${idleTable}\n\n${burstTable}\n\n${memoryTable}`);
}
