/**
 * The options of instrumentSupervisor(), checked at once: a wrong value throws a LinkvisorError
 * naming the option (LV_ERR_INVALID_OPTION, LV_ERR_UNKNOWN_OPTION with a "did you mean").
 */
import type { Attributes, Meter, MeterProvider } from '@opentelemetry/api';
import type { Supervisor } from '../runtime/supervisor.js';
import type { Clock } from '../util/clock.js';
import { describe, isRecord } from '../util/describe.js';
import { optionError } from '../util/errors.js';
import { checkKnownKeys } from '../util/option-checks.js';

/**
 * Options of `instrumentSupervisor` (docs/otel.md): the meter provider or meter, whether link ids
 * and watcher names become attributes, constant attributes, and the clock.
 */
export interface InstrumentOptions {
  /**
   * Where the instruments are created (meter `linkvisor`). Default: the global provider of
   * `@opentelemetry/api` — a no-op until an SDK registers one.
   */
  meterProvider?: MeterProvider;
  /** A meter to create the instruments on, instead of one from `meterProvider`. */
  meter?: Meter;
  /**
   * Add `linkvisor.link.id` to every per-link metric: one series per link. Off by default: link
   * ids are the application's (automatic ones are a counter, so unbounded over a process's life).
   */
  linkIdAttribute?: boolean;
  /** Report each watcher by name (`linkvisor.watcher.name`), not only counts by state. Off by default. */
  watcherNameAttribute?: boolean;
  /**
   * Constant attributes for every data point, e.g. to tell two supervisors of one process apart.
   * Keys are non-empty and may not start with `linkvisor.`; values are strings, finite numbers,
   * booleans or arrays of one of these types.
   */
  attributes?: Attributes;
  /** Where durations are read from, in ms. Default: `performance.now()`. Give the supervisor's
   * clock when it runs on a simulated one. */
  clock?: Pick<Clock, 'now'>;
}

export interface CheckedOptions {
  meter: Meter | undefined;
  meterProvider: MeterProvider | undefined;
  linkIdAttribute: boolean;
  watcherNameAttribute: boolean;
  attributes: Attributes;
  clock: Pick<Clock, 'now'> | undefined;
}

const KEYS: ReadonlySet<string> = new Set([
  'meterProvider',
  'meter',
  'linkIdAttribute',
  'watcherNameAttribute',
  'attributes',
  'clock',
]);

const METER_METHODS = [
  'createCounter',
  'createHistogram',
  'createObservableUpDownCounter',
  'createObservableGauge',
  'addBatchObservableCallback',
  'removeBatchObservableCallback',
];

function hasMethods(value: unknown, names: string[]): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    names.every((name) => typeof (value as Record<string, unknown>)[name] === 'function')
  );
}

/** Throws unless `supervisor` is a linkvisor Supervisor (by shape: a second copy of the package
 * installed next to this one makes a different class). */
export function checkSupervisor(supervisor: unknown): asserts supervisor is Supervisor {
  if (!hasMethods(supervisor, ['on', 'list', 'status', 'connect'])) {
    throw optionError(
      'supervisor',
      `must be a linkvisor Supervisor (createSupervisor()), got ${describe(supervisor)}`,
    );
  }
}

/** A string, finite number or boolean, or an array of one of these types (OpenTelemetry's rule:
 * arrays are homogeneous; null and undefined may stand in it). */
function isAttributeValue(value: unknown): boolean {
  const primitive = (v: unknown) => typeof v === 'string' || typeof v === 'boolean' || Number.isFinite(v);
  if (!Array.isArray(value)) return primitive(value);
  const present = value.filter((v) => v !== null && v !== undefined);
  return present.every((v) => primitive(v) && typeof v === typeof present[0]);
}

function checkAttributes(value: unknown): Attributes {
  if (!isRecord(value)) throw optionError('attributes', `must be an object, got ${describe(value)}`);
  for (const [key, v] of Object.entries(value)) {
    if (key === '') throw optionError('attributes', 'keys must be non-empty (OpenTelemetry attribute keys)');
    if (key.startsWith('linkvisor.')) {
      throw optionError(`attributes.${key}`, "keys starting with 'linkvisor.' are linkvisor's own");
    }
    if (!isAttributeValue(v)) {
      throw optionError(
        `attributes.${key}`,
        `must be a string, a finite number, a boolean or an array of one of these types, got ${describe(v)}`,
      );
    }
  }
  // Sorted by key: every attribute set is then these keys in this order and linkvisor's own after
  // them, so the same set is the same string whatever order they were given in (meter-registry.ts).
  // Arrays copied: one the application changes later would change every series (a new one each).
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, v]) => [key, Array.isArray(v) ? [...v] : v]),
  ) as Attributes;
}

function checkBoolean(value: unknown, path: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw optionError(path, `must be a boolean, got ${describe(value)}`);
  return value;
}

export function checkInstrumentOptions(options: unknown): CheckedOptions {
  if (!isRecord(options)) throw optionError('options', `must be an object, got ${describe(options)}`);
  checkKnownKeys(options, KEYS, '');
  const { meter, meterProvider, clock } = options;
  if (meter !== undefined && meterProvider !== undefined) {
    throw optionError('meter', 'give meter or meterProvider, not both');
  }
  // Every method it is called with: one missing failed later with a TypeError (a histogram), or in
  // stop() (removeBatchObservableCallback), after the callback was registered.
  if (meter !== undefined && !hasMethods(meter, METER_METHODS)) {
    throw optionError('meter', `must be an OpenTelemetry Meter, got ${describe(meter)}`);
  }
  if (meterProvider !== undefined && !hasMethods(meterProvider, ['getMeter'])) {
    throw optionError(
      'meterProvider',
      `must be an OpenTelemetry MeterProvider, got ${describe(meterProvider)}`,
    );
  }
  if (clock !== undefined && !hasMethods(clock, ['now'])) {
    throw optionError('clock', `must be an object with now(): number (ms), got ${describe(clock)}`);
  }
  return {
    meter: meter as Meter | undefined,
    meterProvider: meterProvider as MeterProvider | undefined,
    linkIdAttribute: checkBoolean(options.linkIdAttribute, 'linkIdAttribute'),
    watcherNameAttribute: checkBoolean(options.watcherNameAttribute, 'watcherNameAttribute'),
    attributes: options.attributes === undefined ? {} : checkAttributes(options.attributes),
    clock: clock as Pick<Clock, 'now'> | undefined,
  };
}
