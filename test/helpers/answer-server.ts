/**
 * A real `ws` server in a child process of its own (test/integration/fixtures/slow-answer-server.ts)
 * that keeps answering while this process's event loop is blocked, and `busyWait`, the block: the
 * parts of an event-loop stall for test/integration/stall.test.ts and
 * test/browser/inspector-grace.test.ts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixture = path.join(root, 'test/integration/fixtures/slow-answer-server.ts');

/** Blocks this event loop for `ms`, as a CPU-bound job of the application would. */
export function busyWait(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}

/** The child server: its URL, its announcements, and how to stop it. */
export interface AnswerServer {
  url: string;
  /** Calls `fn` synchronously, in the stdout callback, on each `ping`, `upgrade` or `message`
   * line the server prints. */
  on(line: 'ping' | 'upgrade' | 'message', fn: () => void): void;
  stop(): Promise<void>;
}

/** Starts the child server; it answers each upgrade, ping and message `answerDelayMs` late.
 * `resume`: a resumable server (linkvisor/server) instead of an echo. */
export function startAnswerServer(
  answerDelayMs: number,
  mode: 'echo' | 'resume' = 'echo',
): Promise<AnswerServer> {
  return new Promise((resolve, reject) => {
    const proc: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', fixture, String(answerDelayMs), ...(mode === 'resume' ? ['resume'] : [])],
      { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    const exited = new Promise<void>((done) => proc.once('exit', () => done()));
    let buffer = '';
    let stderr = '';
    const listeners = new Map<string, () => void>();
    const stop = async () => {
      proc.stdin?.end();
      const kill = setTimeout(() => proc.kill('SIGKILL'), 10_000); // a hang guard
      await exited;
      clearTimeout(kill);
    };
    // Start-up through tsx is slow on a busy machine: a hang guard, not a speed claim.
    const guard = setTimeout(() => {
      void stop();
      reject(new Error(`the answer server did not start: ${stderr}`));
    }, 60_000);
    proc.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    proc.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk;
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf('\n');
        if (line.startsWith('port ')) {
          clearTimeout(guard);
          resolve({
            url: `ws://127.0.0.1:${line.slice(5)}`,
            on: (line, fn) => listeners.set(line, fn),
            stop,
          });
        } else listeners.get(line)?.();
      }
    });
  });
}
