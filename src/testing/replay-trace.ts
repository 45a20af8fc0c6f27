/**
 * `replayTrace(trace)`: re-runs a recorded session's inputs against the real runtime on a memory
 * network and a simulated clock (src/testing/replay-session.ts) and checks that every actor takes
 * the same transitions, in the same order, with the same timer delays. Actors are compared one by
 * one (the order between two actors' steps is not, since it depends on the real network's timing);
 * the result names the first divergence by its step in the recorded trace.
 */

import { checkLinkOptions } from '../runtime/options.js';
import { listIn } from '../trace/list-in.js';
import {
  checkTraceContent,
  parseTrace,
  recordPlace,
  sameStateValue,
  stateValueText,
  type Trace,
  type TraceEventRecord,
  type TraceRecord,
} from '../trace/trace-format.js';
import { isRecord } from '../util/describe.js';
import { LinkvisorError, optionError } from '../util/errors.js';
import { checkKnownKeys, checkNumber } from '../util/option-checks.js';
import { asRecord, replayLinkOptions } from './replay-link-options.js';
import { type ReplayOptions, ReplaySession } from './replay-session.js';
import { startRefusals } from './replay-start-refusals.js';

export type { ReplayOptions } from './replay-session.js';

/**
 * Where a replay first did something else than the recording: the step, the actor, what was
 * expected and what happened.
 */
export interface ReplayDivergence {
  /** Step of the recorded trace where the replay first differs. */
  step: number;
  actor: string;
  /** What the trace recorded at that step, in words. */
  expected: string;
  /** What the replay did instead (or why the input could not be applied). */
  actual: string;
}

/** What `replayTrace` found: identical (with the replayed trace), or the first divergence. */
export type ReplayResult =
  | { ok: true; steps: number; actors: number; message: string; replayed: Trace }
  | { ok: false; divergence: ReplayDivergence; message: string; replayed: Trace };

/** A step in words: `link:1 transport.closed: attempt.ready.beating → reconnecting`. */
export function describeRecord(record: TraceRecord): string {
  if (!isRecord(record) || (record.kind !== 'actor' && record.kind !== 'event'))
    throw new LinkvisorError(
      'LV_ERR_INVALID_TRACE',
      'record: expected a trace record (kind actor or event)',
      {
        option: 'record',
      },
    );
  if (record.kind === 'actor') return `${record.actor} appears in ${stateValueText(record.value)}`;
  const timer = record.source.kind === 'timer' ? ` after ${record.source.delayMs ?? '?'} ms` : '';
  return `${record.event.type}${timer}: ${stateValueText(record.from)} → ${stateValueText(record.to)}`;
}

function sameRecord(expected: TraceRecord, actual: TraceRecord): boolean {
  if (expected.kind === 'actor' || actual.kind === 'actor') {
    return (
      expected.kind === actual.kind &&
      expected.machine === actual.machine &&
      sameStateValue(
        expected.kind === 'actor' ? expected.value : expected.to,
        actual.kind === 'actor' ? actual.value : actual.to,
      )
    );
  }
  if (expected.event.type !== actual.event.type || !sameStateValue(expected.to, actual.to)) return false;
  if (expected.source.kind === 'timer' && actual.source.kind === 'timer') {
    const [a, b] = [expected.source.delayMs, actual.source.delayMs];
    if (a !== null && b !== null && a !== b) return false;
  }
  return true;
}

/** Inputs the replay produces; every other record must follow from them. */
export function isInput(record: TraceRecord): record is TraceEventRecord {
  return record.kind === 'event' && record.source.kind !== 'actor';
}

/** The records a replay can reproduce, per actor (actors that existed before recording are out,
 * and so are the socket's events from them). */
export function expectedByActor(trace: Trace): Map<string, TraceRecord[]> {
  const existing = new Set(
    trace.records.filter((r) => r.kind === 'actor' && r.existing === true).map((r) => r.actor),
  );
  const byActor = new Map<string, TraceRecord[]>();
  for (const record of trace.records) {
    if (existing.has(record.actor)) continue;
    if (record.kind === 'event' && record.source.kind === 'actor' && existing.has(record.source.actor))
      continue;
    listIn(byActor, record.actor).push(record);
  }
  return byActor;
}

/** Whether the recorded links ran on an in-process transport (their chart skips connecting). */
export function recordedInProcess(trace: Trace): boolean {
  for (const record of trace.records) {
    if (record.kind !== 'event' || record.event.type !== 'peer.add') continue;
    const { inputs, input: one } = record.event as { inputs?: unknown; input?: unknown };
    const input = (Array.isArray(inputs) ? inputs[0] : one) as { inProcess?: unknown } | undefined;
    return input?.inProcess === true;
  }
  return false;
}

/**
 * Whether the input at `i` was recorded in the same job as the input before it, before any
 * microtask ran: both end a connection (`transport.closed`) at the same instant, and nothing but
 * the socket's synchronous steps on their reports lies between them (a memory server's `dropAll`
 * closes every peer in one call). Replayed with a settle in between, the socket's after-step
 * effects of the first (a one-for-all group restarting the other member) would run before the
 * second close, which the recording saw first.
 */
