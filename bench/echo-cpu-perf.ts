/**
 * Where an echo client's CPU per message goes, kernel included, contender against raw `ws`, side
 * by side: the set-up of bench/echo-cpu.ts (one echo server pinned to SERVER_CPU, a fresh client
 * process per arm and round pinned to CLIENT_CPU, `ws` and `ws'` as the A/A, all arms echoing at
 * once, 500 in flight each, 64 B then 4 KiB in the same processes), with Linux
 * `perf record -e cpu-clock` on the client core around each measured window (clients run with
 * `--perf-basic-prof`, so JIT-compiled JavaScript has names, with V8's tier mark: `*` optimised,
 * `^` baseline). cpu-clock samples a thread only while it is on the CPU (a V8 `--cpu-prof` profile
 * samples the main thread's wall time: with three clients on one core it charges the waits to
 * whatever function was running). An arm's samples give how its CPU time divides; the amount is
 * `process.cpuUsage()` over the measured window, per message echoed: ns per message by group
 * (kernel, JavaScript by source, V8 builtins, GC, the rest of node, libc) and by symbol within each,
 * for each arm, with the contender − `ws` difference beside the A/A's (`ws'` − `ws`). Also system
 * calls and context switches per 1,000 messages (bench/echo-cpu-client.ts reads /proc/self/io).
 * WATCH=<text> prints each round's ns per message of the symbols containing <text>, per arm (a
 * JIT outcome of one process, e.g. WATCH=buffer-util: ws's mask loop not inlined into `frame`).
 *
 * Needs `perf` and the right to profile CPU-wide (root, or kernel.perf_event_paranoid ≤ 0).
 * Usage: node --import tsx bench/echo-cpu-perf.ts [rounds=6] [contender=linkvisor] [sizes=64,4096] [seconds=1.5] [top=30] [seconds of warm-up=3]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BenchChild, CLIENT_CPU, startChild, startServer } from './child.js';
import type { ContenderName } from './contenders.js';
import { fmt, table } from './report.js';

const [roundsArg = '6', contender = 'linkvisor', sizesArg = '64,4096', secondsArg = '1.5', topArg = '30'] =
  process.argv.slice(2);
const ROUNDS = Number(roundsArg);
const SIZES = sizesArg.split(',').map(Number);
const MEASURE_S = Number(secondsArg);
const WARMUP_MS = 1000 * Number(process.argv[7] ?? '3');
const IN_FLIGHT = 500;
const FREQ = 20_000;
/** Seconds recorded before and after the measured window. */
const MARGIN_S = 0.25;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const dir = mkdtempSync(path.join(os.tmpdir(), 'echo-perf-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

interface Mark {
  cpuUs: number;
  messages: number;
  reads: number;
  writes: number;
  voluntary: number;
  involuntary: number;
}

const ARMS = [
  { label: 'ws', contender: 'ws' },
  { label: "ws'", contender: 'ws' },
  { label: contender, contender },
] as const;

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.resume();
    child.on('error', reject);
    child.on('exit', () => resolve(Buffer.concat(out).toString()));
  });
}

/** A symbol's group: where its time is spent. */
function groupOf(dso: string, sym: string): string {
  if (dso.includes('kernel')) return 'kernel';
  if (sym.startsWith('Builtins_')) return 'V8 builtins';
  if (/Scavenge|Heap|GC|Mark|Sweep|Evacuat|Concurrent/i.test(sym) && dso.includes('node'))
    return 'V8 heap / GC';
  if (dso.includes('libc')) return 'libc';
  return 'node / V8 (C++)';
}

/** A process's JIT code map (`--perf-basic-prof`): entries in the order written. A later entry
 * wins where two overlap (code freed and its address reused: perf itself takes the first, and so
 * named the hot `frame` of ws after a module-loader function compiled at start-up). */
class JitMap {
  private readonly starts: number[] = [];
  private readonly entries: { start: number; end: number; name: string; order: number }[] = [];

  constructor(text: string) {
    const all = text
      .split('\n')
      .map((line, order) => {
        const m = /^([0-9a-f]+) ([0-9a-f]+) (.*)$/.exec(line);
        if (!m) return null;
        const start = Number.parseInt(m[1] as string, 16);
        return { start, end: start + Number.parseInt(m[2] as string, 16), name: m[3] as string, order };
      })
      .filter((e) => e !== null)
      .sort((x, y) => x.start - y.start);
    this.entries = all;
    this.starts = all.map((e) => e.start);
  }

  /** The newest entry covering `ip`. */
  lookup(ip: number): string | null {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.starts[mid] as number) <= ip) lo = mid + 1;
      else hi = mid;
    }
    let best: { name: string; order: number } | null = null;
    for (let i = lo - 1; i >= 0 && i >= lo - 400; i--) {
      const e = this.entries[i] as (typeof this.entries)[number];
      if (ip < e.end && (best === null || e.order > best.order)) best = e;
    }
    return best?.name ?? null;
  }
}

