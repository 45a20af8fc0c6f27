/**
 * Shards against one root actor per link (issue 11; the decision is in machines/socket.machine.ts'
 * header). `count` connection actors, each waiting in `reconnecting` on one timer, either as root
 * actors (one XState system each, as the supervisor runs links) or as genuine children of shard
 * actors of `size` links, each shard the root of its own system (spawned in one `assign` per shard).
 * Heap per link after full GC, time to create them all, time to stop them all.
 *
 * Usage (production build of xstate, as an application runs it):
 *   npx esbuild bench/shards.ts --bundle --platform=node --format=esm --packages=external \
 *     --outfile=node_modules/.cache/shards.mjs && \
 *   NODE_ENV=production node --expose-gc node_modules/.cache/shards.mjs <root|shard> [count] [size]
 */
import { type AnyActorRef, assign, createActor, fromCallback, setup } from 'xstate';
import { connectionMachine } from '../machines/connection.machine.js';
import { heap } from './heap.js';

const [mode = 'root', countArg = '10000', sizeArg = '250'] = process.argv.slice(2);
const count = Number(countArg);
const size = Number(sizeArg);

/** Every attempt times out at once: the link waits in `reconnecting` for 60 s (one timer). */
const link = connectionMachine.provide({
  actors: {
    transport: fromCallback(({ sendBack }) => {
      sendBack({ type: 'transport.closed', reason: { kind: 'timeout', phase: 'connect', message: 'x' } });
    }) as never,
  },
});
const input = (i: number) => ({
  linkId: `link:${i}`,
  label: 'x',
  backoff: { initialDelayMs: 60_000, maxDelayMs: 60_000, jitter: 'none' as const },
});

const shardMachine = setup({
  types: { context: {} as { links: number }, events: {} as { type: 'spawn'; from: number; count: number } },
}).createMachine({
  context: { links: 0 },
  on: {
    spawn: {
      actions: assign(({ context, event, spawn }) => {
        for (let i = 0; i < event.count; i++) {
          (spawn as (logic: unknown, options: unknown) => unknown)(link, {
            id: `link:${event.from + i}`,
            input: input(event.from + i),
          });
        }
        return { links: context.links + event.count };
      }),
    },
  },
});

const before = await heap();
const createStart = performance.now();
const roots: AnyActorRef[] = [];
if (mode === 'root') {
  for (let i = 0; i < count; i++) roots.push(createActor(link, { id: `link:${i}`, input: input(i) }).start());
} else {
  for (let i = 0; i < count; i += size) {
    const shard = createActor(shardMachine).start();
    shard.send({ type: 'spawn', from: i, count: Math.min(size, count - i) });
    roots.push(shard);
  }
}
const createMs = performance.now() - createStart;
const bytesPerLink = ((await heap()) - before) / count;
const stopStart = performance.now();
for (const root of roots) root.stop();
const stopMs = performance.now() - stopStart;
console.log(
  JSON.stringify({ mode, count, size: mode === 'root' ? 1 : size, createMs, bytesPerLink, stopMs }, (_, v) =>
    typeof v === 'number' ? Math.round(v) : v,
  ),
);
process.exit(0);