export function sameJobAsPrevious(records: readonly TraceRecord[], i: number): boolean {
  const record = records[i];
  if (!isClose(record)) return false;
  for (let j = i - 1; j >= 0; j--) {
    const before = records[j] as TraceRecord;
    if (before.kind === 'event' && before.source.kind === 'actor') continue;
    return isClose(before) && before.atMs === record.atMs && before.actor !== record.actor;
  }
  return false;
}

/** The inputs recorded in the same job right after the one at `i` (see sameJobAsPrevious). */
function sameJobAfter(
  records: readonly TraceRecord[],
  i: number,
  comparison: Comparison,
): TraceEventRecord[] {
  const found: TraceEventRecord[] = [];
  for (let j = i + 1; j < records.length; j++) {
    const next = records[j] as TraceRecord;
    if (!isInput(next)) continue;
    if (comparison.indexOf(next) < 0 || !sameJobAsPrevious(records, j)) break;
    found.push(next);
  }
  return found;
}

function isClose(record: TraceRecord | undefined): record is TraceEventRecord {
  return (
    record?.kind === 'event' && record.source.kind === 'child' && record.event.type === 'transport.closed'
  );
}

class Comparison {
  /** Each expected record's position in its actor's list. */
  private readonly positions = new Map<TraceRecord, number>();

  constructor(
    private readonly expected: Map<string, TraceRecord[]>,
    private readonly actual: Map<string, TraceRecord[]>,
  ) {
    for (const list of expected.values())
      for (const [i, record] of list.entries()) this.positions.set(record, i);
  }

  /** The earliest divergence so far; `complete` also counts expected records still missing. */
  first(complete: boolean): ReplayDivergence | null {
    let best: ReplayDivergence | null = null;
    for (const [actor, expected] of this.expected) {
      const actual = this.actual.get(actor) ?? [];
      const n = complete ? expected.length : Math.min(expected.length, actual.length);
      for (let i = 0; i < n; i++) {
        const want = expected[i] as TraceRecord;
        const got = actual[i];
        if (got && sameRecord(want, got)) continue;
        if (!best || want.step < best.step) {
          // Of other charts (a trace of another version, edited), the steps could read the same.
          const charts = got && got.machine !== want.machine;
          best = {
            step: want.step,
            actor,
            expected: `${describeRecord(want)}${charts ? ` (chart ${want.machine})` : ''}`,
            actual: got
              ? `${describeRecord(got)}${charts ? ` (chart ${got.machine})` : ''}`
              : 'nothing happened',
          };
        }
        break;
      }
    }
    return best;
  }

  /** The record's position in its actor's expected list, or -1 if it is not expected. */
  indexOf(record: TraceRecord): number {
    return this.positions.get(record) ?? -1;
  }
}

function divergenceMessage(d: ReplayDivergence): string {
  return `replay diverged at step ${d.step} (${d.actor}): expected ${d.expected}; actual: ${d.actual}`;
}

/**
 * Replays `trace` and reports whether every actor took the same transitions. Never throws for a
 * divergence (the result says where); throws LV_ERR_INVALID_TRACE for a trace it cannot read, and
 * LV_ERR_INVALID_OPTION / LV_ERR_UNKNOWN_OPTION naming `linkOptions` for link options connect()
 * would refuse (a function's answer too) or an `id` other than the link's recorded one
 * (`linkOptions.id`), LV_ERR_LISTENER (option `linkOptions`) when `linkOptions(linkId)` throws.
 */
export async function replayTrace(trace: Trace | string, options: ReplayOptions = {}): Promise<ReplayResult> {
  const checked = checkTrace(trace);
  // A misspelt `linkOptions` would leave the hooks out and the replay diverge for no visible reason.
  if (isRecord(options)) checkKnownKeys(options, REPLAY_OPTION_KEYS, '');
  return (await replayCounting(checked, options)).result;
}

/** A trace, or the text of a .jsonl file; anything else is LV_ERR_INVALID_TRACE. */
export function checkTrace(trace: unknown): Trace {
  if (typeof trace === 'string') {
    const parsed = parseTrace(trace);
    return checkRecordedLinks(parsed, recordPlace(parsed));
  }
  const t = trace as Partial<Trace> | null;
  if (typeof t !== 'object' || t === null || t.header?.kind !== 'header' || !Array.isArray(t.records)) {
    throw new LinkvisorError(
      'LV_ERR_INVALID_TRACE',
      'trace: expected a trace ({ header, records }) or its JSON Lines text',
      {
        option: 'trace',
      },
    );
  }
  // Each record as parseTrace checks a line (the object is used as it is: its records are kept).
  checkTraceContent(t.header as unknown as Record<string, unknown>, t.records, (i) => `record ${i}`);
  return checkRecordedLinks(t as Trace, recordPlace(t as Trace));
}

/**
 * The recorded links' options (`peer.add`'s inputs) as a replay makes its links of them: options a
 * link refuses (a hand-edited `backoff.initialDelayMs: 1e300`) are the trace's fault, refused here
 * (LV_ERR_INVALID_TRACE naming the record and the option) instead of a divergence at that step.
 */
