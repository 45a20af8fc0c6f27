/**
 * A/B of one bench child script between a base tree (e.g. `git archive main | tar -x -C
 * node_modules/.cache/base`, under this tree so that it finds the same packages) and this tree:
 * the script of each tree compiled as bench/child.ts compiles it (production xstate), run in fresh
 * processes, base and this alternating round by round; each run's IPC `result` printed as JSON
 * with the load. `--server`: each run against a fresh `server.ts hold` of this tree (the client
 * gets its URL as the argument `URL`).
 *
 *   node --import tsx bench/tree-ab.ts <base-dir> <script> [--rounds 5] [--server] -- <args…>
 *   e.g. bench/tree-ab.ts node_modules/.cache/base idle-client.ts --server -- linkvisor URL 5000 200
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { BENCH_DIR, CHILD_BUILD, startChild } from './child.js';

const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const own = dash >= 0 ? argv.slice(0, dash) : argv;
const childArgs = dash >= 0 ? argv.slice(dash + 1) : [];
const [baseArg = '', script = ''] = own;
const roundsAt = own.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(own[roundsAt + 1]) : 5;
const withServer = own.includes('--server');
const cache = path.join(BENCH_DIR, '..', 'node_modules', '.cache', 'tree-ab');
const trees = { base: path.resolve(baseArg), this: path.join(BENCH_DIR, '..') };
const files = Object.fromEntries(
  Object.entries(trees).map(([name, tree]) => {
    const outfile = path.join(cache, `${name}-${script.replace(/\.ts$/, '.mjs')}`);
    buildSync({ ...CHILD_BUILD, entryPoints: [path.join(tree, 'bench', script)], outfile });
    return [name, outfile];
  }),
) as Record<'base' | 'this', string>;
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0];

async function runOne(file: string): Promise<unknown> {
  let server: ReturnType<typeof startChild> | null = null;
  let args = childArgs;
  if (withServer) {
    server = startChild('server.ts', ['hold'], { cpu: 0 });
    const { port } = await server.next<{ port: number }>('listening', 20_000);
    args = childArgs.map((arg) => (arg === 'URL' ? `ws://127.0.0.1:${port}/` : arg));
  }
  const proc = spawn(process.execPath, ['--expose-gc', file, ...args], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const result = await new Promise((resolve, reject) => {
    proc.on('message', (m: { type: string }) => m.type === 'result' && resolve(m));
    proc.on('exit', (code) => reject(new Error(`${script} exited (${code}) without a result`)));
  });
  if (proc.exitCode === null) {
    proc.send({ type: 'stop' });
    const killer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
    await new Promise((resolve) => proc.on('exit', resolve));
    clearTimeout(killer);
  }
  await server?.stop();
  return result;
}

for (let round = 0; round < rounds; round++) {
  for (const name of round % 2 ? (['this', 'base'] as const) : (['base', 'this'] as const)) {
    const result = await runOne(files[name]);
    console.log(JSON.stringify({ round: round + 1, tree: name, load: load(), result }));
  }
}
process.exit(0);
