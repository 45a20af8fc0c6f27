/**
 * `linkvisor replay <trace.jsonl>`: replays a recorded session (linkvisor/testing's replayTrace).
 * Exit 0 identical, 1 diverged (the first divergence on stderr), 2 a missing or unreadable file.
 */
import { readFile } from 'node:fs/promises';
import { replayTrace } from '../testing/replay-trace.js';
import { parseTrace, type Trace } from '../trace/trace-format.js';
import { LinkvisorError } from '../util/errors.js';
import type { ReplayArgs } from './args.js';
import type { GuardedOutput } from './guard-output.js';
import type { CliIO } from './io.js';
import { terminalText } from './terminal-text.js';
import { UsageError } from './usage-error.js';

/** Reads and checks a trace file; a missing or bad file is a usage error of `command`. */
export async function readTraceFile(command: string, file: string): Promise<{ text: string; trace: Trace }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new UsageError(`${command}: cannot read ${file}${typeof code === 'string' ? ` (${code})` : ''}`);
  }
  try {
    return { text, trace: parseTrace(text) };
  } catch (error) {
    if (error instanceof LinkvisorError) throw new UsageError(`${command}: ${file}: ${error.message}`);
    throw error;
  }
}

/** Runs `replay`; `output` (guard-output.ts) is how it writes: with its reader gone, the verdict is
 * lost but the exit code still tells it. */
export async function runReplay(args: ReplayArgs, io: CliIO, output: GuardedOutput): Promise<number> {
  const { trace } = await readTraceFile('replay', args.file);
  const result = await replayTrace(trace);
  if (result.ok) {
    output.out(`${result.message}\n`);
    return 0;
  }
  const { step, actor, expected, actual } = result.divergence;
  // A trace holds what a server said (close reasons), and anyone may have written it (its actor
  // names too): escaped on a terminal (terminal-text.ts).
  const shown = terminalText('auto', io.stderr.isTTY);
  output.err(
    `linkvisor: replay diverged at step ${step} (${shown(actor)})\n  expected: ${shown(expected)}\n  actual:   ${shown(actual)}\n`,
  );
  // Code is not in a trace: say which links had hooks the command line cannot supply.
  for (const record of trace.records) {
    const hooks = record.kind === 'actor' ? (record.link?.hooks ?? []) : [];
    const decisive = hooks.filter((hook) => ['shouldReconnect', 'backoff'].includes(hook));
    if (decisive.length > 0) {
      output.err(
        `  note: ${shown(record.actor)} had application hooks (${decisive.join(', ')}) that a trace cannot hold; replay it from code with replayTrace(trace, { linkOptions })\n`,
      );
    }
  }
  return 1;
}