function checkRecordedLinks(trace: Trace, at: (i: number) => string): Trace {
  for (const [i, record] of trace.records.entries()) {
    if (record.kind !== 'event' || record.source.kind !== 'command' || record.event.type !== 'peer.add')
      continue;
    const { inputs, input } = record.event;
    for (const [j, one] of (Array.isArray(inputs) ? inputs : [input]).entries()) {
      try {
        checkLinkOptions(replayLinkOptions(asRecord(one), async () => {}));
      } catch (error) {
        // An unknown key (an older recorder's, a hand edit) too: the trace's fault, not the caller's.
        if (
          !(error instanceof LinkvisorError) ||
          (error.code !== 'LV_ERR_INVALID_OPTION' && error.code !== 'LV_ERR_UNKNOWN_OPTION')
        )
          throw error;
        const field = Array.isArray(inputs) ? `event.inputs[${j}]` : 'event.input';
        throw new LinkvisorError(
          'LV_ERR_INVALID_TRACE',
          `trace: ${at(i)} (peer.add): ${field}: ${error.message}`,
          {
            option: 'trace',
            cause: error,
          },
        );
      }
    }
  }
  return trace;
}

/** The options of `replayTrace` (`shrinkTrace` adds `maxRuns`). */
export const REPLAY_OPTION_KEYS: ReadonlySet<string> = new Set(['linkOptions', 'maxTimersPerStep']);

function checkReplayOptions(options: ReplayOptions): void {
  const raw: unknown = options;
  if (!isRecord(raw)) throw optionError('options', 'must be an object');
  const { linkOptions, maxTimersPerStep } = options;
  if (linkOptions !== undefined && typeof linkOptions !== 'function' && !isRecord(linkOptions)) {
    throw optionError('linkOptions', 'must be link options or a function of the link id returning them');
  }
  // Checked as connect() checks them: a bad one is the caller's, never a divergence of the trace.
  if (isRecord(linkOptions)) checkLinkOptions(linkOptions, 'linkOptions');
  if (maxTimersPerStep !== undefined)
    checkNumber(maxTimersPerStep, 'maxTimersPerStep', { min: 1, integer: true });
}

/** The replay's session; the recorded supervisor options it cannot take are the trace's fault. */
function startSession(trace: Trace, options: ReplayOptions): ReplaySession {
  try {
    const inProcess = recordedInProcess(trace);
    // Only in-process, a refusing server fails an attempt inside the link's start.
    const refusals = inProcess ? startRefusals(trace.records) : new Map();
    return new ReplaySession(trace.header, inProcess, options, refusals);
  } catch (error) {
    if (!(error instanceof LinkvisorError) || error.code !== 'LV_ERR_INVALID_OPTION') throw error;
    throw new LinkvisorError('LV_ERR_INVALID_TRACE', `trace: header options: ${error.message}`, {
      option: 'trace',
      cause: error,
    });
  }
}

/** `replayTrace`, also returning the inputs it had to apply (the others followed from them). */
export async function replayCounting(
  trace: Trace,
  options: ReplayOptions = {},
): Promise<{ result: ReplayResult; applied: TraceEventRecord[] }> {
  checkReplayOptions(options);
  const applied: TraceEventRecord[] = [];
  const expected = expectedByActor(trace);
  const session = startSession(trace, options);
  const comparison = new Comparison(expected, session.actual);
  let divergence: ReplayDivergence | null = null;
  const records = trace.records;
  /** Inputs already applied with the one recorded before them in the same job. */
  const done = new Set<TraceRecord>();
  try {
    for (const [i, record] of records.entries()) {
      const index = comparison.indexOf(record);
      if (!isInput(record) || index < 0 || done.has(record)) continue;
      // Already there: it followed from an earlier input (e.g. the supervisor told every link), or
      // happened as recorded (a refusal inside a start slice: an input a shrink must keep).
      if ((session.actual.get(record.actor)?.length ?? 0) > index) {
        if (session.happened.has(record)) applied.push(record);
        continue;
      }
      applied.push(record);
      const sameJob = sameJobAfter(records, i, comparison);
      for (const next of sameJob) done.add(next);
      applied.push(...sameJob);
      const why = await session.apply(record, sameJob);
      divergence = comparison.first(false);
      if (!divergence && why) {
        divergence = {
          step: record.step,
          actor: record.actor,
          expected: describeRecord(record),
          actual: why,
        };
      }
      if (divergence) break;
    }
    divergence ??= comparison.first(true);
  } finally {
    await session.close();
  }
  const replayed = session.recorder.trace();
  if (divergence) {
    return { result: { ok: false, divergence, message: divergenceMessage(divergence), replayed }, applied };
  }
  const steps = [...expected.values()].reduce((sum, list) => sum + list.length, 0);
  const message = `replay identical: ${steps} steps of ${expected.size} actors`;
  return { result: { ok: true, steps, actors: expected.size, message, replayed }, applied };
}
