/**
 * Child processes of the benchmarks: plain `node` running the child script compiled as an
 * application ships it (esbuild, dependencies left in node_modules, so xstate resolves to its
 * production build) with NODE_ENV=production, talking over IPC.
 *
 * Not the tsx loader: it compiles with esbuild's `keepNames`, whose `__name(fn, …)` redefines the
 * `name` of every function and so gives each closure a 256-byte dictionary of properties. Measured
 * on the memory transport, that was 5.4 KB of the 19 KB a link seemed to cost; the package's own
 * build (tsc) has no such helper.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));

/** How a child script is compiled: bundled for Node, dependencies left to load from node_modules
 * (resolved from the output's directory), as in an application. */
export const CHILD_BUILD = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'error',
} as const;

let outDir: string | null = null;
const compiled = new Map<string, string>();

/** The child script compiled once per run into a temporary directory (a few ms each). */
function compile(script: string): string {
  const done = compiled.get(script);
  if (done) return done;
  // Under node_modules/.cache, so that the compiled file finds the packages as the sources do.
  const cache = path.join(BENCH_DIR, '..', 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  outDir ??= mkdtempSync(path.join(cache, 'linkvisor-bench-'));
  const outfile = path.join(outDir, script.replace(/\.ts$/, '.mjs'));
  buildSync({ ...CHILD_BUILD, entryPoints: [path.join(BENCH_DIR, script)], outfile });
  compiled.set(script, outfile);
  return outfile;
}

export interface BenchChild {
  proc: ChildProcess;
  /** The next IPC message of `type`; rejects after `timeoutMs` or if the child exits. */
  next<T>(type: string, timeoutMs?: number): Promise<T>;
  send(message: unknown): void;
  stop(): Promise<void>;
}

/** `taskset` pins a child to one core where the machine has it (Linux), so the server and the
 * client of a measurement never compete for a core. */
const TASKSET = ['/usr/bin/taskset', '/bin/taskset'].find((file) => existsSync(file));

/** Every child still running: killed if the run itself ends early (a crash, Ctrl-C). */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const proc of running) proc.kill('SIGKILL');
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

/** A child running `script` (a bench/ file name, or an absolute compiled `.mjs`) with `args`;
 * `cpu`: pinned to that core (taskset). */
export function startChild(
  script: string,
  args: string[],
  { nodeFlags = [] as string[], cpu }: { nodeFlags?: string[]; cpu?: number } = {},
): BenchChild {
  // An absolute `.mjs` is a script compiled already (another tree's, bench/storm-probe.ts).
  const file = path.isAbsolute(script) && script.endsWith('.mjs') ? script : compile(script);
  const nodeArgs = [...nodeFlags, file, ...args];
  const pinned = cpu !== undefined && TASKSET !== undefined && os.cpus().length > cpu;
  const [command, commandArgs] = pinned
    ? [TASKSET as string, ['-c', String(cpu), process.execPath, ...nodeArgs]]
    : [process.execPath, nodeArgs];
  const proc = spawn(command, commandArgs, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  running.add(proc);
  proc.on('exit', () => running.delete(proc));
  // A child that already exited closes the IPC channel: a late send must not crash the run.
  proc.on('error', () => {});
  const inbox: { type: string }[] = [];
  const waiters = new Set<() => void>();
  let exited = false;
  proc.on('message', (message: { type: string }) => {
    inbox.push(message);
    for (const wake of waiters) wake();
  });
  const exit = new Promise<void>((resolve) =>
    proc.on('exit', () => {
      exited = true;
      for (const wake of waiters) wake();
      resolve();
    }),
  );
  return {
    proc,
    async next<T>(type: string, timeoutMs = 120_000): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const i = inbox.findIndex((m) => m.type === type);
        if (i >= 0) return inbox.splice(i, 1)[0] as T;
        if (exited) throw new Error(`${script} exited before sending '${type}'`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`${script}: no '${type}' within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, left);
          function done() {
            clearTimeout(timer);
            waiters.delete(done);
            resolve();
          }
          waiters.add(done);
        });
      }
    },
    send(message) {
      if (!exited && proc.connected) proc.send(message as never);
    },
    async stop() {
      if (!exited) {
        if (proc.connected) proc.send({ type: 'stop' });
        const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
        await exit;
        clearTimeout(timer);
      }
    },
  };
}

/** The core a benchmark's server is pinned to (taskset, where the machine has it). */
export const SERVER_CPU = 0;
/** The core a benchmark's client is pinned to: never the server's. */
export const CLIENT_CPU = 1;

/** A bench/server.ts child in `mode` (`echo`: echoes every message; `resume`: echoes through
 * resumable sessions; `hold`: holds the connections and restarts on request) pinned to SERVER_CPU,
 * once it listens: the child and its URL. */
export async function startServer(
  mode: 'echo' | 'resume' | 'hold',
): Promise<{ child: BenchChild; url: string }> {
  const child = startChild('server.ts', [mode], { cpu: SERVER_CPU });
  const { port } = await child.next<{ port: number }>('listening', 20_000);
  return { child, url: `ws://127.0.0.1:${port}/` };
}

/** Sends a message to the parent (in a child). */
export function report(message: unknown): void {
  process.send?.(message);
}
