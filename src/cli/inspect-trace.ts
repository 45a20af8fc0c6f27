/**
 * `linkvisor inspect <trace.jsonl>`: serves the inspector page with the trace open and no
 * supervisor (startInspector(null, { trace })), on 127.0.0.1. Prints the page's URL (it holds the
 * per-run token) on stdout and runs until SIGINT or SIGTERM; exit 0, or 2 for a missing or bad file.
 */
import type { InspectArgs } from './args.js';
import type { CliIO } from './io.js';
import { readTraceFile } from './replay.js';
import { terminalText } from './terminal-text.js';

export async function runInspectTrace(args: InspectArgs, io: CliIO): Promise<number> {
  const { text, trace } = await readTraceFile('inspect', args.file);
  // A file's name (an unpacked archive's) and the warnings reach a terminal escaped (terminal-text.ts).
  const shown = terminalText('auto', io.stderr.isTTY);
  const say = (message: string) => io.stderr.write(`* ${shown(message)}\n`);
  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  const offSignal = io.onSignal(() => stop());
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
    throw error;
  }
  say(`${args.file}: ${trace.records.length} steps; open the page below (Ctrl-C stops)`);
  io.stdout.write(`${server.url}\n`);
  await stopped;
  offSignal();
  await server.close();
  return 0;
}
