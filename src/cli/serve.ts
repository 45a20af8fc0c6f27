/**
 * `linkvisor serve`: runs the echo server (echo-server.ts) until SIGINT or SIGTERM. The first line
 * on stdout is its URL (so a script can read it with port 0); lifecycle lines go to stderr as
 * `* …`. --bounce-every restarts it every n ms on the same port. Exit 0 once everything is closed.
 * A closed stdout (its reader gone: `serve 2>&1 | head -1`) stops it as SIGINT does, exit 0; a closed
 * stderr only silences its lines (guard-output.ts).
 */
import { type EchoServer, startEchoServer } from './echo-server.js';
import { lifecycle } from './format.js';
import type { GuardedOutput } from './guard-output.js';
import type { CliIO } from './io.js';
import type { ServeArgs } from './serve-args.js';
import { terminalText } from './terminal-text.js';
import { CliError } from './usage-error.js';

/** Runs `serve` until a signal or a closed stdout; `output` (guard-output.ts) is how it writes. */
export async function runServe(args: ServeArgs, io: CliIO, output: GuardedOutput): Promise<number> {
  // A client's text (its path, an error about it) reaches a terminal escaped (terminal-text.ts).
  const forStderr = terminalText('auto', io.stderr.isTTY);
  const say = (text: string) => output.err(lifecycle(forStderr(text)));
  /** Why it stops as asked (a signal, or stdout closed), exit 0; null: it stopped on an error. */
  let signal: string | null = null;
  let wake: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    wake = resolve;
  });
  const offSignal = io.onSignal((received) => {
    signal ??= received;
    wake();
  });
  const offGone = output.onStdoutGone((error) => {
    signal ??= `stdout closed (${(error as { code?: string }).code ?? error.message})`;
    wake();
  });
  let server: EchoServer;
  try {
    server = await startEchoServer({
      host: args.host,
      port: args.port,
      stallAfterMs: args.stallAfterMs,
      closeCode: args.closeCode,
      log: say,
    });
  } catch (error) {
    offSignal();
    offGone();
    throw new CliError('LV_ERR_IO', `serve: ${(error as Error).message}`);
  }
  output.out(`${server.url}\n`);
  const modes = [
    args.stallAfterMs === undefined
      ? 'echoing'
      : args.stallAfterMs === 0
        ? 'stalling (no echo, no pong)'
        : `echoing, stalling ${args.stallAfterMs} ms after each connection opens`,
    ...(args.closeCode === undefined ? [] : [`closing each connection with ${args.closeCode}`]),
    ...(args.bounceEveryMs === undefined ? [] : [`restarting every ${args.bounceEveryMs} ms`]),
  ];
  say(`listening on ${server.url}: ${modes.join(', ')} (Ctrl-C stops)`);

  let timer: ReturnType<typeof setTimeout> | undefined;
  let bouncing: Promise<void> = Promise.resolve();
  const schedule = () => {
    if (args.bounceEveryMs === undefined || signal) return;
    timer = setTimeout(() => {
      bouncing = server.bounce().then(
        (dropped) => {
          say(`bounce: dropped ${dropped} connection(s); listening again on ${server.url}`);
          schedule();
        },
        (error: Error) => {
          say(`bounce failed: ${error.message}`);
          wake();
        },
      );
    }, args.bounceEveryMs);
  };
  schedule();

  await stopped;
  clearTimeout(timer);
  await bouncing;
  clearTimeout(timer);
  offSignal();
  offGone();
  await server.close();
  say(`${signal ?? 'error'}: stopped`);
  return signal ? 0 : 1;
}
