/**
 * What the command-line client touches of its process: its three streams and its signals. Tests
 * and the launcher pass the real process; everything else in src/cli goes through this.
 */
import type { Readable, Writable } from 'node:stream';

export interface CliIO {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  /** Calls `handler` on SIGINT and SIGTERM; returns the function that stops listening. */
  onSignal(handler: (signal: NodeJS.Signals) => void): () => void;
  /** Calls `handler` on SIGCONT (the process was stopped, e.g. Ctrl-Z, and continued: its timers
   * stood still meanwhile); returns the function that stops listening. */
  onContinue(handler: () => void): () => void;
}

export function processIO(): CliIO {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    onSignal(handler) {
      process.on('SIGINT', handler);
      process.on('SIGTERM', handler);
      return () => {
        process.off('SIGINT', handler);
        process.off('SIGTERM', handler);
      };
    },
    onContinue(handler) {
      process.on('SIGCONT', handler);
      return () => process.off('SIGCONT', handler);
    },
  };
}
