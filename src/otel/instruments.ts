/**
 * Every metric of linkvisor/otel: its name, unit, description and instrument kind, in one table,
 * and the attribute keys. Names follow the OpenTelemetry semantic-convention style: a `linkvisor.`
 * namespace, dot-separated, snake_case words, the unit in UCUM (`s`, `By`, `{link}`) and never in
 * the name, counters of events in the plural, `.count` for how many things are in each state.
 * (A Prometheus exporter turns `linkvisor.link.reconnects` into `linkvisor_link_reconnects_total`.)
 */
import {
  type Counter,
  type Histogram,
  type Meter,
  type ObservableGauge,
  type ObservableUpDownCounter,
  ValueType,
} from '@opentelemetry/api';
import { describe } from '../util/describe.js';
import { optionError } from '../util/errors.js';

/** The meter (instrumentation scope) name used with a meterProvider or the global provider. */
export const METER_NAME = 'linkvisor';

/** Attribute keys. Every value comes from a closed set (see attribute-values.ts) except the two
 * opt-in ones, whose values are the application's own link ids and watcher names. */
export const ATTRIBUTES = {
  /** The link's lifecycle state (`idle`, `connecting`, … `closed`). */
  linkState: 'linkvisor.link.state',
  /** What kind of event ended a connection: `close`, `http`, `error`, `timeout`, `heartbeat`, … */
  reasonKind: 'linkvisor.reason.kind',
  /** Why a message was not sent: `overflow` (queue policy), `closed` (the link ended) or
   * `invalid` (the socket refused it when the queue was flushed). */
  dropReason: 'linkvisor.drop.reason',
  /** Opt-in (`linkIdAttribute: true`): the link id, `link:<id>`. */
  linkId: 'linkvisor.link.id',
  /** The watcher's state: `starting`, `ready`, `down`, `stopped`. */
  watcherState: 'linkvisor.watcher.state',
  /** Opt-in (`watcherNameAttribute: true`): the watcher's name. */
  watcherName: 'linkvisor.watcher.name',
} as const;

/**
 * Histogram bucket boundaries, in seconds (given as advice; an SDK View overrides them).
 * Heartbeat round trips: sub-millisecond on loopback, tens of ms across a region, seconds when a
 * path is congested or a peer is overloaded — beyond 10 s the heartbeat's own timeout decides.
 * Time to ready and time down: from a fast connect (ms) to outages of an hour, the range an
 * on-call engineer asks about; the default backoff cap (30 s) and long Retry-After hints sit in
 * the middle.
 */
export const RTT_BUCKETS_S = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Histogram boundaries of time to ready and time down, in seconds (see above). */
export const DURATION_BUCKETS_S = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600,
];

/** Name, unit and description of each metric (what the docs' table is checked against). */
export const METRICS = {
  linkCount: {
    name: 'linkvisor.link.count',
    unit: '{link}',
    description: 'Live links, by state (every state reported, zeros included).',
  },
  reconnects: {
    name: 'linkvisor.link.reconnects',
    unit: '{reconnect}',
    description: 'Retries scheduled, by the kind of reason the previous attempt ended with.',
  },
  disconnects: {
    name: 'linkvisor.link.disconnects',
    unit: '{disconnect}',
    description: 'Ready links that went down, by reason kind.',
  },
  failures: {
    name: 'linkvisor.link.failures',
    unit: '{failure}',
    description: 'Links that failed for good (fatal reason, or gave up), by reason kind.',
  },
  heartbeatRtt: {
    name: 'linkvisor.link.heartbeat.rtt',
    unit: 's',
    description: 'Heartbeat round trip: ping sent to pong (or other proof of life) received.',
  },
  queueDepth: {
    name: 'linkvisor.link.queue.depth',
    unit: '{message}',
    description: 'Messages held in the outbound queues, waiting for their link to be ready.',
  },
  queueSize: {
    name: 'linkvisor.link.queue.size',
    unit: 'By',
    description: 'Bytes held in the outbound queues.',
  },
  dropped: {
    name: 'linkvisor.link.messages.dropped',
    unit: '{message}',
    description:
      'Messages never sent (dropped by the queue overflow policy, still queued when the link ended, refused by the socket when the queue was flushed, unacknowledged when a resumable session was reset) or read and never delivered (a link that ended paused).',
  },
  timeToReady: {
    name: 'linkvisor.link.time_to_ready',
    unit: 's',
    description: 'From the start of connecting to the first ready, per link.',
  },
  downDuration: {
    name: 'linkvisor.link.down.duration',
    unit: 's',
    description: 'How long a ready link stayed down: until ready again, or until it ended; by reason kind.',
  },
  watcherCount: {
    name: 'linkvisor.watcher.count',
    unit: '{watcher}',
    description: 'Health watchers, by state.',
  },
  supervisorUp: {
    name: 'linkvisor.supervisor.up',
    unit: '1',
    description: '1 while at least one link of the supervisor is ready, else 0.',
  },
  outages: {
    name: 'linkvisor.supervisor.outages',
    unit: '{outage}',
    description: 'Times the last ready link of the supervisor went down.',
  },
} as const;

