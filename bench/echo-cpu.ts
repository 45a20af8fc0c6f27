/**
 * Echo client CPU per message, paired: can it read a 1 % difference? The echo section's runs are
 * minutes apart on a shared machine, and an echo client's CPU per message moves with the machine's
 * load (a busier server core means smaller socket reads, so more system calls per message): raw
 * `ws` against itself varies by 10–30 % there. Here:
 *
 * - one echo server (bench/server.ts) for the whole run, pinned to SERVER_CPU;
 * - each round starts a fresh client process per arm (bench/echo-cpu-client.ts), all pinned to
 *   CLIENT_CPU: two raw `ws` arms (`ws` and `ws'`, the A/A) and each contender named (started in
 *   an order that rotates each round);
 * - `together` (the default): at each size, all arms echo at the same time (500 in flight each,
 *   3 s of warm-up), so that they share the same load, server and core; each one's CPU time
 *   (`process.cpuUsage()`: user + system, every thread) and messages over the same measured window;
 *   `alternate`: the arms echo one after the other, as the echo section runs them;
 * - the warm-up is long because 4 KiB is echoed second, by the processes that echoed 64 B: the
 *   size change deoptimises ws's and Buffer's send and receive code, and with three clients on one
 *   core a 0.75 s warm-up (the earlier default) leaves each ~0.25 s of CPU, too little for V8 to
 *   re-optimise a link's longer call chain: the recompiling fell into the measured window and
 *   read as a 4 KiB excess of linkvisor (BENCHMARKS.md, Round 16 (echo));
 * - each round's ratio to the same round's `ws` arm is a paired ratio; the table gives the median
 *   of the rounds' ratios with their quartiles and range, the A/A (`ws'` / `ws`) first: a
 *   difference between a contender and raw ws is readable only where it is larger than the A/A's.
 *
 * Usage: node --import tsx bench/echo-cpu.ts [rounds=12] [contender,…=linkvisor] [together|alternate] [seconds measured=1] [seconds of warm-up=3]
 */
import { type BenchChild, CLIENT_CPU, startChild, startServer } from './child.js';
import { CONTENDERS, type ContenderName } from './contenders.js';
import { fmt, median, table } from './report.js';

const [
  roundsArg = '12',
  contendersArg = 'linkvisor',
  modeArg = 'together',
  secondsArg = '1',
  warmupArg = '3',
] = process.argv.slice(2);
const ROUNDS = Number(roundsArg);
const contenders = contendersArg.split(',').filter(Boolean) as ContenderName[];
for (const name of contenders) {
  if (!(CONTENDERS as readonly string[]).includes(name)) throw new Error(`unknown contender ${name}`);
}
if (modeArg !== 'alternate' && modeArg !== 'together') {
  throw new Error(`mode: together or alternate, got ${modeArg}`);
}
const MODE = modeArg;
const MEASURE_MS = 1000 * Number(secondsArg);
const WARMUP_MS = 1000 * Number(warmupArg);
const IN_FLIGHT = 500;
const SIZES = [64, 4096];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An arm: a label and the contender it runs. */
interface Arm {
  label: string;
  contender: ContenderName;
}
const ARMS: Arm[] = [
  { label: 'ws', contender: 'ws' },
  { label: "ws'", contender: 'ws' },
  // A contender named twice (or `ws` again) gets primes: `ws''`.
  ...contenders.map((name, i) => ({
    label:
      name + "'".repeat(contenders.slice(0, i).filter((n) => n === name).length + (name === 'ws' ? 2 : 0)),
    contender: name,
  })),
];

interface Mark {
  cpuUs: number;
  messages: number;
  ms: number;
  bad: number;
}

/** Marks every child at (nearly) the same moment; their answers. */
async function mark(children: BenchChild[]): Promise<Mark[]> {
  for (const child of children) child.send({ type: 'mark' });
  return Promise.all(children.map((child) => child.next<Mark>('mark', 30_000)));
}

