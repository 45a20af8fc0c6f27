/**
 * The session trace format (JSON Lines): one header line, then one line per record, in the order
 * the runtime produced them. A record is either an actor appearing (`actor`) or one event an
 * actor processed (`event`): who sent it (a command, a timer by delay name, its transport, another
 * actor), the event itself, the state value before and after, and the transitions taken. The
 * inspector page steps through records by `step`; `replayTrace` re-runs them (linkvisor/testing).
 *
 * Everything in a trace is plain JSON and redacted: no URL query values, no secret headers, no
 * token in any reason (see docs/errors.md, "Secrets"). Non-finite numbers are written as strings
 * ("Infinity"), which JSON cannot hold.
 */

import { shownNumber } from '../util/describe.js';
import { LinkvisorError } from '../util/errors.js';
import { shownChoice } from '../util/option-checks.js';
import { checkRecordedNumber, inputEventProblem, nestingProblem } from './trace-input-checks.js';

/** The `format` of a trace's header line. */
export const TRACE_FORMAT = 'linkvisor-trace';
/** The version of the trace format this package writes and reads. */
export const TRACE_FORMAT_VERSION = 1;

/** An XState state value: `'idle'` or `{ attempt: { ready: 'beating' } }`. */
export type TraceStateValue = string | { [region: string]: TraceStateValue };

/** A JSON value, as a trace holds data. */
export type TraceJson = null | boolean | number | string | TraceJson[] | { [key: string]: TraceJson };

/**
 * The first line of a trace: format and version, when and by which linkvisor it was recorded, and
 * the options of the recorded links.
 */
export interface TraceHeader {
  kind: 'header';
  format: typeof TRACE_FORMAT;
  version: number;
  /** The linkvisor version that recorded it. */
  linkvisor: string;
  /** Wall-clock time the recording started (ISO 8601). */
  startedAt: string;
  /** The supervisor clock's reading when the recording started; `atMs` counts from it. */
  clockStartMs: number;
  /** The supervisor's base jitter seed (link n gets seed + n), or null if it had none. */
  seed: number | null;
  /** The supervisor's link defaults, redacted (functions shown as "[function]"). */
  options: TraceJson;
}

/** Who caused an event. */
export type TraceSource =
  /** From outside every actor: the application (through the supervisor or a link) or the runtime. */
  | { kind: 'command' }
  /** A delayed transition's timer fired (`delay` is the chart's delay name, `delayMs` its value). */
  | { kind: 'timer'; delay: string; delayMs: number | null }
  /** A part of the receiver that reports to it, e.g. a link's `transport`. */
  | { kind: 'child'; id: string }
  /** Another actor, e.g. a link reporting `link.ready` to the socket. */
  | { kind: 'actor'; actor: string };

/**
 * A record of an actor appearing (a link's connection chart, the socket) or being noted as existing
 * when the recording started.
 */
export interface TraceActorRecord {
  kind: 'actor';
  step: number;
  /** Actor id: `socket`, or a link id (`link:feed`). */
  actor: string;
  /** The chart it runs: `socket` or `connection`. */
  machine: string;
  /** Its state value when it appeared. */
  value: TraceStateValue;
  atMs: number;
  /** It existed before the recording started (its history is not in the trace). */
  existing?: boolean;
  /** For links: the redacted endpoint and which application hooks it has (these are code, not
   * data: a replay supplies its own). */
  link?: { url: string; hooks: string[] };
}

/** One transition an event took: from which state to which. */
export interface TraceTransition {
  /** The state the transition leaves, as a dot path from the chart's root (`attempt.ready.beating`,
   * as machines/chart-model.ts names states; '' is the root). */
  source: string;
  /** The states it enters, the same way (none for a targetless transition). */
  targets: string[];
}

/**
 * A record of one event an actor processed: who sent it, the event, the state before and after, and
 * the transitions taken.
 */
