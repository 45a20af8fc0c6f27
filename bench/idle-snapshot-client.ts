/**
 * The client of bench/idle-snapshots.ts: opens `count` idle links of one contender, writes
 * <dir>/a.heapsnapshot after full GC, opens `count` more and writes <dir>/b.heapsnapshot.
 * Reports { type: 'result', files } over IPC.
 */
import path from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { report } from './child.js';
import { type ContenderName, fleet } from './contenders.js';
import { heap, requireGc } from './heap.js';

const [name, url = '', countArg = '1000', dir = '.'] = process.argv.slice(2);
requireGc('idle-snapshot-client');
const count = Number(countArg);
const clients = fleet(name as ContenderName);

async function openAll(): Promise<void> {
  const opened: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const client = clients.open(url);
    opened.push(client.opened);
    if (i % 200 === 199) await Promise.all(opened.splice(0));
  }
  await Promise.all(opened);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await heap();
}

const files: string[] = [];
await openAll();
files.push(writeHeapSnapshot(path.join(dir, 'a.heapsnapshot')));
await openAll();
files.push(writeHeapSnapshot(path.join(dir, 'b.heapsnapshot')));
report({ type: 'result', files });
await clients.close();
process.exit(0);
