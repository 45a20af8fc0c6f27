/**
 * `linkvisor inspect <trace.jsonl>`: serves the inspector page with the trace open and no
 * supervisor (startInspector(null, { trace })), on 127.0.0.1. Prints the page's URL (it holds the
 * per-run token) on stdout and runs until SIGINT or SIGTERM (`* SIGTERM: stopped`, as `serve` says);
 * exit 0, or 2 for a missing or bad file.
 * A closed stdout (nobody can read the URL) stops it as SIGINT does, exit 0 (guard-output.ts).
 */
import type { InspectArgs } from './args.js';
import type { GuardedOutput } from './guard-output.js';
import type { CliIO } from './io.js';
import { readTraceFile } from './replay.js';
import { shownFile } from './shown-file.js';
import { terminalText } from './terminal-text.js';
import { CliError } from './usage-error.js';

/** Runs `inspect` until a signal or a closed stdout; `output` (guard-output.ts) is how it writes. */
export async function runInspectTrace(args: InspectArgs, io: CliIO, output: GuardedOutput): Promise<number> {
  const { text, trace } = await readTraceFile('inspect', args.file);
  // A file's name (an unpacked archive's) and the warnings reach a terminal escaped (terminal-text.ts).
  const shown = terminalText('auto', io.stderr.isTTY);
  const say = (message: string) => output.err(`* ${shown(message)}\n`);
  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  /** The signal that stopped it, said once the server is closed (as `serve` says it). */
  let signal: string | null = null;
  const offSignal = io.onSignal((received) => {
    signal ??= received;
    stop();
  });
  const offGone = output.onStdoutGone((error) => {
    say(`stdout closed (${(error as { code?: string }).code ?? error.message}): stopping`);
    stop();
  });
  // Loaded only for this command: `connect` and `replay` never pull in the server.
  const { startInspector } = await import('../inspector/start-inspector.js');
  let server: Awaited<ReturnType<typeof startInspector>>;
  try {
    server = await startInspector(null, {
      trace: text,
      port: args.port,
      warn: say,
    });
  } catch (error) {
    // Not started (a port in use): nothing of this command stays hooked to the process.
    offSignal();
    offGone();
    // A port it cannot listen on (EADDRINUSE, EACCES) says so with its code, as `serve` does.
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && !code.startsWith('LV_ERR_'))
      throw new CliError('LV_ERR_IO', `inspect: ${(error as Error).message}`);
    throw error;
  }
  say(`${shownFile(args.file)}: ${trace.records.length} steps; open the page below (Ctrl-C stops)`);
  output.out(`${server.url}\n`);
  await stopped;
  offSignal();
  offGone();
  await server.close();
  if (signal) say(`${signal}: stopped`);
  return 0;
}
