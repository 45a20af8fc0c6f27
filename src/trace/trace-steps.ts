/**
 * `traceSteps(trace)`: a trace as the inspector page (or a test) steps through it. Pure: one
 * snapshot per record, each with every actor's state value at that step, the population of every
 * state of every chart (for "reconnecting 412" on one drawn chart per machine) and what moved.
 * Costs O(records × actors) memory; for a very large trace, page through `traceStepAt`.
 */
import {
  checkStateValue,
  checkTraceShape,
  type Trace,
  type TraceRecord,
  type TraceStateValue,
  type TraceTransition,
} from './trace-format.js';

/** One actor's state at a step of a trace. */
export interface TraceActorState {
  machine: string;
  value: TraceStateValue;
  /** `active` until its chart reached a final state (`done`) or it was stopped. */
  status: 'active' | 'done' | 'stopped' | 'error';
}

/** What every actor of a trace looks like at one step (the inspector page steps through these). */
export interface TraceStep {
  step: number;
  atMs: number;
  /** The record of this step (the event, its source, from/to, transitions). */
  record: TraceRecord;
  /** The actor that moved. */
  actor: string;
  /** Transitions to light for it (empty when it only appeared or nothing matched). */
  transitions: readonly TraceTransition[];
  /** Every actor seen so far, at this step. */
  actors: Readonly<Record<string, TraceActorState>>;
  /** Per chart (machine id), how many actors are in each state node, by dotted path
   * (`attempt`, `attempt.ready`, `attempt.ready.beating`, `reconnecting`…). */
  populations: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/** Every state node path a value is in: `{ a: { b: 'c' } }` → `a`, `a.b`, `a.b.c`. */
export function statePaths(value: TraceStateValue, prefix = ''): string[] {
  if (prefix === '') checkStateValue(value, 'value');
  if (typeof value === 'string') return [prefix + value];
  const paths: string[] = [];
  for (const [key, inner] of Object.entries(value)) {
    paths.push(prefix + key, ...statePaths(inner, `${prefix}${key}.`));
  }
  return paths;
}

/** `record[key]` if it is the record's own (a trace's names are data: `constructor` or
 * `__proto__` must not read what every object inherits). */
function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Sets `record[key]` as an own property, whatever the name (`__proto__` included). */
function put<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

function addPopulation(
  populations: Record<string, Record<string, number>>,
  machine: string,
  value: TraceStateValue,
  delta: number,
) {
  const counts = { ...own(populations, machine) };
  for (const path of statePaths(value)) {
    const next = (own(counts, path) ?? 0) + delta;
    if (next === 0) delete counts[path];
    else put(counts, path, next);
  }
  put(populations, machine, counts);
}

/** One snapshot per record of the trace, in order. */
export function traceSteps(trace: Trace): TraceStep[] {
  checkTraceShape(trace);
  const steps: TraceStep[] = [];
  let actors: Record<string, TraceActorState> = {};
  let populations: Record<string, Record<string, number>> = {};
  for (const record of trace.records) {
    const before = own(actors, record.actor);
    const value = record.kind === 'actor' ? record.value : record.to;
    const status = record.kind === 'event' ? (record.status ?? 'active') : 'active';
    const after: TraceActorState = { machine: record.machine, value, status };
    populations = { ...populations };
    if (before) addPopulation(populations, before.machine, before.value, -1);
    addPopulation(populations, after.machine, after.value, 1);
    actors = { ...actors, [record.actor]: after };
    steps.push({
      step: record.step,
      atMs: record.atMs,
      record,
      actor: record.actor,
      transitions: record.kind === 'event' ? record.transitions : [],
      actors,
      populations,
    });
  }
  return steps;
}

/** The snapshot at one step (computed from the start: O(step)); null past the end. */
export function traceStepAt(trace: Trace, step: number): TraceStep | null {
  checkTraceShape(trace);
  if (!Number.isInteger(step) || step < 0 || step >= trace.records.length) return null;
  const steps = traceSteps({ header: trace.header, records: trace.records.slice(0, step + 1) });
  return steps[steps.length - 1] ?? null;
}
