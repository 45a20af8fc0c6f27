/**
 * The `linkvisor` command: parses the arguments and runs the command, returning the exit code.
 * Errors are one line on stderr ending with their code (`[LV_ERR_…]`, `LV_ERR_INTERNAL` for an
 * error nothing expected); usage errors exit with code 2. bin/linkvisor.js calls `main`.
 */
import { LinkvisorError } from '../util/errors.js';
import { scrubCredentials } from '../util/scrub-credentials.js';
import { describeThrown } from '../util/thrown.js';
import { parseArgs } from './args.js';
import { runConnect } from './connect.js';
import { guardOutput } from './guard-output.js';
import { HELP, version } from './help.js';
import { runInspectTrace } from './inspect-trace.js';
import { type CliIO, processIO } from './io.js';
import { runReplay } from './replay.js';
import { runServe } from './serve.js';
import { terminalText } from './terminal-text.js';
import { CliError } from './usage-error.js';

export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  // Every command writes through one guard: a reader that went away (`2>&1 | head`) never crashes
  // the process with an unhandled EPIPE (guard-output.ts says what each command does then).
  const output = guardOutput(io);
  try {
    const args = parseArgs(argv);
    if (args.command === 'help') {
      output.out(HELP);
      return 0;
    }
    if (args.command === 'version') {
      output.out(`${version()}\n`);
      return 0;
    }
    if (args.command === 'replay') return await runReplay(args, io, output);
    if (args.command === 'inspect') return await runInspectTrace(args, io, output);
    if (args.command === 'serve') return await runServe(args, io, output);
    return await runConnect(args, io, output);
  } catch (error) {
    // What was typed, or an error's text, reaches a terminal escaped (terminal-text.ts).
    const shown = terminalText('auto', io.stderr.isTTY);
    // Every error names its stable code (docs/errors.md), as the library's errors do.
    if (error instanceof CliError || error instanceof LinkvisorError) {
      output.err(`linkvisor: ${shown(error.message)} [${error.code}]\n`);
      return error instanceof CliError ? error.exitCode : 1;
    }
    // Anything else is a bug (LV_ERR_INTERNAL): its text, which no option checked, loses any
    // credential it quotes (a URL's user info and query values, tokens), and anything thrown,
    // `null` or an object whose getters throw, is shown without throwing again.
    output.err(`linkvisor: ${shown(scrubCredentials(describeThrown(error)))} [LV_ERR_INTERNAL]\n`);
    return 1;
  } finally {
    output.dispose();
  }
}
