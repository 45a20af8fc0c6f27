/**
 * Actor creation: `count` links on the memory transport (run with --expose-gc). Two runs in one
 * process: links created idle (`autoConnect: false`: the connection actor, its wire and queue,
 * nothing else) and links connected (ready on an in-process server, whose peers are counted too).
 * Time to create, heap per link after full GC, and time for `supervisor.close()` to end them all.
 *
 * Usage: node --expose-gc --import tsx actors.ts <count>
 */
import { createSupervisor, type Link } from '../src/index.js';
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
  const links: Link[] = [];
  for (let i = 0; i < count; i++) links.push(supervisor.connect('mem://bench', { autoConnect: connect }));
  const createMs = performance.now() - start;
  const expected = connect ? 'ready' : 'idle';
  // A supervisor starts its links in slices after connect() returns: wait until every link has its
  // actor (an idle link not started yet reads 'idle' too).
  const there = (link: Link) => link.attached && link.state === expected;
  for (let i = 0; i < 10_000 && !links.every(there); i++) await turn();
  const readyMs = performance.now() - start;
  const notThere = links.filter((link) => !there(link)).length;
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
