/**
 * One set of instruments and one batch observable callback per meter, shared by every
 * instrumentation on it (two supervisors of one process on the global provider, say). The SDK keeps
 * one value per attribute set of an observable instrument at each collection: with a callback per
 * supervisor, the last one's value replaced the others' (3 ready links of two supervisors showed
 * as the second's 2). Here the shared callback sums what each instrumentation observes (counts
 * sum), except `linkvisor.supervisor.up`, which is 1 if any of them is up.
 *
 * A series an instrumentation observed at the last collection and not at this one (with link ids,
 * a link that changed state or ended; with watcher names, a watcher's) is observed as 0 once: the
 * SDK keeps reporting the last value of an attribute set no callback observes, so a link that went
 * idle → ready counted 1 in both states, and every ended link 1 for ever.
 *
 * The registry (instruments, callback and parts by meter) is shared by every copy of linkvisor in
 * the process, on globalThis (`registry()`): two copies on one meter are one set, as two
 * supervisors of one copy are.
 */
import {
  type Attributes,
  type BatchObservableCallback,
  createNoopMeter,
  diag,
  type Meter,
  type Observable,
} from '@opentelemetry/api';
import { LinkvisorError } from '../util/errors.js';
import { createInstruments, type Instruments } from './instruments.js';

/** The observable instruments, by their key in `Instruments`. */
export type ObservedKey = 'linkCount' | 'queueDepth' | 'queueSize' | 'watcherCount' | 'supervisorUp';
/** How an instrumentation hands one observation to the shared callback. */
export type Observe = (key: ObservedKey, value: number, attributes: Attributes) => void;
/** What one instrumentation observes at each collection; false when it could not read its
 * supervisor (nothing observed: its series keep their values). */
export type Contribution = (observe: Observe) => boolean;

const OBSERVED: readonly ObservedKey[] = [
  'linkCount',
  'queueDepth',
  'queueSize',
  'watcherCount',
  'supervisorUp',
];

type Series = { key: ObservedKey; attributes: Attributes };
type Observed = Series & { value: number };

/** One instrumentation's part: what it observes, and the series it observed last time. */
interface Part {
  contribution: Contribution;
  seen: Map<string, Series>;
  /** Stopped: its series read 0 at the next collection, then it goes. */
  ending: boolean;
}

interface Entry {
  /** By the supervisor they observe. */
  parts: Map<object, Part>;
  callback: BatchObservableCallback;
  observables: Observable[];
  /** In the callback: a part ended then (from an error listener) releases it after. */
  collecting: boolean;
}

/** What every copy of linkvisor in the process shares about meters (see `registry`). */
interface Registry {
  instrumentsByMeter: WeakMap<Meter, Instruments>;
  entries: WeakMap<Meter, Entry>;
  /** The supervisors instrumented on the no-op meter. */
  onNoop: WeakSet<object>;
}

/** The process-wide key of the registry; its version changes with the shape of `Registry`, and of
 * what it holds that another copy's code reads (`Instruments`' keys, `Entry`, `Part`, a
 * `Contribution`'s signature): a copy of another shape keeps its own, as before, never reading an
 * instrument or a part it does not know. */
const REGISTRY_KEY = Symbol.for('linkvisor.otel.meter-registry.v1');

/**
 * One registry for every copy of linkvisor in the process (an application's and a library's,
 * each bundled): with one each, two copies on one meter registered two sets of instruments and
 * two batch callbacks, and the SDK keeps one value per attribute set of an observable at a
 * collection (one copy's links replaced the other's), and one supervisor instrumented by both
 * was counted twice. Kept on globalThis under a Symbol.for key, made by the first copy.
 */
function registry(): Registry {
  const holder = globalThis as { [REGISTRY_KEY]?: Registry };
  let shared = holder[REGISTRY_KEY];
  if (!shared) {
    shared = { instrumentsByMeter: new WeakMap(), entries: new WeakMap(), onNoop: new WeakSet() };
    Object.defineProperty(holder, REGISTRY_KEY, { value: shared, configurable: true });
  }
  return shared;
}

const { instrumentsByMeter, entries, onNoop } = registry();
/** @opentelemetry/api's one no-op meter (the global provider's until an SDK is registered, a
 * shut-down SDK provider's); the supervisors instrumented on it are `onNoop`. */
const NOOP_METER = createNoopMeter();

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

/** An attribute set as a string: the constant attributes come sorted by key (instrument-options.ts)
 * and linkvisor's own after them in a fixed order, so the same set gives the same string. */
const attributeKey = (attributes: Attributes): string => JSON.stringify(attributes);

/** Adds `value` to the series `id` of this collection (`up`: the largest). */
function add(sums: Map<string, Observed>, id: string, series: Series, value: number): void {
  const seen = sums.get(id);
  if (!seen) sums.set(id, { ...series, value });
  else seen.value = series.key === 'supervisorUp' ? Math.max(seen.value, value) : seen.value + value;
}

