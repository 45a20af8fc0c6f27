/**
 * Profiles a mass drop: `count` linkvisor links on `ws` against the bench server in another
 * process (`server.ts hold`), the server restarts, and the time until the last link's `lost` is
 * printed with the CPU profile of the drop summarised by where the time went (XState, Node, ws,
 * linkvisor's own files). Run with the production build of xstate:
 *
 *   NODE_ENV=production node --import tsx bench/profile-drop.ts [count=1000]
 */
import { fork } from 'node:child_process';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSupervisor } from '../src/index.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}

const count = Number(process.argv[2] ?? 1000);
const here = path.dirname(fileURLToPath(import.meta.url));
const server = fork(path.join(here, 'server.ts'), ['hold'], {
  execArgv: ['--import', 'tsx'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const { port } = await new Promise<{ port: number }>((resolve) =>
  server.on('message', (m: { type: string; port: number }) => m.type === 'listening' && resolve(m)),
);
// No retry within the measurement: the drop alone is measured, not early attempts competing with it.
const supervisor = createSupervisor({ backoff: { jitter: 'none', initialDelayMs: 5_000 } });
const links = Array.from({ length: count }, () => supervisor.connect(`ws://127.0.0.1:${port}/`));
await Promise.all(links.map((link) => link.ready()));

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });
await session.post('Profiler.start');
let noticed = 0;
let last = 0;
const start = performance.now();
const cpuStart = process.cpuUsage();
const allLost = new Promise<void>((resolve) => {
  for (const link of links) {
    link.on('lost', () => {
      last = performance.now();
      if (++noticed === count) resolve();
    });
  }
});
server.send({ type: 'restart', downMs: 2_000 });
await allLost;
const cpu = process.cpuUsage(cpuStart);
const { profile } = await session.post('Profiler.stop');
session.disconnect();

const nodes = new Map<number, ProfileNode>(profile.nodes.map((n) => [n.id, n as ProfileNode]));
const byPart = new Map<string, number>();
const samples = profile.samples ?? [];
const deltas = profile.timeDeltas ?? [];
for (let i = 0; i < samples.length; i++) {
  const { url, functionName } = (nodes.get(samples[i] as number) as ProfileNode).callFrame;
  // Idle time, and the profiler's own work (stopping it serialises the profile) are not the drop's.
  if (
    functionName === '(idle)' ||
    url.startsWith('node:inspector') ||
    (functionName === 'dispatch' && url === '')
  ) {
    continue;
  }
  const part = url.includes('xstate')
    ? 'xstate'
    : url.includes('/node_modules/ws/')
      ? 'ws'
      : url.includes('/src/') || url.includes('/machines/')
        ? 'linkvisor'
        : functionName === '(garbage collector)'
          ? 'garbage collector'
          : 'node and native';
  byPart.set(part, (byPart.get(part) ?? 0) + (deltas[i] ?? 0));
}
console.log(
  `${count} links: last lost after ${(last - start).toFixed(0)} ms; client CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms`,
);
for (const [part, us] of [...byPart].sort((a, b) => b[1] - a[1])) {
  console.log(`  ${part.padEnd(18)} ${(us / 1000).toFixed(1)} ms`);
}
await supervisor.terminate();
server.kill();
