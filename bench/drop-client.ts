/**
 * A mass drop as one result for bench/tree-ab.ts: `count` linkvisor links on `ws` against a
 * `server.ts hold` this script forks (its path is the first argument: a tree-ab child is compiled
 * elsewhere), the server restarted once (`drops` = 1) or twice (the links' second drop measured,
 * after their reconnect), as bench/profile-drop.ts measures it without a profiler. Reports
 * { type: 'result', lastLostMs, cpuMs, mainMs, othersMs } (othersMs: every thread but the main one,
 * V8's compiler and GC workers among them; Linux).
 *
 *   node --import tsx bench/tree-ab.ts <base> drop-client.ts --rounds 6 -- "$PWD/bench/server.ts" 250 [2]
 */
import { fork } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createSupervisor } from '../src/index.js';
import { report } from './child.js';

const [serverPath = '', countArg = '250', dropsArg = '1'] = process.argv.slice(2);
const count = Number(countArg);
const drops = Number(dropsArg);

const server = fork(serverPath, ['hold'], {
  execArgv: ['--import', 'tsx'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const { port } = await new Promise<{ port: number }>((resolve) =>
  server.on('message', (m: { type: string; port: number }) => m.type === 'listening' && resolve(m)),
);
// No retry within the measurement (as profile-drop.ts).
const supervisor = createSupervisor({ backoff: { jitter: 'none', initialDelayMs: 5_000 } });
const links = Array.from({ length: count }, () => supervisor.connect(`ws://127.0.0.1:${port}/`));
await Promise.all(links.map((link) => link.ready()));
let noticed = 0;
let last = 0;
let done = () => {};
for (const link of links) {
  link.on('lost', () => {
    last = performance.now();
    if (++noticed === count) done();
  });
}

/** Each thread's time on a CPU so far, ns (/proc/self/task/<tid>/schedstat). */
function threadTimes(): Map<string, number> {
  const times = new Map<string, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      times.set(tid, Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]));
    } catch {
      // The thread ended meanwhile.
    }
  }
  return times;
}

let result = {};
for (let drop = 1; drop <= drops; drop++) {
  noticed = 0;
  const all = new Promise<void>((resolve) => {
    done = resolve;
  });
  const before = threadTimes();
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  server.send({ type: 'restart', downMs: 1_000 });
  await all;
  const cpu = process.cpuUsage(cpuStart);
  const after = threadTimes();
  let main = 0;
  let others = 0;
  for (const [tid, ns] of after) {
    if (tid === String(process.pid)) main += ns - (before.get(tid) ?? 0);
    else others += ns - (before.get(tid) ?? 0);
  }
  result = {
    lastLostMs: Math.round(last - start),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    mainMs: Math.round(main / 1e6),
    othersMs: Math.round(others / 1e6),
  };
  if (drop < drops) await Promise.all(links.map((link) => link.ready()));
}
await supervisor.terminate();
server.kill();
report({ type: 'result', ...result });
process.exit(0);
