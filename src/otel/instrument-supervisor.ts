/**
 * instrumentSupervisor(): a supervisor's links and watchers as OpenTelemetry metrics. Events are
 * counted as they happen (every link, from its creation, through the supervisor's `link` event);
 * states, queues and `up` are observed at each collection, reading `supervisor.status()` once, in
 * the meter's one batch callback (meter-registry.ts: every supervisor instrumented on a meter is
 * summed there). `stop()` removes every listener and this supervisor's part of the callback.
 */
import { type Attributes, metrics } from '@opentelemetry/api';
import type { Link } from '../runtime/link.js';
import type { Supervisor } from '../runtime/supervisor.js';
import type { SupervisorStatus } from '../runtime/supervisor-types.js';
import { systemClock } from '../util/clock.js';
import { LinkvisorError } from '../util/errors.js';
import { LINK_STATES, WATCHER_STATES } from './attribute-values.js';
import { checkInstrumentOptions, checkSupervisor, type InstrumentOptions } from './instrument-options.js';
import { ATTRIBUTES, METER_NAME } from './instruments.js';
import { type Contribution, contribute, instrumentsOf, type Observe } from './meter-registry.js';
import { linkAttributes, observeLink } from './observe-link.js';

/** What `instrumentSupervisor` returns: `stop()` ends the recording. */
export interface SupervisorInstrumentation {
  /** Removes every listener; what was observed (link counts, queues, watchers, `up`) reads 0 at
   * the next collection, then the observable callback goes. Nothing more is recorded. Idempotent. */
  stop(): void;
}

interface Observation {
  status: SupervisorStatus;
  base: Attributes;
  linkIds: boolean;
  watcherNames: boolean;
}

/** Observes links by state and their queues: totals by state (zeros included), or one series per
 * link with its id. */
function observeLinks(observe: Observe, { status, base, linkIds }: Observation): void {
  if (linkIds) {
    for (const link of status.links) {
      const attributes = { ...base, [ATTRIBUTES.linkId]: link.id };
      observe('linkCount', 1, { ...attributes, [ATTRIBUTES.linkState]: link.state });
      observe('queueDepth', link.queue.messages, attributes);
      observe('queueSize', link.queue.bytes, attributes);
    }
    return;
  }
  const byState = new Map<string, number>(LINK_STATES.map((state) => [state, 0]));
  let messages = 0;
  let bytes = 0;
  for (const link of status.links) {
    byState.set(link.state, (byState.get(link.state) ?? 0) + 1);
    messages += link.queue.messages;
    bytes += link.queue.bytes;
  }
  for (const [state, n] of byState) {
    observe('linkCount', n, { ...base, [ATTRIBUTES.linkState]: state });
  }
  observe('queueDepth', messages, base);
  observe('queueSize', bytes, base);
}

function observeWatchers(observe: Observe, { status, base, watcherNames }: Observation): void {
  if (watcherNames) {
    for (const watcher of status.watchers) {
      observe('watcherCount', 1, {
        ...base,
        [ATTRIBUTES.watcherName]: watcher.name,
        [ATTRIBUTES.watcherState]: watcher.state,
      });
    }
    return;
  }
  const byState = new Map<string, number>(WATCHER_STATES.map((state) => [state, 0]));
  for (const watcher of status.watchers) byState.set(watcher.state, (byState.get(watcher.state) ?? 0) + 1);
  for (const [state, n] of byState) {
    observe('watcherCount', n, { ...base, [ATTRIBUTES.watcherState]: state });
  }
}

/**
 * Records the metrics of `supervisor` (see docs/otel.md for the list) until `stop()`. Links that
 * exist already are observed from now on (their time to ready is not known); links created later
 * are observed from their creation.
 */
export function instrumentSupervisor(
  supervisor: Supervisor,
  options: InstrumentOptions = {},
): SupervisorInstrumentation {
  checkSupervisor(supervisor);
  const checked = checkInstrumentOptions(options);
  // A closed supervisor has nothing left to measure: its callback would report it for ever.
  // `closed` reads no link; a supervisor of an older copy of linkvisor (checked by shape) has only status().
  if (typeof supervisor.closed === 'boolean' ? supervisor.closed : supervisor.status().closed) {
    throw new LinkvisorError('LV_ERR_SUPERVISOR_CLOSED', 'instrumentSupervisor(): the supervisor is closed');
  }
  const meter = checked.meter ?? (checked.meterProvider ?? metrics.getMeterProvider()).getMeter(METER_NAME);
  // Once per meter: every instrumentation on it shares its instruments and its batch callback.
  const instruments = instrumentsOf(meter);
  const base = checked.attributes;
  const clock = checked.clock ?? systemClock;
  const detachers = new Map<Link, () => void>();
  // A supervisor of another copy of linkvisor (checked by shape) may have no reportError.
  const onError = (error: LinkvisorError) =>
    (supervisor as { reportError?: (error: LinkvisorError) => void }).reportError?.(error);
  // Without link ids, every link measures with the same attribute sets: made once, shared.
  const shared = checked.linkIdAttribute ? null : linkAttributes(base);

  const attach = (link: Link, fromStart: boolean) => {
    if (detachers.has(link)) return;
    const attributes = shared ?? linkAttributes({ ...base, [ATTRIBUTES.linkId]: link.id });
    // An ended link reports nothing more: it is forgotten (links come and go for a process's life).
    const onEnd = () => detachers.delete(link);
    detachers.set(link, observeLink(link, { instruments, attributes, clock, fromStart, onEnd, onError }));
  };

  const observation: Contribution = (observe) => {
    let status: SupervisorStatus;
    try {
      status = supervisor.status();
    } catch (cause) {
      // The meter's callback is shared with other supervisors: their series are still observed.
      const message = 'linkvisor/otel: status() threw at a collection: its series are left out';
      onError(new LinkvisorError('LV_ERR_LISTENER', message, { cause }));
      return false;
    }
    const read: Observation = {
      status,
      base,
      linkIds: checked.linkIdAttribute,
      watcherNames: checked.watcherNameAttribute,
    };
    try {
      observe('supervisorUp', read.status.up ? 1 : 0, base);
      observeLinks(observe, read);
      observeWatchers(observe, read);
    } catch (cause) {
      // Not a status of this shape (another copy of linkvisor, a replaced status()): what was
      // observed of it is dropped (meter-registry.ts), the other supervisors are still read.
      const message = 'linkvisor/otel: status() returned what cannot be read: its series are left out';
      onError(new LinkvisorError('LV_ERR_LISTENER', message, { cause }));
      return false;
    }
    return true;
  };

  // First, as it may throw (a hand-made meter): nothing is attached yet.
  const uncontribute = contribute(meter, instruments, supervisor, observation);
  for (const link of supervisor.list()) attach(link, false);
  const offs = [
    supervisor.on('link', (link) => attach(link, true)),
    supervisor.on('down', () => instruments.outages.add(1, base)),
  ];

  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    for (const off of offs) off();
    for (const detach of detachers.values()) detach();
    detachers.clear();
    // Last: a meter that throws here leaves no link listener behind.
    uncontribute();
  };
  // A closed supervisor has nothing left to measure: the recording ends with it.
  offs.push(supervisor.on('closed', stop));
  return { stop };
}
