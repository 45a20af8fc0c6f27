/**
 * Drives the real `linkvisor` binary (bin/linkvisor.js) as a child process: write lines to its
 * stdin, wait for text on its stdout or stderr (bounded), signal it, and await its exit code.
 * Every child started here is killed after the test if it is still running.
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { PassThrough, type Stream } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { CliIO } from '../../src/cli/io.js';
import type { Harness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

/** How long a CLI child process may take to print or to exit, in ms: a hang guard, not a speed
 * claim (it loads TypeScript through tsx; on a busy 2-core machine that alone can take 10 s). */
export const CHILD_WAIT_MS = 30_000;

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'bin/linkvisor.js');

export interface Cli {
  proc: ChildProcessWithoutNullStreams;
  readonly stdout: string;
  readonly stderr: string;
  /** Writes one line to stdin. */
  line(text: string): void;
  /** Waits until stdout or stderr matches; returns the match. */
  waitFor(stream: 'stdout' | 'stderr', pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** How many times `pattern` (global) matches a stream. */
  count(stream: 'stdout' | 'stderr', pattern: RegExp): number;
  /** Resolves with the exit code (or the signal name) once the process ended and its stdout and
   * stderr were read to their end. */
  exited: Promise<number | string>;
}

export function startCli(h: Harness, args: string[]): Cli {
  return startNode(h, [BIN, ...args]);
}

/** `text` as one word for `sh -c` (single-quoted). */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Runs `command <args>` from the repository root, all three streams piped; the child is killed
 * after the test if it is still running. `exited`: its exit code (or the signal's name), once its
 * stdout and stderr were read to their end. */
export function spawnChild(
  h: Harness,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = ROOT,
  stdin: Stream | 'pipe' = 'pipe',
): { proc: ChildProcessWithoutNullStreams; exited: Promise<number | string> } {
  // A stream of the test's as stdin (a socket it resets): `proc.stdin` is then null.
  const proc = spawn(command, args, {
    cwd,
    stdio: [stdin, 'pipe', 'pipe'],
    env,
  }) as ChildProcessWithoutNullStreams;
  // `close`, not `exit`: Node emits `exit` when the process ends, its stdout and stderr pipes may
  // still hold the last lines (two channels, read as they come; on a busy host the exit can be seen
  // first). `close` comes once both pipes ended: whatever the test then reads of them is complete.
  const exited = new Promise<number | string>((resolve) =>
    proc.on('close', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  const ended = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
  h.defer(async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGKILL');
      await ended;
    }
  });
  return { proc, exited };
}

/** Whether util-linux's `script` is here to give a child a pseudo-terminal. */
export const HAS_SCRIPT = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;

/** The binary on a pseudo-terminal (util-linux's `script`, in `env`): stdout and stderr both go to it.
 * `screen` is what the terminal got, each CR LF (the terminal's onlcr, not the program's) as LF;
 * `type` writes keys to the terminal (`\x03` is Ctrl-C); `exited` is `script`'s exit code (-e: the
 * program's). */
export function startInTerminal(
  h: Harness,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): {
  readonly screen: string;
  /** The bytes the terminal got, as they came. */
  readonly bytes: Buffer;
  type(keys: string): void;
  exited: Promise<number | string>;
} {
  // `exec`: the program replaces the shell `script` starts ($SHELL, or sh when unset). dash does not
  // exec a lone command by itself, so without it Ctrl-C also reached the waiting shell, which died of
  // it: `script` then said 130 whatever the program did (CI, where SHELL is not set).
  const command = `exec ${[process.execPath, BIN, ...args].map(shellQuote).join(' ')}`;
  const { proc, exited } = spawnChild(h, 'script', ['-q', '-e', '-c', command, '/dev/null'], {
    ...env,
    SHELL: '/bin/sh', // the same shell whatever runs the tests (an empty SHELL: script cannot start)
  });
  const chunks: Buffer[] = [];
  proc.stdout.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
  });
  return {
    get screen() {
      return Buffer.concat(chunks).toString().replace(/\r\n/g, '\n');
    },
    get bytes() {
      return Buffer.concat(chunks);
    },
    type(keys) {
      proc.stdin.write(keys);
    },
    exited,
  };
}

/** Runs `node <nodeArgs>` from the repository root as a child the test drives (a CLI, an example);
 * `stdin`: a stream of the test's instead of a pipe (then `line()` cannot be used). */
export function startNode(h: Harness, nodeArgs: string[], { stdin }: { stdin?: Stream } = {}): Cli {
  const { proc, exited } = spawnChild(h, process.execPath, nodeArgs, process.env, ROOT, stdin);
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk;
  });
  proc.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk;
  });
  const text = (stream: 'stdout' | 'stderr') => (stream === 'stdout' ? stdout : stderr);
  return {
    proc,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    line(value) {
      proc.stdin.write(`${value}\n`);
    },
    waitFor(stream, pattern, timeoutMs = CHILD_WAIT_MS) {
      return waitFor(() => text(stream).match(pattern), {
        timeoutMs,
        intervalMs: 10,
        message: `${pattern} on ${stream} (stdout: ${JSON.stringify(stdout)}, stderr: ${JSON.stringify(stderr)})`,
      });
    },
    count(stream, pattern) {
      return text(stream).match(pattern)?.length ?? 0;
    },
    exited,
  };
}

/** Waits for the exit, bounded; rejects with the output if it does not come. */
export async function exitCode(cli: Cli, timeoutMs = CHILD_WAIT_MS): Promise<number | string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no exit within ${timeoutMs} ms; stderr: ${JSON.stringify(cli.stderr)}`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([cli.exited, limit]);
  } finally {
    clearTimeout(timer);
  }
}

/** In-process streams for main() and the run* functions: what they wrote, and a way to signal
 * them (`signal` calls the handlers registered through onSignal; `listening` counts them). */
export function fakeIO(): CliIO & {
  out: () => string;
  err: () => string;
  signal: (name: NodeJS.Signals) => void;
  listening: () => number;
} {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => {
    out += chunk;
  });
  stderr.on('data', (chunk: Buffer) => {
    err += chunk;
  });
  const handlers = new Set<(signal: NodeJS.Signals) => void>();
  return {
    stdin: new PassThrough(),
    stdout,
    stderr,
    onSignal: (handler) => {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    onContinue: () => () => {},
    out: () => out,
    err: () => err,
    signal: (name) => {
      for (const handler of [...handlers]) handler(name);
    },
    listening: () => handlers.size,
  };
}
