/**
 * One side of the reconnect storm: `count` links of one contender on the bench server. Once all
 * are open it reports `ready`; after the parent's `watch` (sent just before the server restarts)
 * it records every connection attempt and when each link is open again.
 *
 * Usage: node --import tsx storm-client.ts <contender> <url> <count> <jitter: default | none>
 * Reports { type: 'ready' }, then { type: 'result', attempts, backAt, back } (wall-clock ms).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { JitterStrategy } from '../machines/policy/backoff.js';
import { report } from './child.js';
import { type Client, type ContenderName, fleet } from './contenders.js';

const [name, url = '', countArg = '1000', jitter = 'default'] = process.argv.slice(2);
const count = Number(countArg);
const WINDOW = 200;
const LIMIT_MS = 60_000;
const wall = () => performance.timeOrigin + performance.now();

let watching = false;
const attempts: number[] = [];
const clients = fleet(name as ContenderName, {
  counter: {
    onAttempt: (at) => {
      if (watching) attempts.push(at);
    },
  },
  linkvisor: jitter === 'none' ? { backoff: { jitter: 'none' as JitterStrategy } } : {},
});

const all: Client[] = [];
const backAt: (number | null)[] = [];
/** When each link noticed the drop (its socket closed, after `watch`). */
const downAt: (number | null)[] = [];
let back = 0;
let down = 0;
let opened = 0;
let pending = 0;
let wake: (() => void) | null = null;
const poke = () => {
  const w = wake;
  wake = null;
  w?.();
};
for (let i = 0; i < count; i++) {
  while (pending >= WINDOW) await new Promise<void>((resolve) => (wake = resolve));
  pending++;
  const client = clients.open(url);
  all.push(client);
  backAt.push(null);
  downAt.push(null);
  client.onClose(() => {
    if (!watching || downAt[i] !== null) return;
    downAt[i] = lastDownAt = wall();
    if (++down === count) {
      cpuAtLastDown = process.cpuUsage(cpuAtWatch);
      profiled = stopProfile();
      poke();
    }
  });
  client.onOpen(() => {
    if (!watching || backAt[i] !== null) return;
    backAt[i] = wall();
    back++;
    if (back === count) poke();
  });
  client.opened.then(() => {
    pending--;
    opened++;
    poke();
  });
}
while (opened < count) await new Promise<void>((resolve) => (wake = resolve));

const watch = new Promise<void>((resolve) =>
  process.on('message', (message: { type: string }) => {
    if (message.type === 'watch') resolve();
  }),
);
report({ type: 'ready' });
await watch;
// LV_STORM_PROFILE=<file>: this process's CPU profile from `watch` to its last drop (bench/storm-probe.ts).
const profileFile = process.env.LV_STORM_PROFILE;
const session = profileFile ? new Session() : null;
if (session) {
  session.connect();
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}
/** CPU of the process (µs, user + system) at `watch` and at its last drop, and the wall time of both. */
const cpuAtWatch = process.cpuUsage();
const watchAt = wall();
let cpuAtLastDown: NodeJS.CpuUsage | null = null;
let profiled: Promise<void> = Promise.resolve();
async function stopProfile(): Promise<void> {
  if (!session || !profileFile) return;
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(profileFile, JSON.stringify(profile));
  session.disconnect();
}
let lastDownAt = 0;
watching = true;
report({ type: 'watching' });
const deadline = wall() + LIMIT_MS;
while (back < count && wall() < deadline) {
  await new Promise<void>((resolve) => {
    wake = resolve;
    setTimeout(resolve, 250);
  });
}
await profiled;
const cpu = cpuAtLastDown as NodeJS.CpuUsage | null;
report({
  type: 'result',
  watchAt,
  lastDownAt,
  cpuToLastDownMs: cpu ? (cpu.user + cpu.system) / 1000 : null,
  attempts,
  backAt: backAt.filter((t): t is number => t !== null),
  downAt: downAt.filter((t): t is number => t !== null),
  back,
});
await clients.close();
process.exit(0);
