/**
 * The `linkvisor` command: parses the arguments and runs the command, returning the exit code.
 * Usage errors are one line on stderr and exit code 2. bin/linkvisor.js calls `main`.
 */
import { parseArgs } from './args.js';
import { runConnect } from './connect.js';
import { HELP, version } from './help.js';
import { runInspectTrace } from './inspect-trace.js';
import { type CliIO, processIO } from './io.js';
import { runReplay } from './replay.js';
import { runServe } from './serve.js';
import { terminalText } from './terminal-text.js';
import { UsageError } from './usage-error.js';

export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  try {
    const args = parseArgs(argv);
    if (args.command === 'help') {
      io.stdout.write(HELP);
      return 0;
    }
    if (args.command === 'version') {
      io.stdout.write(`${version()}\n`);
      return 0;
    }
    if (args.command === 'replay') return await runReplay(args, io);
    if (args.command === 'inspect') return await runInspectTrace(args, io);
    if (args.command === 'serve') return await runServe(args, io);
    return await runConnect(args, io);
  } catch (error) {
    // What was typed, or an error's text, reaches a terminal escaped (terminal-text.ts).
    const shown = terminalText('auto', io.stderr.isTTY);
    if (error instanceof UsageError) {
      io.stderr.write(`linkvisor: ${shown(error.message)}\n`);
      return 2;
    }
    io.stderr.write(`linkvisor: ${shown((error as Error).message ?? String(error))}\n`);
    return 1;
  }
}
