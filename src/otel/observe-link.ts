/**
 * One link's events as measurements: reconnects, disconnects, failures and drops (counters by a
 * closed-set attribute), time to the first ready and time down (histograms, on the given clock),
 * heartbeat round trips (histogram). Everything is read through the public API: the link's events
 * (`link.on`), its end (`link.ended()`, then `status().failure`) and, for round trips, the link
 * actor's system (`actor.system.inspect`), where each `heartbeat.pong` the transport reports
 * carries the measured round trip. As few listeners as that allows: each costs memory per link
 * (bench/otel.ts).
 */
import type { Attributes } from '@opentelemetry/api';
import type { AnyActorRef, InspectionEvent } from 'xstate';
import type { Link } from '../runtime/link.js';
import type { Clock } from '../util/clock.js';
import { LinkvisorError } from '../util/errors.js';
import { DROP_REASONS, OTHER, reasonKind } from './attribute-values.js';
import { ATTRIBUTES, type Instruments } from './instruments.js';

/** Attribute sets by value, made once (drops can be many): per link with link ids, else shared. */
export interface LinkAttributes {
  /** Every measurement of the link without its own attribute. */
  base: Attributes;
  byKind(kind: string): Attributes;
  byDrop(reason: string): Attributes;
}

export function linkAttributes(base: Attributes): LinkAttributes {
  const cached = (key: string) => {
    const cache = new Map<string, Attributes>();
    return (value: string): Attributes => {
      let attributes = cache.get(value);
      if (!attributes) {
        attributes = { ...base, [key]: value };
        cache.set(value, attributes);
      }
      return attributes;
    };
  };
  return { base, byKind: cached(ATTRIBUTES.reasonKind), byDrop: cached(ATTRIBUTES.dropReason) };
}

export interface ObserveLinkEnv {
  instruments: Instruments;
  attributes: LinkAttributes;
  clock: Pick<Clock, 'now'>;
  /** The link was seen from its creation: its time to ready can be measured. */
  fromStart: boolean;
  /** The link ended and its listeners are gone. */
  onEnd: () => void;
  /** The meter threw when the link ended (no link event is left to report it on). */
  onError: (error: LinkvisorError) => void;
}

const DROP_SET: ReadonlySet<string> = new Set(DROP_REASONS);

type SystemOf = AnyActorRef['system'];
type Handler = (event: InspectionEvent) => void;
/** One inspection observer per XState system, handing each event to its actor's handler: a
 * supervisor's links share their shard's system (machines/shard.machine.ts), and an observer per
 * link would hear every link of its shard. */
const bySystem = new WeakMap<SystemOf, { handlers: Map<AnyActorRef, Set<Handler>>; unsubscribe(): void }>();

/** Hands `actor`'s inspection events to `handler`; returns the function that stops it. */
function inspectActor(actor: AnyActorRef, handler: Handler): () => void {
  const system = actor.system;
  let entry = bySystem.get(system);
  if (!entry) {
    const handlers = new Map<AnyActorRef, Set<Handler>>();
    const subscription = system.inspect((event: InspectionEvent) => {
      const own = handlers.get(event.actorRef as AnyActorRef);
      if (own) for (const handle of own) handle(event);
    });
    entry = { handlers, unsubscribe: () => subscription.unsubscribe() };
    bySystem.set(system, entry);
  }
  const shared = entry;
  const own = shared.handlers.get(actor) ?? new Set<Handler>();
  shared.handlers.set(actor, own);
  own.add(handler);
  return () => {
    own.delete(handler);
    if (own.size > 0) return;
    shared.handlers.delete(actor);
    if (shared.handlers.size === 0 && bySystem.get(system) === shared) {
      shared.unsubscribe();
      bySystem.delete(system);
    }
  };
}

