/**
 * Memory and opening time of `count` idle connected clients of one contender (run with
 * --expose-gc): heap and external memory after full GC before and after opening them, divided by
 * the count. At most `window` connections are being opened at any moment, for every contender.
 *
 * Usage: node --expose-gc --import tsx idle-client.ts <contender> <url> <count> <window>
 * Reports { type: 'result', openMs, openCpuUs, heapPerLink, externalPerLink, rssPerLink } over IPC
 * (openCpuUs: the client's CPU µs a link while they open, from the first, cold, on).
 */

import { report } from './child.js';
import { type ContenderName, fleet } from './contenders.js';

const [name, url = '', countArg = '5000', windowArg = '200'] = process.argv.slice(2);
const count = Number(countArg);
const window = Number(windowArg);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('idle-client: run with --expose-gc');
const turn = () => new Promise((resolve) => setImmediate(resolve));

async function settledMemory() {
  let best = { heap: Number.POSITIVE_INFINITY, external: 0, rss: 0 };
  for (let i = 0; i < 3; i++) {
    gc?.();
    gc?.();
    await turn();
    const m = process.memoryUsage();
    if (m.heapUsed < best.heap) best = { heap: m.heapUsed, external: m.external, rss: m.rss };
  }
  return best;
}

const clients = fleet(name as ContenderName);
const before = await settledMemory();
const start = performance.now();
const cpuStart = process.cpuUsage();
let opened = 0;
let pending = 0;
let wake: (() => void) | null = null;
for (let i = 0; i < count; i++) {
  while (pending >= window) await new Promise<void>((resolve) => (wake = resolve));
  pending++;
  clients.open(url).opened.then(() => {
    pending--;
    opened++;
    const w = wake;
    wake = null;
    w?.();
  });
}
while (opened < count) await new Promise<void>((resolve) => (wake = resolve));
const openMs = performance.now() - start;
const openCpu = process.cpuUsage(cpuStart);
await new Promise((resolve) => setTimeout(resolve, 1_000));
const after = await settledMemory();
report({
  type: 'result',
  openMs,
  openCpuUs: (openCpu.user + openCpu.system) / count,
  heapPerLink: (after.heap - before.heap) / count,
  externalPerLink: (after.external - before.external) / count,
  rssPerLink: (after.rss - before.rss) / count,
});
await clients.close();
process.exit(0);