/** What `part` observes now, added to `sums`; 0 for each series it observed last time and not now.
 * A part that could not be read (false, or a throw) adds nothing, not even what it observed
 * before that: its series are left out this time, and the other parts are still read. */
function collectPart(part: Part, sums: Map<string, Observed>): void {
  const now = new Map<string, Series>();
  const staged: [string, Series, number][] = [];
  let read: boolean;
  try {
    read = part.contribution((key, value, attributes) => {
      const id = `${key}\n${attributeKey(attributes)}`;
      const series = { key, attributes };
      now.set(id, series);
      staged.push([id, series, value]);
    });
  } catch {
    read = false;
  }
  if (!read) return;
  for (const [id, series, value] of staged) add(sums, id, series, value);
  for (const [id, series] of part.seen) if (!now.has(id)) add(sums, id, series, 0);
  part.seen = now;
}

/** Unregisters `entry`'s callback from `meter` if it has no part left. */
function release(meter: Meter, entry: Entry): void {
  if (entry.parts.size > 0) return;
  // First: a meter that throws here keeps the entry, whose callback it still calls (with no part).
  meter.removeBatchObservableCallback(entry.callback, entry.observables);
  if (entries.get(meter) === entry) entries.delete(meter);
}

/** release() after a collection, in a microtask: a throw there would be an uncaught exception (it
 * ends a Node process), and no supervisor is left to report it on: OpenTelemetry's diag logger. */
function releaseLater(meter: Meter, entry: Entry): void {
  queueMicrotask(() => {
    try {
      release(meter, entry);
    } catch (error) {
      diag.error('linkvisor/otel: the meter threw removing its batch observable callback', error);
    }
  });
}

/** The meter's one callback: every part's observations summed; a part that ended observes 0 for
 * its series this once and goes (the callback with the last one, after this collection: removing
 * it from within would make the SDK skip the meter's next callback at this collection). */
function sharedCallback(instruments: Instruments, meter: Meter, entry: () => Entry): BatchObservableCallback {
  return (result) => {
    const current = entry();
    const { parts } = current;
    const sums = new Map<string, Observed>();
    let ended = false;
    current.collecting = true;
    try {
      for (const [owner, part] of parts) {
        collectPart(part, sums);
        if (part.ending) {
          parts.delete(owner);
          ended = true;
        }
      }
    } finally {
      current.collecting = false;
    }
    for (const { key, attributes, value } of sums.values())
      result.observe(instruments[key], value, attributes);
    if (ended) releaseLater(meter, entry());
  };
}

/** Adds `contribution`, what `supervisor` shows, to the shared callback of `meter` (registering it
 * with the meter first if it is the first: a meter that throws there keeps nothing). Returns the
 * function that ends it: its series read 0 at the next collection (the SDK would repeat their last
 * values for ever: a closed supervisor `up`), then it goes, and the callback with the last one; one
 * that was never collected goes at once. Keeps no reference to `supervisor` once ended. A
 * supervisor instrumented on this meter already is refused (LV_ERR_DUPLICATE_ID, option `meter`):
 * each of its events would be counted twice. */
export function contribute(
  meter: Meter,
  instruments: Instruments,
  supervisor: object,
  contribution: Contribution,
): () => void {
  if (meter === NOOP_METER ? onNoop.has(supervisor) : entries.get(meter)?.parts.has(supervisor)) {
    throw new LinkvisorError(
      'LV_ERR_DUPLICATE_ID',
      'instrumentSupervisor(): this supervisor is instrumented on this meter already (stop() that first): its events would be counted twice',
      { option: 'meter' },
    );
  }
  if (meter === NOOP_METER) {
    // It never calls a callback: nothing to share, and an entry of the process-long no-op meter
    // would keep every supervisor instrumented before an SDK was registered (dropped without a
    // close) for the process's life. Only remembered, weakly, to refuse it twice as with an SDK.
    onNoop.add(supervisor);
    return () => onNoop.delete(supervisor);
  }
  let entry = entries.get(meter);
  if (!entry) {
    const observables = OBSERVED.map((key) => instruments[key]);
    const made: Entry = {
      parts: new Map(),
      callback: sharedCallback(instruments, meter, () => made),
      observables,
      collecting: false,
    };
    meter.addBatchObservableCallback(made.callback, observables);
    entries.set(meter, made);
    entry = made;
  }
  const shared = entry;
  const part: Part = { contribution, seen: new Map(), ending: false };
  shared.parts.set(supervisor, part);
  return () => {
    if (shared.parts.get(supervisor) !== part) return;
    shared.parts.delete(supervisor);
    if (part.seen.size > 0) {
      // Observes nothing more: what it observed reads 0 once. Kept under a key of its own, so the
      // supervisor may be instrumented again on this meter at once.
      part.contribution = () => true;
      part.ending = true;
      shared.parts.set({}, part);
      return;
    }
    // Not while the SDK goes through the meter's callbacks: it would skip the next one.
    if (shared.collecting) releaseLater(meter, shared);
    else release(meter, shared);
  };
}
