/**
 * One side of the reconnect storm: `count` links of one contender on the bench server. Once all
 * are open it reports `ready`; after the parent's `watch` (sent just before the server restarts)
 * it records every connection attempt and when each link is open again.
 *
 * Usage: node --import tsx storm-client.ts <contender> <url> <count> <jitter: default | none>
 * Reports { type: 'ready' }, then { type: 'result', attempts, backAt, back } (wall-clock ms).
 */
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
    if (watching && downAt[i] === null) downAt[i] = wall();
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
watching = true;
report({ type: 'watching' });
const deadline = wall() + LIMIT_MS;
while (back < count && wall() < deadline) {
  await new Promise<void>((resolve) => {
    wake = resolve;
    setTimeout(resolve, 250);
  });
}
report({
  type: 'result',
  attempts,
  backAt: backAt.filter((t): t is number => t !== null),
  downAt: downAt.filter((t): t is number => t !== null),
  back,
});
await clients.close();
process.exit(0);
