/**
 * The inspected side of the inspector benchmark (a child of bench/inspector.ts): `count` links on
 * the memory transport (full lifecycle: connecting → ready) and a watcher, one supervisor, one
 * inspector server; bouncing — every 1.5 s one link in 20 loses its connection and comes back
 * after a jittered 1–8 s backoff (at 10,000 links: ~330 drops a second, ~1,000 state changes; the
 * runtime alone keeps the event loop about half busy with that, without the inspector). Reports
 * the page URL; on `stats`, what the server holds per page.
 *
 * Usage: node --import tsx inspector-server.ts <count>
 */
import { createSupervisor } from '../src/index.js';
import { createInspector, startInspector } from '../src/inspector/index.js';
import { createMemoryNetwork } from '../src/testing/index.js';
import { report } from './child.js';

const count = Number(process.argv[2] ?? 1_000);
const BOUNCE_EVERY_MS = 1_500;
/** One link in this many drops at each bounce. */
const BOUNCE_ONE_IN = 20;

const network = createMemoryNetwork({ inProcess: false });
const memory = network.listen('mem://bench');
const inspector = createInspector();
const supervisor = createSupervisor({
  transport: network.transport,
  inspect: inspector.inspect,
  heartbeat: false,
  backoff: { initialDelayMs: 1_000, maxDelayMs: 8_000, jitter: 'full', stableAfterMs: 60_000 },
});
supervisor.watch({ name: 'postgres', probe: async () => {}, pollIntervalMs: 5_000 });
const started = performance.now();
const links = Array.from({ length: count }, (_, i) => supervisor.connect('mem://bench', { id: `l${i}` }));
const turn = () => new Promise((resolve) => setImmediate(resolve));
for (let i = 0; i < 10_000 && links.some((link) => link.state !== 'ready'); i++) await turn();
const readyMs = performance.now() - started;
let round = 0;
const bouncer = setInterval(() => {
  round++;
  for (const [i, peer] of memory.peers.entries()) if ((i + round) % BOUNCE_ONE_IN === 0) peer.terminate();
}, BOUNCE_EVERY_MS);
const server = await startInspector(supervisor, { inspector });
report({ type: 'ready', url: server.url, readyMs });

process.on('message', async (message: { type: string }) => {
  if (message.type === 'stats')
    report({ type: 'stats', pages: server.pages(), rss: process.memoryUsage().rss });
  if (message.type === 'stop') {
    clearInterval(bouncer);
    await server.close();
    await supervisor.close();
    memory.close();
    process.exit(0);
  }
});
