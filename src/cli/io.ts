/**
 * What the command-line client touches of its process: its three streams and its signals. Tests
 * and the launcher pass the real process; everything else in src/cli goes through this.
 */
import type { Readable, Writable } from 'node:stream';

export interface CliIO {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  /** Calls `handler` on SIGINT and SIGTERM (and SIGHUP, its terminal closed, with `hangup`: a
   * client that should still close its link); returns the function that stops listening. */
  onSignal(handler: (signal: NodeJS.Signals) => void, hangup?: boolean): () => void;
  /** Calls `handler` on SIGCONT (the process was stopped, e.g. Ctrl-Z, and continued: its timers
   * stood still meanwhile), CONTINUE_SETTLE_MS after it; returns the function that stops listening
   * (and drops a call still waiting). */
  onContinue(handler: () => void): () => void;
}

/** How long a SIGCONT waits before it is handled: a SIGTERM sent with it is heard first. */
export const CONTINUE_SETTLE_MS = 100;

export function processIO(): CliIO {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    onSignal(handler, hangup = false) {
      const signals: NodeJS.Signals[] = hangup ? ['SIGINT', 'SIGTERM', 'SIGHUP'] : ['SIGINT', 'SIGTERM'];
      for (const signal of signals) process.on(signal, handler);
      return () => {
        for (const signal of signals) process.off(signal, handler);
      };
    },
    onContinue(handler) {
      // coreutils `timeout` sends SIGTERM, then SIGCONT at once; the process may hear them in either
      // order. Waiting a moment lets the SIGTERM's close stop listening first, so a SIGCONT that
      // overtook it is no "continued; checking the link" while closing.
      let waiting: ReturnType<typeof setTimeout> | undefined;
      const heard = () => {
        if (waiting === undefined) waiting = setTimeout(run, CONTINUE_SETTLE_MS);
      };
      const run = () => {
        waiting = undefined;
        handler();
      };
      process.on('SIGCONT', heard);
      return () => {
        process.off('SIGCONT', heard);
        clearTimeout(waiting);
        waiting = undefined;
      };
    },
  };
}
