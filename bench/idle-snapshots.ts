/**
 * Heap snapshots of idle connected clients of one contender, for bench/snapshot-diff.ts: a `ws`
 * server in a process of its own (bench/server.ts hold), a client process (compiled as
 * bench/child.ts compiles, production xstate) that opens `count` links, writes a snapshot, opens
 * `count` more and writes another. The objects new in the second are what `count` idle links own.
 *
 *   node --import tsx bench/idle-snapshots.ts <contender> <dir> [count=1000]
 *   node --import tsx bench/snapshot-diff.ts <dir>/a.heapsnapshot <dir>/b.heapsnapshot --per <count>
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { startChild } from './child.js';

const [contender = 'linkvisor', dir = 'snapshots', countArg = '1000'] = process.argv.slice(2);
mkdirSync(dir, { recursive: true });
const server = startChild('server.ts', ['hold']);
const { port } = await server.next<{ port: number }>('listening', 60_000);
const client = startChild(
  'idle-snapshot-client.ts',
  [contender, `ws://127.0.0.1:${port}/`, countArg, path.resolve(dir)],
  { nodeFlags: ['--expose-gc'] },
);
const done = await client.next<{ files: string[] }>('result', 600_000);
console.log(done.files.join('\n'));
await client.stop();
await server.stop();
