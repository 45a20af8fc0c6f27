/**
 * Profiles the lifecycle step (bench/lifecycle-step.ts's cycle): one link on the memory transport
 * dropped and reconnected, `warm` cycles unmeasured, then `cycles` cycles under the CPU profiler
 * (or the sampling heap profiler with `alloc`, every 256 B, collected objects included), summed by
 * package, XState role and function (bench/profile-by-package.ts), per cycle. `connecting`: the
 * link goes through `connecting` (the storm's path) instead of the in-process idle → ready.
 *
 *   npx esbuild bench/profile-step.ts --bundle --platform=node --format=esm --packages=external \
 *     --outfile=node_modules/.cache/profile-step.mjs
 *   NODE_ENV=production node node_modules/.cache/profile-step.mjs [cycles=5000] [cpu|alloc] [connecting] [--warm 2000] [--top 30]
 *
 * With LV_PROFILE_FILE=<path>, the profile is also written there.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createSupervisor } from '../src/index.js';
import { createMemoryNetwork } from '../src/testing/index.js';
import {
  type CpuProfile,
  formatSummary,
  type HeapProfile,
  summariseCpu,
  summariseHeap,
} from './profile-by-package.js';

const args = process.argv.slice(2);
const cyclesArg = () => Number(args.find((a) => /^\d+$/.test(a)) ?? 5000);
const alloc = args.includes('alloc');
const none = args.includes('none');
const cycles = cyclesArg();
const inProcess = !args.includes('connecting');
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args[topAt + 1]) : 30;
const warmAt = args.indexOf('--warm');
const warm = warmAt >= 0 ? Number(args.splice(warmAt, 2)[1]) : 2000;

const network = createMemoryNetwork({ inProcess });
const server = network.listen('mem://step');
const supervisor = createSupervisor({
  transport: network.transport,
  backoff: { initialDelayMs: 0, maxDelayMs: 0, jitter: 'none', stableAfterMs: 0 },
  intensity: false,
});
const link = supervisor.connect('mem://step');
let wake: (() => void) | null = null;
link.on('ready', () => wake?.());
await link.ready();
const run = async (n: number) => {
  for (let i = 0; i < n; i++) {
    const next = new Promise<void>((resolve) => (wake = resolve));
    server.dropAll(1006);
    await next;
  }
};
await run(warm);
if (none) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await run(cycles);
  const u = process.cpuUsage(cpu0);
  const ms = performance.now() - t0;
  console.log(
    `lifecycle step, ${cycles} cycles, no profiler: user ${(u.user / cycles).toFixed(1)} µs, system ${(u.system / cycles).toFixed(1)} µs a cycle, wall ${((1000 * ms) / cycles).toFixed(0)} µs a cycle`,
  );
  await supervisor.close();
  server.close();
  process.exit(0);
}
const session = new Session();
session.connect();
if (alloc) {
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 256,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
} else {
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 50 });
  await session.post('Profiler.start');
}
const cpu = process.cpuUsage();
await run(cycles);
const used = process.cpuUsage(cpu);
const profile = alloc
  ? ((await session.post('HeapProfiler.stopSampling')) as unknown as { profile: HeapProfile }).profile
  : ((await session.post('Profiler.stop')) as unknown as { profile: CpuProfile }).profile;
session.disconnect();
if (process.env.LV_PROFILE_FILE) writeFileSync(process.env.LV_PROFILE_FILE, JSON.stringify(profile));
console.log(
  `lifecycle step (${inProcess ? 'in-process' : 'through connecting'}), ${cycles} cycles: CPU ${((used.user + used.system) / cycles).toFixed(1)} µs a cycle (profiled)`,
);
const summary = alloc ? summariseHeap(profile as HeapProfile) : summariseCpu(profile as CpuProfile);
console.log(formatSummary(summary, { per: cycles, unit: alloc ? 'B' : 'µs', top }));
await supervisor.close();
server.close();