export interface Instruments {
  linkCount: ObservableUpDownCounter;
  reconnects: Counter;
  disconnects: Counter;
  failures: Counter;
  heartbeatRtt: Histogram;
  queueDepth: ObservableUpDownCounter;
  queueSize: ObservableUpDownCounter;
  dropped: Counter;
  timeToReady: Histogram;
  downDuration: Histogram;
  watcherCount: ObservableUpDownCounter;
  supervisorUp: ObservableGauge;
  outages: Counter;
}

type MetricKey = keyof typeof METRICS;

/** Creates every instrument on `meter`. Counts of things are UpDownCounters (they sum across
 * attributes and processes: the spec's choice for "items in a queue"); `up` is a gauge. */
export function createInstruments(meter: Meter): Instruments {
  const whole = (key: MetricKey) => ({
    description: METRICS[key].description,
    unit: METRICS[key].unit,
    valueType: ValueType.INT,
  });
  const seconds = (key: MetricKey, boundaries: number[]) => ({
    description: METRICS[key].description,
    unit: METRICS[key].unit,
    valueType: ValueType.DOUBLE,
    advice: { explicitBucketBoundaries: boundaries },
  });
  const counter = (key: MetricKey) => usable(key, meter.createCounter(METRICS[key].name, whole(key)), 'add');
  const upDown = (key: MetricKey) =>
    usable(key, meter.createObservableUpDownCounter(METRICS[key].name, whole(key)));
  const histogram = (key: MetricKey, boundaries: number[]) =>
    usable(key, meter.createHistogram(METRICS[key].name, seconds(key, boundaries)), 'record');
  return {
    linkCount: upDown('linkCount'),
    reconnects: counter('reconnects'),
    disconnects: counter('disconnects'),
    failures: counter('failures'),
    heartbeatRtt: histogram('heartbeatRtt', RTT_BUCKETS_S),
    queueDepth: upDown('queueDepth'),
    queueSize: upDown('queueSize'),
    dropped: counter('dropped'),
    timeToReady: histogram('timeToReady', DURATION_BUCKETS_S),
    downDuration: histogram('downDuration', DURATION_BUCKETS_S),
    watcherCount: upDown('watcherCount'),
    supervisorUp: usable(
      'supervisorUp',
      meter.createObservableGauge(METRICS.supervisorUp.name, whole('supervisorUp')),
    ),
    outages: counter('outages'),
  };
}

/** `instrument` if it can be used (an object, with `method`): a meter that hands back something
 * else is refused now (LV_ERR_INVALID_OPTION, option `meter`), not with a TypeError at each
 * measurement. */
function usable<T>(key: MetricKey, instrument: T, method?: 'add' | 'record'): T {
  const ok =
    typeof instrument === 'object' &&
    instrument !== null &&
    (method === undefined || typeof (instrument as Record<string, unknown>)[method] === 'function');
  if (ok) return instrument;
  throw optionError(
    'meter',
    `returned ${describe(instrument)} for ${METRICS[key].name}: not an OpenTelemetry instrument`,
  );
}