/** Each symbol's group. */
const groupOfSym = new Map<string, string>();

/** A JIT symbol's group: by the source it was compiled from. */
function jitGroup(name: string): string {
  if (/^(Builtin|BytecodeHandler|Stub|RegExp|Handler)/.test(name)) return 'V8 builtins (JIT map)';
  if (name.includes('/ws/lib/')) return 'JS: ws';
  if (name.includes('node:')) return 'JS: node internals';
  if (name.includes('echo-cpu-client.mjs')) return 'JS: client bundle (bench, linkvisor, peers)';
  return 'JS: other';
}

/** Samples by `symbol` and by group, per pid, from `perf script`. */
async function samplesByPid(
  file: string,
  pids: number[],
): Promise<Map<number, { sym: Map<string, number>; group: Map<string, number> }>> {
  const maps = new Map(pids.map((pid) => [pid, new JitMap(readFileSync(`/tmp/perf-${pid}.map`, 'utf8'))]));
  const text = await run('perf', ['script', '-i', file, '-F', 'pid,ip,sym,dso', '--no-demangle']);
  const out = new Map<number, { sym: Map<string, number>; group: Map<string, number> }>();
  for (const line of text.split('\n')) {
    // "  1234  ffffffff8100 do_syscall_64 ([kernel.kallsyms])"
    const m = /^\s*(\d+)\s+([0-9a-f]+)\s+(.*?)\s*\((.*)\)\s*$/.exec(line);
    if (!m) continue;
    const pid = Number(m[1]);
    const map = maps.get(pid);
    if (!map) continue;
    const dsoPath = m[4] as string;
    let name: string;
    let group: string;
    if (/perf-\d+\.map$/.test(dsoPath) || dsoPath === '[unknown]') {
      const found = map.lookup(Number.parseInt(m[2] as string, 16));
      name = found ?? '[unknown]';
      group = found ? jitGroup(found) : 'unknown';
    } else {
      name = (m[3] as string).replace(/\+0x[0-9a-f]+$/, '') || '[unknown]';
      group = groupOf(dsoPath, name);
    }
    // JIT code keeps its tier mark (V8: `*` optimised by TurboFan, `^` baseline, `~` interpreted).
    name = name.replace(/file:\/\/|\S*\/node_modules\/(\.cache\/linkvisor-bench-[^/]+\/)?/g, '');
    const sym = `${name} (${path.basename(dsoPath).replace(/^perf-\d+\.map$/, 'JIT')})`;
    groupOfSym.set(sym, group);
    let entry = out.get(pid);
    if (!entry) {
      entry = { sym: new Map(), group: new Map() };
      out.set(pid, entry);
    }
    entry.sym.set(sym, (entry.sym.get(sym) ?? 0) + 1);
    entry.group.set(group, (entry.group.get(group) ?? 0) + 1);
  }
  return out;
}

const server = await startServer('echo');
const sums = new Map<
  string,
  { sym: Map<string, number>; group: Map<string, number>; messages: number; cpuUs: number; counts: number[] }
>();
const sum = (key: string) => {
  let entry = sums.get(key);
  if (!entry) entry = { sym: new Map(), group: new Map(), messages: 0, cpuUs: 0, counts: [0, 0, 0, 0] };
  sums.set(key, entry);
  return entry;
};
const add = (into: Map<string, number>, from: Map<string, number>) => {
  for (const [key, n] of from) into.set(key, (into.get(key) ?? 0) + n);
};

