/**
 * Actor creation: `count` links on the memory transport (run with --expose-gc). Two runs in one
 * process: links created idle (`autoConnect: false`: the connection actor, its wire and queue,
 * nothing else) and links connected (ready on an in-process server, whose peers are counted too).
 * Time to create, heap per link after full GC, and time for `supervisor.close()` to end them all.
 *
 * Usage: node --expose-gc --import tsx actors.ts <count>
 */
import { createSupervisor } from '../src/index.js';
import { createMemoryNetwork } from '../src/testing/index.js';
import { report } from './child.js';
import { heap, requireGc, turn } from './heap.js';

const count = Number(process.argv[2] ?? 10_000);
requireGc('actors');

async function run(connect: boolean) {
  const network = createMemoryNetwork();
  const server = network.listen('mem://bench');
  const before = await heap();
  const start = performance.now();
  const supervisor = createSupervisor({ transport: network.transport, heartbeat: false });
  const links = [];
  for (let i = 0; i < count; i++) links.push(supervisor.connect('mem://bench', { autoConnect: connect }));
  const createMs = performance.now() - start;
  const expected = connect ? 'ready' : 'idle';
  for (let i = 0; i < 1_000 && links.some((link) => link.state !== expected); i++) await turn();
  const readyMs = performance.now() - start;
  const notThere = links.filter((link) => link.state !== expected).length;
  const after = await heap();
  const closeStart = performance.now();
  await supervisor.close();
  const closeMs = performance.now() - closeStart;
  server.close();
  return {
    createMs,
    readyMs,
    bytesPerLink: (after - before) / count,
    closeMs,
    notThere,
    peers: server.accepted,
  };
}

const idle = await run(false);
const connected = await run(true);
report({ type: 'result', idle, connected });
process.exit(0);
