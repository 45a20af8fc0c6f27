/**
 * What a link costs at scale (issue 11), in one child process of plain `node` (run with
 * --expose-gc). Two modes:
 *
 *   burst <contender> <url> <count>   `count` clients opened in one synchronous loop against a `ws`
 *                                     server: µs per open()/connect() call, the longest event-loop
 *                                     stall until all are open, time until all are open
 *   memory <count> <drop> <cycles>    linkvisor on the memory transport (default options, heartbeat
 *                                     on): connect() µs per call, longest stall and time until
 *                                     `count` links are ready, heap per link; then `drop` of them
 *                                     dropped at once (time until the last one noticed); then the
 *                                     lifecycle step: CPU µs per ready → reconnecting → ready cycle
 *
 * The longest stall is the larger of `perf_hooks.monitorEventLoopDelay`'s maximum and the longest
 * gap between two runs of a 1 ms timer (a loop blocked before the first sample shows in the latter).
 * Reports { type: 'result', ... } over IPC.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createSupervisor, type Link } from '../src/index.js';
import { createMemoryNetwork } from '../src/testing/index.js';
import { report } from './child.js';
import { type ContenderName, fleet } from './contenders.js';
import { heap } from './heap.js';
import { lifecycleStep } from './lifecycle-step.js';

const [mode = 'memory', ...rest] = process.argv.slice(2);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Watches the event loop from now until `stop()`: the longest time it was blocked, in ms. */
function stallWatch(): { stop(): number } {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  let last = performance.now();
  let longestGap = 0;
  let on = true;
  const tick = () => {
    const now = performance.now();
    longestGap = Math.max(longestGap, now - last);
    last = now;
    if (on) setTimeout(tick, 1);
  };
  setTimeout(tick, 1);
  return {
    stop() {
      on = false;
      histogram.disable();
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      return Math.max(longestGap, histogram.max / 1e6);
    },
  };
}

async function untilAll(count: () => number, target: number, limitMs: number): Promise<void> {
  const deadline = performance.now() + limitMs;
  for (let n = count(); n < target; n = count()) {
    if (performance.now() > deadline) throw new Error(`lean-client: only ${n} of ${target} in time`);
    await sleep(n === 0 ? 1 : 5);
  }
}

async function burst(name: ContenderName, url: string, count: number) {
  const clients = fleet(name);
  let opened = 0;
  await sleep(50);
  const watch = stallWatch();
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    void clients.open(url).opened.then(() => {
      opened++;
    });
  }
  const callUs = ((performance.now() - start) * 1000) / count;
  await untilAll(() => opened, count, 120_000);
  const openAllMs = performance.now() - start;
  const maxStallMs = watch.stop();
  report({ type: 'result', callUs, openAllMs, maxStallMs });
  await clients.close();
}

async function memory(count: number, dropCount: number, cycles: number) {
  const network = createMemoryNetwork();
  const server = network.listen('mem://lean');
  const before = await heap();
  const supervisor = createSupervisor({ transport: network.transport });
  const links: Link[] = [];
  // Counted from the links' state (a link on the memory transport may be ready before a listener
  // added after connect() could see its `ready` event).
  const ready = () => links.reduce((n, link) => n + (link.state === 'ready' ? 1 : 0), 0);
  await sleep(50);
  const watch = stallWatch();
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    links.push(supervisor.connect('mem://lean'));
  }
  const callUs = ((performance.now() - start) * 1000) / count;
  await untilAll(ready, count, 120_000);
  const openAllMs = performance.now() - start;
  const maxStallMs = watch.stop();
  await sleep(200);
  const heapPerLink = ((await heap()) - before) / count;
  await supervisor.close();
  server.close();

  // Mass drop: `dropCount` ready links lose their peer at once; when has the last one noticed?
  const dropNet = createMemoryNetwork();
  const dropServer = dropNet.listen('mem://drop');
  const dropSupervisor = createSupervisor({ transport: dropNet.transport });
  let noticed = 0;
  const dropLinks: Link[] = [];
  for (let i = 0; i < dropCount; i++) {
    const link = dropSupervisor.connect('mem://drop');
    link.on('lost', () => noticed++);
    dropLinks.push(link);
  }
  await untilAll(() => dropLinks.filter((link) => link.state === 'ready').length, dropCount, 60_000);
  await sleep(100);
  const dropStart = performance.now();
  dropServer.dropAll(1006);
  await untilAll(() => noticed, dropCount, 60_000);
  const dropNoticeMs = performance.now() - dropStart;
  await dropSupervisor.close();
  dropServer.close();

  // Lifecycle step: one link, ready → reconnecting → ready, `cycles` times (no backoff wait).
  const { cpuUs: stepUs, readies } = await lifecycleStep({ createSupervisor, createMemoryNetwork }, cycles);
  report({ type: 'result', callUs, openAllMs, maxStallMs, heapPerLink, dropNoticeMs, stepUs, readies });
}

if (mode === 'burst') {
  const [name = 'ws', url = '', count = '5000'] = rest;
  await burst(name as ContenderName, url, Number(count));
} else {
  const [count = '10000', drop = '1000', cycles = '2000'] = rest;
  await memory(Number(count), Number(drop), Number(cycles));
}
process.exit(0);
