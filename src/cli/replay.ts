/**
 * `linkvisor replay <trace.jsonl>`: replays a recorded session (linkvisor/testing's replayTrace).
 * Exit 0 identical, 1 diverged (the first divergence on stderr), 2 a missing, unreadable or oversized
 * file (MAX_TRACE_FILE_BYTES).
 */
import { open } from 'node:fs/promises';
import { replayTrace } from '../testing/replay-trace.js';
import { parseTrace, type Trace } from '../trace/trace-format.js';
import { LinkvisorError } from '../util/errors.js';
import { LINKVISOR_VERSION } from '../util/version.js';
import type { ReplayArgs } from './args.js';
import type { GuardedOutput } from './guard-output.js';
import type { CliIO } from './io.js';
import { shownFile } from './shown-file.js';
import { terminalText } from './terminal-text.js';
import { UsageError } from './usage-error.js';

/**
 * The largest trace file `replay` and `inspect` read, in bytes: 256 MiB. A trace line is ~400
 * bytes and ~0.7 KiB of heap once parsed (a replay holds a second trace of its own), so 256 MiB
 * (~600,000 records; `connect --record` with the default heartbeat writes ~2.4 MB per link and
 * day) stays well inside Node's default heap, where a larger file, or one that never ends
 * (`/dev/zero`, a pipe), would be read until the process ran out of memory or string length.
 */
export const MAX_TRACE_FILE_BYTES = 256 * 1024 * 1024;

/** A trace file larger than MAX_TRACE_FILE_BYTES. */
class TooLarge extends Error {}

/** The file's text, read in chunks and refused past MAX_TRACE_FILE_BYTES (at once by its size
 * when it is a regular file; by what was read when it has none, as a device or a pipe). */
async function readBounded(file: string): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const info = await handle.stat();
    if (info.isFile() && info.size > MAX_TRACE_FILE_BYTES) throw new TooLarge();
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(1024 * 1024);
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > MAX_TRACE_FILE_BYTES) throw new TooLarge();
      chunks.push(chunk.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** Reads and checks a trace file; a missing, bad or oversized file is a usage error of `command`. */
export async function readTraceFile(command: string, file: string): Promise<{ text: string; trace: Trace }> {
  let text: string;
  try {
    text = await readBounded(file);
  } catch (error) {
    if (error instanceof TooLarge) {
      throw new UsageError(
        'LV_ERR_INVALID_TRACE',
        `${command}: ${shownFile(file)}: larger than ${MAX_TRACE_FILE_BYTES / 1024 / 1024} MiB, the most a trace file may be`,
      );
    }
    const code = (error as { code?: unknown }).code;
    throw new UsageError(
      'LV_ERR_IO',
      `${command}: cannot read ${shownFile(file)}${typeof code === 'string' ? ` (${code})` : ''}`,
    );
  }
  try {
    return { text, trace: parseTrace(text) };
  } catch (error) {
    if (error instanceof LinkvisorError)
      throw new UsageError(error.code, `${command}: ${shownFile(file)}: ${error.message}`);
    throw error;
  }
}

/** Runs `replay`; `output` (guard-output.ts) is how it writes: with its reader gone, the verdict is
 * lost but the exit code still tells it. */
export async function runReplay(args: ReplayArgs, io: CliIO, output: GuardedOutput): Promise<number> {
  const { trace } = await readTraceFile('replay', args.file);
  let result: Awaited<ReturnType<typeof replayTrace>>;
  try {
    result = await replayTrace(trace);
  } catch (error) {
    // What the replay refuses of the file (a link's recorded options) is a bad file, as the parse's.
    if (error instanceof LinkvisorError && error.code === 'LV_ERR_INVALID_TRACE')
      throw new UsageError(error.code, `replay: ${shownFile(args.file)}: ${error.message}`);
    throw error;
  }
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
  // Another version's charts may differ: the likeliest cause of a divergence is said first.
  if (trace.header.linkvisor !== LINKVISOR_VERSION) {
    output.err(
      `  note: the trace was recorded by linkvisor ${shown(trace.header.linkvisor)}, this is ${LINKVISOR_VERSION}: a chart changed since diverges\n`,
    );
  }
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
