/**
 * Child processes of the chaos suite (`node --import tsx <fixture>`): scenarios that need a
 * process of their own (its own event loop, `--expose-gc`, or the question "does it exit by
 * itself?"). They talk in lines: the child writes `<word> <json>` lines on stdout, the parent
 * answers with lines on stdin. Every child is killed at cleanup if it is still running.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { LoopWatch } from './probes.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function fixture(name: string): string {
  return path.join(ROOT, 'test/chaos/fixtures', name);
}

/** Absolute time in ms with sub-ms precision, comparable across processes. */
export function wallNow(): number {
  return performance.timeOrigin + performance.now();
}

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** wallNow() at exit. */
  at: number;
}

export class Child {
  readonly proc: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<ChildExit>;
  private exit: ChildExit | null = null;
  /** Exited, and stdout and stderr read to their end. */
  private ended = false;
  private readonly lines: { word: string; payload: string; at: number }[] = [];
  private waiters: (() => void)[] = [];

  constructor(
    file: string,
    args: string[],
    { nodeFlags = [] as string[], env = {} as NodeJS.ProcessEnv } = {},
  ) {
    this.proc = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', file, ...args], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    let partial = '';
    this.proc.stdout?.on('data', (chunk: Buffer) => {
      const at = wallNow();
      this.stdout += chunk;
      partial += chunk;
      const parts = partial.split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        const space = line.indexOf(' ');
        const word = space < 0 ? line : line.slice(0, space);
        this.lines.push({ word, payload: space < 0 ? '' : line.slice(space + 1), at });
      }
      this.wake();
    });
    this.proc.stderr?.on('data', (chunk: Buffer) => {
      this.stderr += chunk;
    });
    this.proc.stdin?.on('error', () => {});
    // The exit's time is taken at `exit`; `exited` resolves at `close`, once stdout and stderr were
    // read to their end: a line written just before the exit (`closed`) can be read after the exit
    // is seen on a busy host, and must not be reported missing.
    this.proc.on('exit', (code, signal) => {
      this.exit = { code, signal, at: wallNow() };
    });
    this.exited = new Promise((resolve) => {
      this.proc.on('close', (code, signal) => {
        this.exit ??= { code, signal, at: wallNow() };
        this.ended = true;
        this.wake();
        resolve(this.exit);
      });
    });
  }

  get running(): boolean {
    return this.exit === null;
  }

  /** The first line starting with `word` (its payload and arrival time); rejects after `timeoutMs`
   * or if the child exits without it (its stdout read to the end). */
  async line(word: string, timeoutMs = 20_000): Promise<{ payload: string; at: number }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.find((l) => l.word === word);
      if (found) return found;
      if (this.ended)
        throw new Error(`child exited (${this.exit?.code}) before '${word}'; ${this.describe()}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`child: no '${word}' within ${timeoutMs} ms; ${this.describe()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Parses the payload of the first `word` line as JSON. */
  async json<T>(word: string, timeoutMs?: number): Promise<T> {
    return JSON.parse((await this.line(word, timeoutMs)).payload) as T;
  }

  send(line: string): void {
    this.proc.stdin?.write(`${line}\n`);
  }

  /**
   * The exit, if it happens within `ms`; null if the child still runs then. No timer is left.
   * With `loop`, `ms` counts only the time this process's event loop ran: the time it stalled is
   * added to the wait. When the wait ends, one more turn of the loop lets an exit that arrived
   * during a stall be seen (Node runs due timers before pending I/O after a stall).
   */
  async exitWithin(ms: number, loop?: LoopWatch): Promise<ChildExit | null> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const start = performance.now();
    const late = new Promise<null>((resolve) => {
      const arm = (wait: number) => {
        timer = setTimeout(() => {
          const now = performance.now();
          const left = ms - (now - start - (loop?.stalledWithin(start, now) ?? 0));
          if (left > 0) arm(left);
          else setImmediate(() => resolve(null));
        }, wait);
      };
      arm(ms);
    });
    try {
      return await Promise.race([this.exited, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Kills the child if it still runs; resolves when it is gone. */
  async kill(): Promise<void> {
    if (this.running) this.proc.kill('SIGKILL');
    await this.exited;
  }

  describe(): string {
    return `stdout: ${this.stdout.slice(-2000)}; stderr: ${this.stderr.slice(-2000)}`;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
