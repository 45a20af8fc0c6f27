/**
 * The options of `recordSession` (a `TraceRecorder`'s), and their check: LV_ERR_* naming the option.
 */
import { describe, isRecord } from '../util/describe.js';
import { optionError } from '../util/errors.js';
import { checkFunction, checkKnownKeys } from '../util/option-checks.js';
import type { TraceHeader, TraceRecord } from './trace-format.js';

/**
 * Options of `recordSession`. To stream a recording of any length to a file with bounded memory:
 * `onHeader` writes the header line, `onRecord` each record line as it is made, and
 * `keepRecords: false` keeps none of them in memory (docs/replay.md, "A long recording").
 */
export interface TraceRecorderOptions {
  /** Called once with the trace's header (as a method of the options: a class instance's keeps
   * its `this`), before any record (inside `recordSession()`, which may
   * already make records for the actors that exist): the first line of a streamed trace. */
  onHeader?: (header: TraceHeader) => void;
  /** Called with each record as it is made, in order, `step` set (e.g. to stream JSON Lines to a
   * file: `JSON.stringify(record)` is its line). A sink never breaks the recorded actors: what it
   * first throws is reported on the supervisor's `error` event (LV_ERR_LISTENER), and recording goes on. */
  onRecord?: (record: TraceRecord) => void;
  /**
   * Whether the recorder keeps every record in memory for `stop()`, `trace()` and `toJSONL()`
   * (default `true`). `false` with `onRecord`: memory stays bounded however long the recording
   * runs (only the few records waiting for an earlier one are held), and `stop()` / `trace()`
   * return the header with no records; `recordCount` says how many were made.
   */
  keepRecords?: boolean;
}

const RECORDER_OPTIONS: ReadonlySet<string> = new Set(['onHeader', 'onRecord', 'keepRecords']);

/** `recordSession`'s options, checked: LV_ERR_* naming the option at fault; and the recorder's
 * host (a TraceRecorder made by hand, not by recordSession, is given something else). */
export function checkRecorderOptions(options: unknown, host: unknown): TraceRecorderOptions {
  if (!isRecord(host) || typeof host.actors !== 'function' || !isRecord(host.clock))
    throw optionError(
      'host',
      `must be a supervisor's recording host (use recordSession(supervisor)), got ${describe(host)}`,
    );
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null)
    throw optionError('options', `must be an object, got ${describe(options)}`);
  const value = options as Record<string, unknown>;
  checkKnownKeys(value, RECORDER_OPTIONS, '');
  if (value.onHeader !== undefined) checkFunction(value.onHeader, 'onHeader');
  if (value.onRecord !== undefined) checkFunction(value.onRecord, 'onRecord');
  if (value.keepRecords !== undefined && typeof value.keepRecords !== 'boolean')
    throw optionError('keepRecords', `must be a boolean, got ${describe(value.keepRecords)}`);
  return value as TraceRecorderOptions;
}
