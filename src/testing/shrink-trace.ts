/**
 * `shrinkTrace(trace, predicate)`: delta debugging (ddmin) over a trace's inputs. Each candidate
 * is a subset of the recorded inputs (in their order) run against the real runtime on the memory
 * network and the simulated clock; what the actors did is recorded afresh, so every candidate is
 * a well-formed trace that replays identically. The predicate is the application's invariant:
 * it FAILS by returning false or throwing. The smallest failing trace found is returned.
 */

import type { Trace, TraceEventRecord } from '../trace/trace-format.js';
import { isRecord } from '../util/describe.js';
import { LinkvisorError } from '../util/errors.js';
import { checkKnownKeys, checkNumber } from '../util/option-checks.js';
import { type ReplayOptions, ReplaySession } from './replay-session.js';
import { keptRefusals, startRefusals } from './replay-start-refusals.js';
import { checkTrace, REPLAY_OPTION_KEYS, recordedInProcess, replayCounting } from './replay-trace.js';

/**
 * The property a shrunk trace must keep failing: return `false` or throw for a failure (`true` or
 * nothing passes); may be async.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: an assertion-style predicate returns nothing
export type TracePredicate = (trace: Trace) => boolean | void | Promise<boolean | void>;

/** How `shrinkTrace` searches: replay options, and the most candidate runs. */
export interface ShrinkOptions extends ReplayOptions {
  /** Most candidate runs (each one replays a subset of the inputs). Default 400. */
  maxRuns?: number;
}

const SHRINK_OPTION_KEYS: ReadonlySet<string> = new Set([...REPLAY_OPTION_KEYS, 'maxRuns']);

function shrinkError(message: string): LinkvisorError {
  return new LinkvisorError('LV_ERR_INVALID_TRACE', `shrinkTrace(): ${message}`, { option: 'trace' });
}

/** Runs these inputs (skipping any that no longer apply) and records what happens. */
export async function runInputs(
  trace: Trace,
  inputs: readonly TraceEventRecord[],
  options: ReplayOptions = {},
): Promise<Trace> {
  const inProcess = recordedInProcess(trace);
  // A refusal inside a start slice is replayed there when the candidate keeps its transport.closed.
  const refusals = inProcess ? keptRefusals(startRefusals(trace.records), inputs) : new Map();
  const session = new ReplaySession(trace.header, inProcess, options, refusals);
  try {
    for (const input of inputs) await session.apply(input);
  } finally {
    await session.close();
  }
  return session.recorder.trace();
}

async function fails(predicate: TracePredicate, trace: Trace): Promise<boolean> {
  try {
    return (await predicate(trace)) === false;
  } catch {
    return true;
  }
}

/** `items` cut into `n` nearly equal consecutive parts. */
function split<T>(items: readonly T[], n: number): T[][] {
  const parts: T[][] = [];
  let start = 0;
  for (let i = 0; i < n; i++) {
    const end = start + Math.floor((items.length - start) / (n - i));
    parts.push(items.slice(start, end));
    start = end;
  }
  return parts.filter((part) => part.length > 0);
}

/**
 * Cuts a trace that fails `predicate` down to the fewest inputs that still fail it, replaying
 * candidates on a memory network and a simulated clock (docs/replay.md).
 */
export async function shrinkTrace(
  input: Trace | string,
  predicate: TracePredicate,
  options: ShrinkOptions = {},
): Promise<Trace> {
  const trace = checkTrace(input);
  if (typeof predicate !== 'function')
    throw new LinkvisorError('LV_ERR_INVALID_OPTION', 'predicate: must be a function', {
      option: 'predicate',
    });
  if (isRecord(options)) checkKnownKeys(options, SHRINK_OPTION_KEYS, '');
  if (options.maxRuns !== undefined) checkNumber(options.maxRuns, 'maxRuns', { min: 1, integer: true });
  if (!(await fails(predicate, trace))) throw shrinkError('the predicate does not fail on this trace');
  const { result, applied } = await replayCounting(trace, options);
  if (!result.ok) throw shrinkError(`the trace does not replay: ${result.message}`);
  const maxRuns = options.maxRuns ?? 400;
  let runs = 0;
  const attempt = async (inputs: TraceEventRecord[]): Promise<Trace | null> => {
    runs++;
    const candidate = await runInputs(trace, inputs, options);
    return (await fails(predicate, candidate)) ? candidate : null;
  };

  let current = applied;
  let best = await attempt(current);
  if (!best)
    throw shrinkError(
      'the predicate does not fail when the inputs are replayed (does it depend on real time?)',
    );
  let n = 2;
  while (current.length >= 2 && runs < maxRuns) {
    const parts = split(current, n);
    let reduced = false;
    // A complement first: most inputs are needed to set a failure up, few to trigger it.
    for (let i = 0; i < parts.length && runs < maxRuns && !reduced; i++) {
      const complement = parts.flatMap((part, j) => (j === i ? [] : part));
      const found = await attempt(complement);
      if (found) {
        [current, best, n, reduced] = [complement, found, Math.max(n - 1, 2), true];
      }
    }
    for (let i = 0; i < parts.length && runs < maxRuns && !reduced && n > 2; i++) {
      const part = parts[i] as TraceEventRecord[];
      const found = await attempt(part);
      if (found) [current, best, n, reduced] = [part, found, 2, true];
    }
    if (!reduced) {
      if (n >= current.length) break;
      n = Math.min(n * 2, current.length);
    }
  }
  return best;
}
