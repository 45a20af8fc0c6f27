/**
 * A command's stdout and stderr when their reader may go away (`linkvisor … 2>&1 | head`): a write
 * to a pipe nobody reads fails with EPIPE, which a stream reports as an 'error' event, and an
 * 'error' nobody listens to ends the process with a stack trace, whatever it had open. Every
 * command writes through this one piece (main.ts makes it): a stream that failed is written to
 * no more, and the same rule holds for every command:
 *
 * - stderr gone: lifecycle lines stop there; the command goes on (they are diagnostics).
 * - stdout gone: what the command is for can no longer be read; a long-running command (`connect`,
 *   `serve`, `inspect`) ends as at Ctrl-C, closing what it opened, with the exit code it documents
 *   for that (`onStdoutGone`); a short one (`replay`) exits with its verdict's code.
 *
 * Any error of a stream counts as its reader gone (EPIPE, ECONNRESET on a socket, EBADF…), not only
 * EPIPE: nothing more can be written there either way. After `dispose()` a late error is still
 * ignored, never an unhandled 'error'.
 */
import type { Readable, Writable } from 'node:stream';
import type { CliIO } from './io.js';

/** A command's two output streams, each written to only while its reader is there. */
export interface GuardedOutput {
  /** Writes `text` to stdout unless its reader has gone; returns `write()`'s answer (false: past
   * the high-water mark, or gone). */
  out(text: string): boolean;
  /** Writes `text` to stderr unless its reader has gone. */
  err(text: string): void;
  /** Whether stdout failed (its reader went away): nothing is written there any more. */
  readonly stdoutGone: boolean;
  /** Whether stderr failed (its reader went away): nothing is written there any more. */
  readonly stderrGone: boolean;
  /** Calls `handler` once, when stdout fails (on a later turn if it has already failed); returns
   * the function that stops listening. */
  onStdoutGone(handler: (error: Error) => void): () => void;
  /** Stops watching; a later error of either stream is ignored (never an unhandled 'error'). */
  dispose(): void;
}

/** Watches `io`'s stdout and stderr for their reader going away (module header). */
export function guardOutput(io: Pick<CliIO, 'stdout' | 'stderr'>): GuardedOutput {
  let stdoutError: Error | null = null;
  let stderrGone = false;
  const handlers = new Set<(error: Error) => void>();
  const onStdoutError = (error: Error) => {
    if (stdoutError) return;
    stdoutError = error;
    for (const handler of [...handlers]) handler(error);
    handlers.clear();
  };
  const onStderrError = () => {
    stderrGone = true;
  };
  io.stdout.on('error', onStdoutError);
  io.stderr.on('error', onStderrError);
  return {
    out(text) {
      if (stdoutError) return false;
      return io.stdout.write(text);
    },
    err(text) {
      if (!stderrGone) io.stderr.write(text);
    },
    get stdoutGone() {
      return stdoutError !== null;
    },
    get stderrGone() {
      return stderrGone;
    },
    onStdoutGone(handler) {
      const failed = stdoutError;
      if (failed) {
        let live = true;
        queueMicrotask(() => {
          if (live) handler(failed);
        });
        return () => {
          live = false;
        };
      }
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    dispose() {
      handlers.clear();
      io.stdout.off('error', onStdoutError);
      io.stderr.off('error', onStderrError);
      ignoreErrors(io.stdout);
      ignoreErrors(io.stderr);
    },
  };
}

function ignore(): void {}

/** Keeps one listener on `stream` that ignores its errors (once per stream, however often called):
 * a late EPIPE after the command has ended (or a stdin's ECONNRESET once nothing reads it) must not
 * crash the process as an unhandled 'error'. */
export function ignoreErrors(stream: Readable | Writable): void {
  if (!stream.listeners('error').includes(ignore)) stream.on('error', ignore);
}
