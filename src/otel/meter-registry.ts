/**
 * One set of instruments and one batch observable callback per meter, shared by every
 * instrumentation on it (two supervisors of one process on the global provider, say). The SDK keeps
 * one value per attribute set of an observable instrument at each collection: with a callback per
 * supervisor, the last one's value replaced the others' (3 ready links of two supervisors showed
 * as the second's 2). Here the shared callback sums what each instrumentation observes (counts
 * sum), except `linkvisor.supervisor.up`, which is 1 if any of them is up.
 */
import type { Attributes, BatchObservableCallback, Meter, Observable } from '@opentelemetry/api';
import { LinkvisorError } from '../util/errors.js';
import { createInstruments, type Instruments } from './instruments.js';

/** The observable instruments, by their key in `Instruments`. */
export type ObservedKey = 'linkCount' | 'queueDepth' | 'queueSize' | 'watcherCount' | 'supervisorUp';
/** How an instrumentation hands one observation to the shared callback. */
export type Observe = (key: ObservedKey, value: number, attributes: Attributes) => void;
/** What one instrumentation observes at each collection. */
export type Contribution = (observe: Observe) => void;

const OBSERVED: readonly ObservedKey[] = [
  'linkCount',
  'queueDepth',
  'queueSize',
  'watcherCount',
  'supervisorUp',
];

interface Entry {
  /** By the supervisor they observe. */
  contributions: Map<object, Contribution>;
  callback: BatchObservableCallback;
  observables: Observable[];
}

const instrumentsByMeter = new WeakMap<Meter, Instruments>();
const entries = new WeakMap<Meter, Entry>();

/** The instruments of `meter`, created on first use (a meter that hands back no instrument throws,
 * LV_ERR_INVALID_OPTION naming `meter`, and nothing is kept). */
export function instrumentsOf(meter: Meter): Instruments {
  let instruments = instrumentsByMeter.get(meter);
  if (!instruments) {
    instruments = createInstruments(meter);
    instrumentsByMeter.set(meter, instruments);
  }
  return instruments;
}

/** An attribute set as a string, the same whatever the order of its keys. */
function attributeKey(attributes: Attributes): string {
  return JSON.stringify(Object.entries(attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function sharedCallback(
  instruments: Instruments,
  contributions: Map<object, Contribution>,
): BatchObservableCallback {
  return (result) => {
    if (contributions.size === 1) {
      for (const contribute of contributions.values())
        contribute((key, value, attributes) => result.observe(instruments[key], value, attributes));
      return;
    }
    const sums = new Map<string, { key: ObservedKey; attributes: Attributes; value: number }>();
    for (const contribute of contributions.values()) {
      contribute((key, value, attributes) => {
        const id = `${key}\n${attributeKey(attributes)}`;
        const seen = sums.get(id);
        if (!seen) sums.set(id, { key, attributes, value });
        else seen.value = key === 'supervisorUp' ? Math.max(seen.value, value) : seen.value + value;
      });
    }
    for (const { key, attributes, value } of sums.values())
      result.observe(instruments[key], value, attributes);
  };
}

/** Adds `contribution`, what `supervisor` shows, to the shared callback of `meter` (registering it
 * with the meter first if it is the first: a meter that throws there keeps nothing); returns the
 * function that removes it (and unregisters the callback with the last one). A supervisor
 * instrumented on this meter already is refused (LV_ERR_DUPLICATE_ID, option `meter`): each of
 * its events would be counted twice. */
export function contribute(
  meter: Meter,
  instruments: Instruments,
  supervisor: object,
  contribution: Contribution,
): () => void {
  if (entries.get(meter)?.contributions.has(supervisor)) {
    throw new LinkvisorError(
      'LV_ERR_DUPLICATE_ID',
      'instrumentSupervisor(): this supervisor is instrumented on this meter already (stop() that first): its events would be counted twice',
      { option: 'meter' },
    );
  }
  let entry = entries.get(meter);
  if (!entry) {
    const contributions = new Map<object, Contribution>();
    const observables = OBSERVED.map((key) => instruments[key]);
    const callback = sharedCallback(instruments, contributions);
    meter.addBatchObservableCallback(callback, observables);
    entry = { contributions, callback, observables };
    entries.set(meter, entry);
  }
  const shared = entry;
  shared.contributions.set(supervisor, contribution);
  return () => {
    if (shared.contributions.get(supervisor) !== contribution) return;
    shared.contributions.delete(supervisor);
    if (shared.contributions.size > 0) return;
    if (entries.get(meter) === shared) entries.delete(meter);
    meter.removeBatchObservableCallback(shared.callback, shared.observables);
  };
}
