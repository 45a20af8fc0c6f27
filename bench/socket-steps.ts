/**
 * Counts, not times (BENCHMARKS.md round 36 (report)): the socket actor's steps per link on `ws`
 * — `count` links opened (at most `window` opening at once, as bench/idle-client.ts) against the
 * bench server in another process (`server.ts hold`), then dropped at once by a server restart —
 * from the socket actor's `@xstate.snapshot` inspection events (one a macrostep), by the event
 * that made each step. On main each link's `link.ready` and `link.unready` is one step (1.0 a link);
 * the gathering prototype of round 36 (commit 3bafe73, `LV_GATHER=1`: one `links.ready` /
 * `links.unready` step per event-loop turn) measured 0.06 on open and 0.003 on the drop. Deterministic
 * enough: how many reports one loop turn gathers depends on how many sockets' callbacks one poll
 * phase runs (the host's load), not on this code.
 *
 *   node --import tsx bench/socket-steps.ts [count=2000] [window=200]
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InspectionEvent } from 'xstate';
import { createSupervisor, type Link } from '../src/index.js';

const [countArg = '2000', windowArg = '200'] = process.argv.slice(2);
const count = Number(countArg);
const window = Number(windowArg);
const here = path.dirname(fileURLToPath(import.meta.url));

let steps = new Map<string, number>();
const inspect = (event: InspectionEvent) => {
  if (event.type !== '@xstate.snapshot' || (event.actorRef as { id?: string }).id !== 'socket') return;
  steps.set(event.event.type, (steps.get(event.event.type) ?? 0) + 1);
};
const show = (what: string) => {
  const total = [...steps.values()].reduce((a, b) => a + b, 0);
  const by = [...steps].map(([type, n]) => `${type} ${(n / count).toFixed(3)}`).join(', ');
  console.log(`${what}: socket steps per link ${(total / count).toFixed(3)} (${by})`);
  steps = new Map();
};

const server = fork(path.join(here, 'server.ts'), ['hold'], {
  execArgv: ['--import', 'tsx'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const { port } = await new Promise<{ port: number }>((resolve) =>
  server.on('message', (m: { type: string; port: number }) => m.type === 'listening' && resolve(m)),
);
const supervisor = createSupervisor({ inspect, backoff: { jitter: 'none', initialDelayMs: 20_000 } });
const links: Link[] = [];
let next = 0;
await new Promise<void>((resolve) => {
  let done = 0;
  const one = () => {
    if (next >= count) return;
    next++;
    const link = supervisor.connect(`ws://127.0.0.1:${port}/`);
    links.push(link);
    void link.ready().then(() => {
      done++;
      if (done === count) resolve();
      else one();
    });
  };
  for (let i = 0; i < Math.min(window, count); i++) one();
});
show('open');
let lost = 0;
await new Promise<void>((resolve) => {
  for (const link of links)
    link.on('lost', () => {
      lost++;
      if (lost === count) resolve();
    });
  server.send({ type: 'restart', downMs: 60_000 });
});
await new Promise((resolve) => setImmediate(resolve));
show('drop');
await supervisor.terminate();
server.send({ type: 'stop' });
