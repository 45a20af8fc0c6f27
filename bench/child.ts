/**
 * Child processes of the benchmarks: plain `node` with the tsx loader (which resolves xstate to
 * its production build, as an application would) and NODE_ENV=production, talking over IPC.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));

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
});

export function startChild(
  script: string,
  args: string[],
  { nodeFlags = [] as string[], cpu }: { nodeFlags?: string[]; cpu?: number } = {},
): BenchChild {
  const nodeArgs = [...nodeFlags, '--import', 'tsx', path.join(BENCH_DIR, script), ...args];
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

/** Sends a message to the parent (in a child). */
export function report(message: unknown): void {
  process.send?.(message);
}
