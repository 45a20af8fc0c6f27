/**
 * Profiles the echo client of one contender (`node --cpu-prof`) and prints the functions with the
 * most self time, to find where a client spends its time per message.
 *
 * Usage: node --import tsx bench/profile.ts <contender> <size> [measureMs]
 * The .cpuprofile is left in $TMPDIR/linkvisor-profile (open it in Chrome DevTools).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startChild } from './child.js';
import { fmt, table } from './report.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

const [name = 'linkvisor', size = '4096', measure = '3000'] = process.argv.slice(2);
const dir = path.join(os.tmpdir(), 'linkvisor-profile');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

// PROFILE=server profiles the server instead of the client.
const profileServer = process.env.PROFILE === 'server';
const profiling = { nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${dir}`] };
const server = startChild('server.ts', [name.endsWith('+resume') ? 'resume' : 'echo'], {
  cpu: 0,
  ...(profileServer ? profiling : {}),
});
const { port } = await server.next<{ port: number }>('listening');
const client = startChild('echo-client.ts', [name, `ws://127.0.0.1:${port}/`, size, '500', '1000', measure], {
  ...(profileServer ? {} : profiling),
  cpu: 1,
});
const result = await client.next<{ rate: number; cpuUsPerMessage: number }>('result');
await client.stop();
await server.stop();

const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
if (!file) throw new Error('no profile written');
const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { nodes: ProfileNode[] };
const total = profile.nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0);
const byFunction = new Map<string, number>();
for (const node of profile.nodes) {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${url.replace(/^.*\/(node_modules|work\/main)\//, '')}:${lineNumber + 1}` : '';
  const key = `${functionName || '(anonymous)'} ${where}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + (node.hitCount ?? 0));
}
const top = [...byFunction.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30);
// Self time by origin: this project's code, each package, Node's internals, native calls.
const byOrigin = new Map<string, number>();
for (const node of profile.nodes) {
  const url = node.callFrame.url;
  let origin = '(native / VM)';
  if (url.includes('/node_modules/')) origin = url.replace(/^.*\/node_modules\/((@[^/]+\/)?[^/]+).*$/, '$1');
  else if (url.startsWith('node:')) origin = 'node internals';
  else if (url.includes('/src/') || url.includes('/machines/')) origin = 'linkvisor (src/, machines/)';
  else if (url) origin = url.replace(/^.*\/work\/main\//, '');
  byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + (node.hitCount ?? 0));
}
process.stdout.write(
  `${name} ${size} B: ${fmt(result.rate)} msg/s, ${fmt(result.cpuUsPerMessage, 2)} µs CPU/msg; profile ${path.join(dir, file)}\n\n`,
);
process.stdout.write(
  `${table(
    ['self %', 'origin'],
    [...byOrigin.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([origin, hits]) => [fmt((100 * hits) / total, 1), origin]),
    ['r', 'l'],
  )}\n\n`,
);
process.stdout.write(
  `${table(
    ['self %', 'function'],
    top.map(([key, hits]) => [fmt((100 * hits) / total, 1), key]),
    ['r', 'l'],
  )}\n`,
);