for (let round = 0; round < ROUNDS; round++) {
  const order = ARMS.map((_, i) => ARMS[(i + round) % ARMS.length] as (typeof ARMS)[number]);
  const children: BenchChild[] = [];
  for (const arm of order) {
    const child = startChild('echo-cpu-client.ts', [arm.contender as ContenderName, server.url], {
      cpu: CLIENT_CPU,
      nodeFlags: ['--perf-basic-prof'],
    });
    await child.next('ready', 30_000);
    children.push(child);
  }
  for (const size of SIZES) {
    for (const child of children) child.send({ type: 'start', size, inFlight: IN_FLIGHT });
    await sleep(WARMUP_MS);
    const file = path.join(dir, `r${round}-${size}.data`);
    const markAll = async () => {
      for (const child of children) child.send({ type: 'mark' });
      return Promise.all(children.map((child) => child.next<Mark>('mark', 30_000)));
    };
    // perf records a little longer than the measured window, on both sides of it, so that the
    // window's CPU time (process.cpuUsage()) is all inside the recording.
    await markAll();
    const recorded = run('perf', [
      'record',
      '-e',
      'cpu-clock',
      '-F',
      String(FREQ),
      '-C',
      String(CLIENT_CPU),
      '-o',
      file,
      '--',
      'sleep',
      String(MEASURE_S + 2 * MARGIN_S),
    ]);
    await sleep(1000 * MARGIN_S);
    await markAll();
    await sleep(1000 * MEASURE_S);
    const marks = await markAll();
    await recorded;
    for (const child of children) child.send({ type: 'drain' });
    await Promise.all(children.map((child) => child.next('drained', 30_000)));
    const byPid = await samplesByPid(
      file,
      children.map((child) => child.proc.pid as number),
    );
    rmSync(file, { force: true });
    for (const [i, arm] of order.entries()) {
      const entry = sum(`${arm.label}@${size}`);
      const mark = marks[i] as Mark;
      entry.messages += mark.messages;
      entry.cpuUs += mark.cpuUs;
      for (const [k, key] of (['reads', 'writes', 'voluntary', 'involuntary'] as const).entries()) {
        entry.counts[k] = (entry.counts[k] as number) + mark[key];
      }
      const own = byPid.get(children[i]?.proc.pid as number);
      if (own) {
        add(entry.sym, own.sym);
        add(entry.group, own.group);
      }
    }
    // WATCH=<text>: each arm's ns per message in the symbols containing it, this round.
    const watch = process.env.WATCH;
    const watched = watch
      ? order.map((arm, i) => {
          const own = byPid.get(children[i]?.proc.pid as number)?.sym ?? new Map<string, number>();
          const hits = [...own]
            .filter(([key]) => key.includes(watch))
            .map(([key, n]) => {
              const all = [...own.values()].reduce((sum, v) => sum + v, 0);
              const perMsg = ((n / all) * (1000 * (marks[i] as Mark).cpuUs)) / (marks[i] as Mark).messages;
              return `${key.replace(/ \S+:\d+:\d+ \(JIT\)$/, '')} ${fmt(perMsg)}`;
            });
          return `${arm.label}: ${hits.join(', ') || '-'}`;
        })
      : [];
    process.stdout.write(
      `round ${round + 1}/${ROUNDS} ${size} B done${watch ? ` (${watched.join('; ')})` : ''}\n`,
    );
  }
  await Promise.all(children.map((child) => child.stop()));
  for (const child of children) rmSync(`/tmp/perf-${child.proc.pid}.map`, { force: true });
}
await server.child.stop();

for (const size of SIZES) {
  const [a, b, c] = ARMS.map((arm) => sums.get(`${arm.label}@${size}`));
  if (!a || !b || !c) continue;
  // perf gives how an arm's CPU time divides (its samples: perf's own start and exit leave the
  // edges of a recording uncertain); process.cpuUsage() over the measured window, how much there is.
  const samples = (entry: typeof a) => [...entry.group.values()].reduce((n, v) => n + v, 0);
  const cpuNs = (entry: typeof a) => (1000 * entry.cpuUs) / entry.messages;
  const ns = (entry: typeof a, map: 'sym' | 'group', key: string) =>
    ((entry[map].get(key) ?? 0) / samples(entry)) * cpuNs(entry);
  const line = (label: string, w: number, aa: number, it: number) => [
    label,
    fmt(w),
    fmt(aa),
    fmt(it),
    fmt(aa - w),
    fmt(it - w),
  ];
  const rowsOf = (map: 'sym' | 'group', top: number, group?: string) => {
    const keys = new Set([...a[map].keys(), ...b[map].keys(), ...c[map].keys()]);
    return [...keys]
      .filter((key) => group === undefined || groupOfSym.get(key) === group)
      .map((key) => ({ key, ws: ns(a, map, key), aa: ns(b, map, key), it: ns(c, map, key) }))
      .sort((x, y) => Math.abs(y.it - y.ws) - Math.abs(x.it - x.ws))
      .slice(0, top)
      .map((r) => line(r.key, r.ws, r.aa, r.it));
  };
  const header = ['', 'ws ns/msg', "ws' ns/msg", `${contender} ns/msg`, "ws' − ws", `${contender} − ws`];
  const align: ('l' | 'r')[] = ['l', 'r', 'r', 'r', 'r', 'r'];
  process.stdout.write(
    `\n${size} B, ${ROUNDS} rounds, ${a.messages} / ${b.messages} / ${c.messages} messages\n${table(
      header,
      [
        line('CPU (process.cpuUsage(), all threads)', cpuNs(a), cpuNs(b), cpuNs(c)),
        ...['read syscalls', 'write syscalls', 'voluntary switches', 'involuntary switches'].map(
          (label, k) => {
            const per = (entry: typeof a) => ((entry.counts[k] as number) * 1000) / entry.messages;
            return line(`${label} per 1,000 msg`, per(a), per(b), per(c));
          },
        ),
        ...rowsOf('group', 10),
      ],
      align,
    )}\n\n${[...new Set(groupOfSym.values())]
      .sort()
      .map((group) => `${group}, by symbol:\n${table(header, rowsOf('sym', Number(topArg), group), align)}`)
      .join('\n\n')}\n`,
  );
}
process.exit(0);
