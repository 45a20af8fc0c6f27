/**
 * CPU and wall time of the ends of a fleet on the memory transport (run with --expose-gc), for
 * A/B runs of two trees (bench/tree-ab.ts): `count` links connected and ready, then
 * `supervisor.close()` of all of them; and `drop` ready links whose server drops them all at once
 * (until the last `lost`). Reports { openCpuUs, closeMs, closeCpuMs, dropMs, dropCpuMs }.
 *
 * Usage: node --expose-gc --import tsx bench/close-cpu.ts [count=10000] [drop=1000]
 */
import { createSupervisor, type Link } from '../src/index.js';
import { createMemoryNetwork } from '../src/testing/index.js';
import { report } from './child.js';
import { turn } from './heap.js';

const count = Number(process.argv[2] ?? 10_000);
const dropCount = Number(process.argv[3] ?? 1_000);
const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

async function untilAll(links: Link[], state: string): Promise<void> {
  while (!links.every((link) => link.attached && link.state === state)) await turn();
}

const network = createMemoryNetwork();
const server = network.listen('mem://close');
const supervisor = createSupervisor({ transport: network.transport, heartbeat: false });
const links: Link[] = [];
const openCpu = process.cpuUsage();
for (let i = 0; i < count; i++) links.push(supervisor.connect('mem://close'));
await untilAll(links, 'ready');
const openCpuUs = (cpuMs(openCpu) * 1000) / count;
(globalThis as { gc?: () => void }).gc?.();
await turn();
const closeCpu = process.cpuUsage();
const closeStart = performance.now();
await supervisor.close();
const closeMs = performance.now() - closeStart;
const closeCpuMs = cpuMs(closeCpu);
server.close();

const dropNet = createMemoryNetwork();
const dropServer = dropNet.listen('mem://drop');
const dropSupervisor = createSupervisor({
  transport: dropNet.transport,
  backoff: { jitter: 'none', initialDelayMs: 5_000 },
});
const dropLinks: Link[] = [];
let noticed = 0;
for (let i = 0; i < dropCount; i++) {
  const link = dropSupervisor.connect('mem://drop');
  link.on('lost', () => noticed++);
  dropLinks.push(link);
}
await untilAll(dropLinks, 'ready');
(globalThis as { gc?: () => void }).gc?.();
await turn();
const dropCpu = process.cpuUsage();
const dropStart = performance.now();
dropServer.dropAll(1006);
while (noticed < dropCount) await turn();
const dropMs = performance.now() - dropStart;
const dropCpuMs = cpuMs(dropCpu);
await dropSupervisor.terminate();
dropServer.close();
report({ type: 'result', openCpuUs, closeMs, closeCpuMs, dropMs, dropCpuMs });
process.exit(0);