/** Runs `children` at `size` (at the same time): warm-up, then the measured window; its marks. */
async function measure(children: BenchChild[], size: number): Promise<Mark[]> {
  for (const child of children) child.send({ type: 'start', size, inFlight: IN_FLIGHT });
  await sleep(WARMUP_MS);
  await mark(children);
  await sleep(MEASURE_MS);
  const marks = await mark(children);
  for (const child of children) child.send({ type: 'drain' });
  await Promise.all(children.map((child) => child.next('drained', 30_000)));
  return marks;
}

const server = await startServer('echo');
/** µs per message, by `label@size`, one entry per round. */
const cpuPerMessage = new Map<string, number[]>();
const rates = new Map<string, number[]>();
let bad = 0;
const push = (map: Map<string, number[]>, key: string, value: number) =>
  map.set(key, [...(map.get(key) ?? []), value]);

for (let round = 0; round < ROUNDS; round++) {
  const clients = new Map<string, BenchChild>();
  // Started (and run) in an order that rotates each round.
  const order = ARMS.map((_, i) => ARMS[(i + round) % ARMS.length] as Arm);
  for (const arm of order) {
    const child = startChild('echo-cpu-client.ts', [arm.contender, server.url], { cpu: CLIENT_CPU });
    await child.next('ready', 30_000);
    clients.set(arm.label, child);
  }
  for (const size of SIZES) {
    const results = new Map<string, Mark>();
    if (MODE === 'together') {
      const marks = await measure(
        order.map((arm) => clients.get(arm.label) as BenchChild),
        size,
      );
      for (const [i, arm] of order.entries()) results.set(arm.label, marks[i] as Mark);
    } else {
      for (const arm of order) {
        const [result] = await measure([clients.get(arm.label) as BenchChild], size);
        results.set(arm.label, result as Mark);
      }
    }
    const line: string[] = [];
    for (const arm of order) {
      const done = results.get(arm.label) as Mark;
      bad += done.bad;
      push(cpuPerMessage, `${arm.label}@${size}`, done.cpuUs / done.messages);
      push(rates, `${arm.label}@${size}`, done.messages / (done.ms / 1000));
      line.push(`${arm.label} ${fmt(done.cpuUs / done.messages, 3)}`);
    }
    process.stdout.write(`round ${round + 1}/${ROUNDS} ${size} B µs/msg: ${line.join(', ')}\n`);
  }
  await Promise.all([...clients.values()].map((child) => child.stop()));
}
await server.child.stop();

const rows = SIZES.flatMap((size) => {
  const base = cpuPerMessage.get(`ws@${size}`) ?? [];
  return ARMS.map((arm) => {
    const own = cpuPerMessage.get(`${arm.label}@${size}`) ?? [];
    const ratios = own.map((v, i) => v / (base[i] as number));
    const sorted = [...ratios].sort((a, b) => a - b);
    const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
    return [
      size === 64 ? '64 B' : '4 KiB',
      arm.label,
      fmt(median(own), 3),
      fmt(median(rates.get(`${arm.label}@${size}`) ?? [])),
      fmt(median(ratios), 4),
      `${fmt(q(0.25), 3)}–${fmt(q(0.75), 3)}`,
      `${fmt(Math.min(...ratios), 3)}–${fmt(Math.max(...ratios), 3)}`,
    ];
  });
});
process.stdout.write(
  `\n${table(
    [
      'size',
      'client',
      'CPU µs/msg (median)',
      'msg/s (median)',
      'CPU vs ws, median of paired rounds',
      'quartiles',
      'range',
    ],
    rows,
    ['l', 'l', 'r', 'r', 'r', 'r', 'r'],
  )}\n\n${ROUNDS} rounds (${MODE}), ${IN_FLIGHT} in flight, ${MEASURE_MS / 1000} s measured per run after ${WARMUP_MS / 1000} s of warm-up; messages with the wrong length: ${bad}\n`,
);
process.exit(0);