export interface TraceEventRecord {
  kind: 'event';
  step: number;
  actor: string;
  machine: string;
  atMs: number;
  source: TraceSource;
  /** The event, redacted; actor references are left out. */
  event: { type: string; [key: string]: TraceJson };
  from: TraceStateValue;
  /** The state value after the event. */
  to: TraceStateValue;
  /** Transitions taken (microsteps included), for drawing the lit edges. */
  transitions: TraceTransition[];
  /** Set when the actor is no longer active after this event. */
  status?: 'done' | 'stopped' | 'error';
}

/** One line of a trace after the header. */
export type TraceRecord = TraceActorRecord | TraceEventRecord;

/**
 * A session trace: its header and records, in the order the runtime produced them (`formatTrace`
 * writes it as JSON Lines, `parseTrace` reads it).
 */
export interface Trace {
  header: TraceHeader;
  records: TraceRecord[];
}

/** The trace as JSON Lines text (header first, one record per line, final newline). */
export function formatTrace(trace: Trace): string {
  checkTraceShape(trace);
  const lines = [trace.header, ...trace.records].map((line) => JSON.stringify(line));
  return `${lines.join('\n')}\n`;
}

function traceError(message: string): LinkvisorError {
  return new LinkvisorError('LV_ERR_INVALID_TRACE', `trace: ${message}`, { option: 'trace' });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `trace` if it is shaped as one (a header and a list of records): else LV_ERR_INVALID_TRACE
 * naming `trace`, not a TypeError (what formatTrace and the step readers are given). */
export function checkTraceShape(trace: unknown): Trace {
  const t = trace as Partial<Trace> | null;
  if (!isObject(t) || !isObject(t.header) || t.header.kind !== 'header' || !Array.isArray(t.records))
    throw traceError('expected a trace ({ header, records })');
  return t as Trace;
}

/** `value` if it is a state value (a string, or an object of them); else LV_ERR_INVALID_TRACE
 * naming `name`. */
export function checkStateValue(value: unknown, name: string): TraceStateValue {
  if (!isStateValue(value))
    throw new LinkvisorError(
      'LV_ERR_INVALID_TRACE',
      `${name}: expected a state value (a string or an object of them)`,
      {
        option: name,
      },
    );
  return value;
}

/** Deepest state value a trace may hold: the charts nest three levels; a hostile file nesting
 * thousands would overflow the stack of every reader that walks it (this check included). */
const MAX_STATE_DEPTH = 32;

function isStateValue(value: unknown, depth = 0): value is TraceStateValue {
  if (typeof value === 'string') return true;
  if (depth >= MAX_STATE_DEPTH || !isObject(value)) return false;
  for (const inner of Object.values(value)) if (!isStateValue(inner, depth + 1)) return false;
  return true;
}

const isStrings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

/** What is wrong with a source (the fields its kind has: `describeRecord` and the replay read
 * them), or null. */
function sourceProblem(source: unknown): string | null {
  if (!isObject(source)) return 'source must be an object';
  const field = (name: string) => `source.${name} must be a string (a ${source.kind} source)`;
  switch (source.kind) {
    case 'command':
      return null;
    case 'timer':
      if (typeof source.delay !== 'string') return field('delay');
      return source.delayMs === null ? null : checkRecordedNumber(source.delayMs, 'source.delayMs');
    case 'child':
      return typeof source.id === 'string' ? null : field('id');
    case 'actor':
      return typeof source.actor === 'string' ? null : field('actor');
    default:
      return `unknown source kind ${shownChoice(source.kind, ['command', 'timer', 'child', 'actor'])} (command, timer, child or actor)`;
  }
}

const isTransition = (value: unknown): value is TraceTransition =>
  isObject(value) && typeof value.source === 'string' && isStrings(value.targets);

const STATUSES: readonly string[] = ['done', 'stopped', 'error'];

function checkActorRecord(value: Record<string, unknown>, at: string): TraceActorRecord {
  if (!isStateValue(value.value)) throw traceError(`${at}: value is not a state value`);
  if (value.existing !== undefined && typeof value.existing !== 'boolean')
    throw traceError(`${at}: existing must be a boolean`);
  const link = value.link;
  if (link !== undefined && !(isObject(link) && typeof link.url === 'string' && isStrings(link.hooks)))
    throw traceError(`${at}: link needs a url and a list of hooks`);
  return value as unknown as TraceActorRecord;
}

/** A record checked field by field, then for values nested past what a trace holds (a hostile
 * file: they overflowed the stack of the readers that walk them). */
function checkRecord(value: unknown, at: string): TraceRecord {
  const record = checkRecordFields(value, at);
  const nesting = nestingProblem(record as unknown as Record<string, unknown>);
  if (nesting) throw traceError(`${at}: ${nesting}`);
  return record;
}

function checkRecordFields(value: unknown, at: string): TraceRecord {
  if (!isObject(value)) throw traceError(`${at} is not an object`);
  if (!Number.isInteger(value.step) || typeof value.actor !== 'string' || typeof value.machine !== 'string') {
    throw traceError(`${at}: a record needs step, actor and machine`);
  }
  const atMs = checkRecordedNumber(value.atMs, 'atMs');
  if (atMs) throw traceError(`${at}: ${atMs}`);
  if (value.kind === 'actor') return checkActorRecord(value, at);
  if (value.kind !== 'event')
    throw traceError(`${at}: unknown record kind ${shownChoice(value.kind, ['event', 'actor'])}`);
  const event = value.event;
  if (!isObject(event) || typeof event.type !== 'string') throw traceError(`${at}: event needs a type`);
  if (!isStateValue(value.from) || !isStateValue(value.to))
    throw traceError(`${at}: from/to are not state values`);
  const source = sourceProblem(value.source);
  if (source) throw traceError(`${at}: ${source}`);
  if (!Array.isArray(value.transitions)) throw traceError(`${at}: transitions must be an array`);
  if (!value.transitions.every(isTransition))
    throw traceError(`${at}: a transition needs a source and a list of targets`);
  if (value.status !== undefined && !STATUSES.includes(value.status as string))
    throw traceError(`${at}: unknown status ${shownChoice(value.status, STATUSES)}`);
  // The fields a replay hands to the runtime (an actor's own report is compared, never applied).
  const input =
    (value.source as TraceSource).kind === 'actor'
      ? null
      : inputEventProblem(event as TraceEventRecord['event']);
  if (input) throw traceError(`${at} (${event.type}): ${input}`);
  return value as unknown as TraceEventRecord;
}

/** What is wrong with the header's fields that readers use (the replay's clock and seed, the
 * options shown), or null. */
function headerProblem(header: Record<string, unknown>): string | null {
  const nesting = nestingProblem(header);
  if (nesting) return nesting;
  for (const key of ['linkvisor', 'startedAt'])
    if (typeof header[key] !== 'string') return `header.${key} must be a string`;
  const lowest = -Number.MAX_SAFE_INTEGER;
  return (
    checkRecordedNumber(header.clockStartMs, 'header.clockStartMs', lowest) ??
    (header.seed === null ? null : checkRecordedNumber(header.seed, 'header.seed (or null)', lowest))
  );
}

/** Reads JSON Lines text into a trace; throws LV_ERR_INVALID_TRACE naming the line at fault. */
export function parseTrace(text: string): Trace {
  if (typeof text !== 'string') throw traceError('expected the text of a .jsonl file');
  // A byte order mark (an editor that saved the file) is no part of the first line's JSON.
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const values: unknown[] = [];
  for (const [i, raw] of lines.entries()) {
    if (raw.trim() === '') continue;
    try {
      values.push([i + 1, JSON.parse(raw)]);
    } catch {
      throw traceError(`line ${i + 1} is not JSON`);
    }
  }
  const [first, ...rest] = values as [number, unknown][];
  if (!first) throw traceError('empty file');
  const header = first[1];
  if (!isObject(header) || header.kind !== 'header' || header.format !== TRACE_FORMAT) {
    throw traceError(`line ${first[0]} is not a ${TRACE_FORMAT} header`);
  }
  if (header.version !== TRACE_FORMAT_VERSION) {
    throw traceError(
      `format version ${shownNumber(header.version)} is not supported (this is ${TRACE_FORMAT_VERSION})`,
    );
  }
  const lineOf = (i: number): string => `line ${(rest[i] as [number, unknown])[0]}`;
  const trace = checkTraceContent(
    header,
    rest.map(([, value]) => value),
    lineOf,
    `line ${first[0]}`,
  );
  PLACES.set(trace.records, { count: trace.records.length, lineOf });
  return trace;
}

/** The lines of the records of each trace `parseTrace` made (by its records' list, while it
 * keeps its length), for errors found later. */
const PLACES = new WeakMap<readonly TraceRecord[], { count: number; lineOf: (i: number) => string }>();

/** Where record `i` of `trace` is, as an error names it: its line in the file `parseTrace` read
 * (a replay's checks come after the parse, and a user has the file, not record numbers), else
 * `record i`. */
export function recordPlace(trace: Trace): (i: number) => string {
  const place = PLACES.get(trace.records);
  return place && place.count === trace.records.length ? place.lineOf : (i) => `record ${i}`;
}

/**
 * A trace's header (its format and version checked) and records, each record checked as
 * `parseTrace` checks the lines of a file: LV_ERR_INVALID_TRACE naming `at(i)` (a line of a file,
 * a record of an object) and the field. What `replayTrace` and `shrinkTrace` are given as an object
 * is checked the same way (a record without a `source` was a TypeError deep inside the replay).
 */
export function checkTraceContent(
  header: Record<string, unknown>,
  records: readonly unknown[],
  at: (i: number) => string,
  headerAt = 'header',
): Trace {
  if (header.format !== TRACE_FORMAT || header.version !== TRACE_FORMAT_VERSION)
    throw traceError(`${headerAt} is not a ${TRACE_FORMAT} header of version ${TRACE_FORMAT_VERSION}`);
  const problem = headerProblem(header);
  if (problem) throw traceError(`${headerAt}: ${problem}`);
  const checked = records.map((value, i) => checkRecord(value, at(i)));
  /** Each actor's chart, by its latest actor record: [its place, the chart]. */
  const charts = new Map<string, [number, string]>();
  for (const [i, record] of checked.entries()) {
    // Named where the reader can find it (a file's line), with the step it should have: a line
    // lost or moved shows as the first step out of order.
    if (record.step !== i)
      throw traceError(`${at(i)} has step ${record.step}, expected ${i} (steps must count 0, 1, 2…)`);
    if (record.kind === 'actor') charts.set(record.actor, [i, record.machine]);
    const chart = charts.get(record.actor);
    // An actor runs one chart: a record naming another (a hand edit) could not be replayed as it
    // says, and would replay as its actor's chart does.
    if (chart && record.machine !== chart[1])
      throw traceError(
        `${at(i)}: machine ${shownChart(record.machine)} is not ${shownChart(chart[1])}, the chart its actor runs (${at(chart[0])}); a replay runs every step of an actor on its chart`,
      );
  }
  return { header: header as unknown as TraceHeader, records: checked };
}

/** The charts a supervisor's actors run (a trace's `machine`). */
const CHARTS: readonly string[] = ['socket', 'connection'];

/** A chart's name as an error shows it: one of CHARTS as it is, another by its length (a
 * record's text is the user's, and may hold anything). */
function shownChart(name: string): string {
  return CHARTS.includes(name) ? `'${name}'` : shownChoice(name, CHARTS);
}

/** Deep equality of two state values. */
export function sameStateValue(a: TraceStateValue, b: TraceStateValue): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every(
    (key) => key in b && sameStateValue(a[key] as TraceStateValue, b[key] as TraceStateValue),
  );
}

/** `{ attempt: { ready: 'beating' } }` → `attempt.ready.beating` (parallel regions joined by `, `). */
export function stateValueText(value: TraceStateValue): string {
  if (typeof value === 'string') return value;
  return Object.entries(value)
    .map(([key, inner]) => `${key}.${stateValueText(inner)}`)
    .join(', ');
}
