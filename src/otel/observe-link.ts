/**
 * One link's events as measurements: reconnects, disconnects, failures and drops (counters by a
 * closed-set attribute), time to the first ready and time down (histograms, on the given clock),
 * heartbeat round trips (histogram). Everything is read through the public API: the link's events
 * (`link.on`) and, for round trips, the link actor's system (`actor.system.inspect`), where each
 * `heartbeat.pong` the transport reports carries the measured round trip. Returns the function that
 * removes every listener.
 */
import type { Attributes } from '@opentelemetry/api';
import type { InspectionEvent } from 'xstate';
import type { Reason } from '../../machines/policy/close-reason.js';
import type { Clock } from '../clock.js';
import type { Link } from '../link.js';
import { DROP_REASONS, OTHER, reasonKind } from './attribute-values.js';
import { ATTRIBUTES, type Instruments } from './instruments.js';

export interface ObserveLinkEnv {
  instruments: Instruments;
  /** Attributes of every measurement of this link (constant ones, and its id when opted in). */
  attributes: Attributes;
  clock: Pick<Clock, 'now'>;
  /** The link was seen from its creation: its time to ready can be measured. */
  fromStart: boolean;
}

/** Attribute sets made once per link and value, not once per measurement (drops can be many). */
function attributeCache(base: Attributes, key: string) {
  const cache = new Map<string, Attributes>();
  return (value: string): Attributes => {
    let attributes = cache.get(value);
    if (!attributes) {
      attributes = { ...base, [key]: value };
      cache.set(value, attributes);
    }
    return attributes;
  };
}

const DROP_SET: ReadonlySet<string> = new Set(DROP_REASONS);

export function observeLink(link: Link, env: ObserveLinkEnv): () => void {
  const { instruments, attributes, clock } = env;
  const byKind = attributeCache(attributes, ATTRIBUTES.reasonKind);
  const byDrop = attributeCache(attributes, ATTRIBUTES.dropReason);
  const kindOf = (reason: Reason | null | undefined) => byKind(reasonKind(reason));
  const seconds = (sinceMs: number) => Math.max(0, clock.now() - sinceMs) / 1000;

  /** When connecting started, while the first ready is awaited (null: not started, or not known). */
  let connectingSince: number | null = env.fromStart && link.state !== 'idle' ? clock.now() : null;
  let awaitingFirstReady = env.fromStart;
  /** When the ready link went down, and the kind of that reason, during an outage. */
  let downSince: number | null = null;
  let downAttributes: Attributes = attributes;

  const endOutage = () => {
    if (downSince === null) return;
    instruments.downDuration.record(seconds(downSince), downAttributes);
    downSince = null;
  };

  const offs = [
    link.on('state', ({ from }) => {
      if (awaitingFirstReady && connectingSince === null && from === 'idle') connectingSince = clock.now();
    }),
    link.on('ready', () => {
      if (awaitingFirstReady && connectingSince !== null) {
        instruments.timeToReady.record(seconds(connectingSince), attributes);
      }
      awaitingFirstReady = false;
      connectingSince = null;
      endOutage();
    }),
    link.on('lost', ({ reason }) => {
      downAttributes = kindOf(reason);
      instruments.disconnects.add(1, downAttributes);
      downSince = clock.now();
    }),
    link.on('reconnecting', ({ reason }) => instruments.reconnects.add(1, kindOf(reason))),
    link.on('failed', ({ reason }) => {
      instruments.failures.add(1, kindOf(reason));
      endOutage();
    }),
    link.on('closed', () => endOutage()),
    link.on('dropped', ({ reason }) =>
      instruments.dropped.add(1, byDrop(DROP_SET.has(reason) ? reason : OTHER)),
    ),
  ];

  const actor = link.actor;
  const inspection = actor.system.inspect((event: InspectionEvent) => {
    if (event.type !== '@xstate.event' || event.actorRef !== actor) return;
    const { type, rttMs } = event.event as { type: string; rttMs?: unknown };
    if (type === 'heartbeat.pong' && typeof rttMs === 'number' && Number.isFinite(rttMs) && rttMs >= 0) {
      // Inside the link actor's step: a meter that throws must not put the actor in an error state
      // (the SDK's never throw; a hand-made meter might).
      try {
        instruments.heartbeatRtt.record(rttMs / 1000, attributes);
      } catch {
        // the measurement is lost, the link is not
      }
    }
  });

  return () => {
    for (const off of offs) off();
    inspection.unsubscribe();
  };
}
