/**
 * Echo throughput of one contender: one connection, `inFlight` messages of `size` bytes kept in
 * flight by a client-side echo loop (every message received is sent back), counted over a
 * measuring time after a warm-up (and in the best of 8 windows of it). Also the client's CPU time
 * per message.
 *
 * Usage (contender: one of CONTENDERS, or linkvisor+resume): node --import tsx echo-client.ts <contender> <url> <size> <inFlight> <warmupMs> <measureMs>
 * Reports { type: 'result', rate, bestWindowRate, cpuUsPerMessage, bad } over IPC.
 */

import { report } from './child.js';
import { type ContenderName, fleet } from './contenders.js';
import { RESUME_BENCH_MAX_BYTES } from './resume-limits.js';

const [name, url = '', sizeArg = '64', inFlightArg = '500', warmupArg = '1000', measureArg = '3000'] =
  process.argv.slice(2);
const size = Number(sizeArg);
const WINDOWS = 8;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// `linkvisor+resume`: a link with a resumable session (against the server's `resume` mode).
const resume = name?.endsWith('+resume') ?? false;
const clients = resume
  ? fleet('linkvisor', { linkvisor: { resume: { maxBytes: RESUME_BENCH_MAX_BYTES } } })
  : fleet(name as ContenderName);
const client = clients.open(url);
await client.opened;
const payload = 'x'.repeat(size);
let received = 0;
let bad = 0;
client.onMessage((data) => {
  received++;
  if (data.length !== size) bad++;
  client.send(data);
});
for (let i = 0; i < Number(inFlightArg); i++) client.send(payload);
await sleep(Number(warmupArg));
// The measuring time is cut into windows: a busy neighbour on a shared machine only ever slows a
// window down, so the parent can take the best one besides the whole.
const windows: number[] = [];
const windowMs = Number(measureArg) / WINDOWS;
const r0 = received;
const t0 = performance.now();
const cpu0 = process.cpuUsage();
for (let w = 0; w < WINDOWS; w++) {
  const rw = received;
  const tw = performance.now();
  await sleep(windowMs);
  windows.push((received - rw) / ((performance.now() - tw) / 1000));
}
const r1 = received;
const t1 = performance.now();
const cpu = process.cpuUsage(cpu0);
const messages = r1 - r0;
report({
  type: 'result',
  rate: messages / ((t1 - t0) / 1000),
  bestWindowRate: Math.max(...windows),
  cpuUsPerMessage: (cpu.user + cpu.system) / messages,
  bad,
});
await clients.close();
process.exit(0);