/** Starts observing `link`; returns the function that removes every listener (idempotent). */
export function observeLink(link: Link, env: ObserveLinkEnv): () => void {
  const { instruments, clock } = env;
  const { base, byKind, byDrop } = env.attributes;
  const seconds = (sinceMs: number) => Math.max(0, clock.now() - sinceMs) / 1000;
  let detached = false;

  /** When connecting started, while the first ready is awaited (null: not started, or not known). */
  let connectingSince: number | null = null;
  let awaitingFirstReady = env.fromStart;
  /** When the ready link went down, and the attributes of its reason, during an outage. */
  let downSince: number | null = null;
  let downAttributes: Attributes = base;

  const endOutage = () => {
    if (downSince === null) return;
    instruments.downDuration.record(seconds(downSince), downAttributes);
    downSince = null;
  };

  const offs = [
    link.on('ready', () => {
      if (awaitingFirstReady && connectingSince !== null) {
        instruments.timeToReady.record(seconds(connectingSince), base);
      }
      awaitingFirstReady = false;
      connectingSince = null;
      endOutage();
    }),
    link.on('lost', ({ reason }) => {
      downAttributes = byKind(reasonKind(reason));
      instruments.disconnects.add(1, downAttributes);
      downSince = clock.now();
    }),
    link.on('reconnecting', ({ reason }) => instruments.reconnects.add(1, byKind(reasonKind(reason)))),
    link.on('dropped', ({ reason }) =>
      instruments.dropped.add(1, byDrop(DROP_SET.has(reason) ? reason : OTHER)),
    ),
  ];
  if (env.fromStart) {
    if (link.state !== 'idle') connectingSince = clock.now();
    else {
      // Created with autoConnect: false: connecting starts when it leaves idle (link.connect()).
      // Waiting for its turn (booked by connect()): it started connecting when it was created.
      const createdAt = clock.now();
      const offIdle = link.on('state', ({ from }) => {
        if (from !== 'idle') return;
        connectingSince = link.actor.getSnapshot().context.policy.autoConnect ? createdAt : clock.now();
        offIdle();
      });
      offs.push(offIdle);
    }
  }

  const onPong = (event: InspectionEvent) => {
    if (event.type !== '@xstate.event') return;
    const { type, rttMs } = event.event as { type: string; rttMs?: unknown };
    if (type === 'heartbeat.pong' && typeof rttMs === 'number' && Number.isFinite(rttMs) && rttMs >= 0) {
      // Inside the link actor's step: a meter that throws must not put the actor in an error state
      // (the SDK's never throw; a hand-made meter might). The measurement is lost, not the link;
      // the failure is reported on the link's `error` event after the step.
      try {
        instruments.heartbeatRtt.record(rttMs / 1000, base);
      } catch (error) {
        queueMicrotask(() => link.wire.reportError(meterError('linkvisor.link.heartbeat.rtt', error)));
      }
    }
  };
  // Reading `link.actor` starts a link still waiting for its turn (the start queue): its pongs are
  // watched from its first state (idle → connecting, reported once its actor is attached).
  let uninspect = () => {};
  if (link.attached) uninspect = inspectActor(link.actor, onPong);
  else {
    const offStart = link.on('state', () => {
      offStart();
      if (!detached) uninspect = inspectActor(link.actor, onPong);
    });
    offs.push(offStart);
  }

  const detach = () => {
    if (detached) return;
    detached = true;
    for (const off of offs) off();
    uninspect();
  };

  // The end: a failure counted by its reason, an outage in progress ends with the link. A meter
  // that throws here is reported (never an unhandled rejection), and the listeners go all the same.
  void link.ended().then(() => {
    if (detached) return;
    try {
      const failure = link.status().failure;
      if (failure) instruments.failures.add(1, byKind(reasonKind(failure)));
      endOutage();
    } catch (error) {
      env.onError(meterError(`the end of link ${link.id}`, error));
    }
    detach();
    env.onEnd();
  });

  return detach;
}

/** A measurement the meter refused (it threw): LV_ERR_LISTENER, option `meter`. */
function meterError(what: string, cause: unknown): LinkvisorError {
  return new LinkvisorError('LV_ERR_LISTENER', `linkvisor/otel: the meter threw recording ${what}`, {
    option: 'meter',
    cause,
  });
}
