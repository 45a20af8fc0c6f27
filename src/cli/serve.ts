/**
 * `linkvisor serve`: runs the echo server (echo-server.ts) until SIGINT or SIGTERM. The first line
 * on stdout is its URL (so a script can read it with port 0); lifecycle lines go to stderr as
 * `* …`. --bounce-every restarts it every n ms on the same port. Exit 0 once everything is closed.
 */
import { type EchoServer, startEchoServer } from './echo-server.js';
import { lifecycle } from './format.js';
import type { CliIO } from './io.js';
import type { ServeArgs } from './serve-args.js';
import { terminalText } from './terminal-text.js';

export async function runServe(args: ServeArgs, io: CliIO): Promise<number> {
  // A client's text (its path, an error about it) reaches a terminal escaped (terminal-text.ts).
  const forStderr = terminalText('auto', io.stderr.isTTY);
  const say = (text: string) => io.stderr.write(lifecycle(forStderr(text)));
  let signal: NodeJS.Signals | null = null;
  let wake: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    wake = resolve;
  });
  const offSignal = io.onSignal((received) => {
    signal ??= received;
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
    throw new Error(`serve: ${(error as Error).message}`);
  }
  io.stdout.write(`${server.url}\n`);
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
  await server.close();
  say(`${signal ?? 'error'}: stopped`);
  return signal ? 0 : 1;
}
