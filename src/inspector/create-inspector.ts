/**
 * `createInspector()`: the collector. Its `inspect` observer goes to `createSupervisor({ inspect })`
 * (XState gives it to every actor of the supervisor: the socket actor, each link — a child of a
 * shard, whose system it shares; shards are not shown — and each watcher), and it turns XState inspection events into compact records:
 * one `ActorInfo` per machine actor (state, active paths, live figures) and a timeline of
 * `TransitionRecord`s per actor (time, event, from → to, reason, attempt, next delay). Actors that
 * are not machines (a watcher's probe) are not shown. Nothing is sent
 * anywhere: `startInspector` serves it (./start-inspector.ts).
 *
 * Memory is bounded: at most `maxRecordsPerActor` records per actor, `maxRecords` in all (the
 * oldest of any actor go first: 10,000 bouncing links keep their last few each), `maxEndedActors` ended
 * actors are kept. Every text goes through the redaction pass (./redact-value.ts).
 */
import type { AnyActorRef, InspectionEvent, Observer } from 'xstate';
import { activePaths, type ChartModel } from '../../machines/chart-model.js';
import { checkFunction, checkString } from '../util/option-checks.js';
import {
  changeDetails,
  configOf,
  figuresOf,
  groupOfMachine,
  groupRestartOf,
  leafPath,
  publicState,
  type SocketMemo,
  socketEdges,
  socketMemo,
} from './actor-figures.js';
import { createChartRegistry } from './chart-registry.js';
import { isMachine, logicOf, payloadOf, readableEvent, rowOf, sameFigures } from './inspected-actor.js';
import { checkCollectorOptions } from './inspector-options.js';
import { createLateAttachments } from './late-attachments.js';
import { naturalCompare } from './natural-sort.js';
import type { ActorInfo, ActorRow, Figures, TransitionRecord } from './protocol.js';

/** Bounds of what an inspector's collector keeps in memory. */
export interface InspectorOptions {
  /** Timeline length kept per actor (default 200). */
  maxRecordsPerActor?: number;
  /** Records kept in all actors together (default 100,000: tens of MB); the oldest go first. */
  maxRecords?: number;
  /** Ended actors kept for their last state and timeline (default 20). */
  maxEndedActors?: number;
  /** Clock of the records (epoch ms). Default `Date.now`. */
  now?: () => number;
}

/**
 * A change the collector reports to the inspector's server: an actor appeared, changed, was
 * removed, a record or figures, or a chart first seen.
 */
export type InspectorUpdate =
  | { type: 'actor'; actor: ActorInfo }
  | { type: 'removed'; actor: string }
  | { type: 'record'; record: TransitionRecord }
  | { type: 'figures'; actor: string; figures: Figures }
  | { type: 'chart'; key: string; model: ChartModel };

/**
 * A collector of XState inspection events for the inspector page: pass its `inspect` to
 * `createSupervisor`, and itself to `startInspector`.
 */
export interface Inspector {
  /** The XState inspection observer: pass it to `createSupervisor({ inspect })`. */
  readonly inspect: Observer<InspectionEvent>;
  /** Starts inspecting an actor that was created without this observer (its system's actors).
   * Anything but an XState actor: LV_ERR_INVALID_OPTION naming `actor`. */
  attach(actor: AnyActorRef): void;
  /** XState systems `attach` subscribed to and not yet released (one a live shard, watcher or socket). */
  attachedSystems(): number;
  actors(): ActorInfo[];
  /** Every actor as a list row, in natural order of ids (`l2` before `l10`). */
  rows(): ActorRow[];
  /** One actor (a copy), or undefined. An id that is no string (here and in `recordsOf`,
   * `actorRef`): LV_ERR_INVALID_OPTION naming `id`. */
  get(id: string): ActorInfo | undefined;
  /** Every kept record, oldest first. */
  records(): TransitionRecord[];
  /** The kept timeline of one actor, oldest first. */
  recordsOf(id: string): TransitionRecord[];
  charts(): { key: string; model: ChartModel }[];
  /** The live actor with this id (for `allowEvents`). */
  actorRef(id: string): AnyActorRef | undefined;
  /** Merges figures that do not come from the chart (a link's queue, from `status()`). */
  patchFigures(id: string, figures: Partial<Figures>): void;
  /** Receives every change; returns the function that stops it. A listener that is no function:
   * LV_ERR_INVALID_OPTION naming `listener`. */
  subscribe(listener: (update: InspectorUpdate) => void): () => void;
  /** Detaches from late-attached systems and forgets every listener. */
  dispose(): void;
}

interface Tracked {
  ref: AnyActorRef;
  info: ActorInfo;
  records: TransitionRecord[];
  endedAt: number | null;
  /** The socket's last counts (its edges are changes of these). */
  memo: SocketMemo | null;
}

interface SnapshotLike {
  value?: unknown;
  context?: Record<string, unknown>;
  status?: ActorInfo['status'];
}

/**
 * Creates the collector the inspector page is fed from, bounded in memory (timelines of 200 records
 * per actor, 100,000 in all, 20 ended actors kept). Options that are no object, an unknown key, a
 * bound that is no whole number ≥ 0 (or Infinity) or a `now` that is no function: LV_ERR_INVALID_OPTION /
 * LV_ERR_UNKNOWN_OPTION naming it.
 */
export function createInspector(options: InspectorOptions = {}): Inspector {
  checkCollectorOptions(options);
  const maxRecords = options.maxRecordsPerActor ?? 200;
  const maxTotal = options.maxRecords ?? 100_000;
  /** Every record in the order it was kept, with its actor: the global oldest is evicted first.
   * Entries whose record already went (per-actor cap, removed actor) are skipped. */
  let order: { tracked: Tracked; record: TransitionRecord }[] = [];
  let head = 0;
  let total = 0;
  const maxEnded = options.maxEndedActors ?? 20;
  const now = options.now ?? Date.now;
  const byRef = new Map<AnyActorRef, Tracked>();
  const byId = new Map<string, Tracked>();
  const listeners = new Set<(update: InspectorUpdate) => void>();
  /** Ended actors, oldest end first (a Set keeps insertion order): pruning is O(1) per actor. */
  const ended = new Set<Tracked>();
  let seq = 0;

  const notify = (update: InspectorUpdate) => {
    for (const listener of listeners) {
      try {
        listener(update);
      } catch {
        // a listener's failure must not reach the inspected actor
      }
    }
  };

  const charts = createChartRegistry((key, model) => notify({ type: 'chart', key, model }));

  const freeId = (id: string): string => {
    const existing = byId.get(id);
    if (!existing) return id;
    if (existing.endedAt !== null) {
      remove(existing);
      return id;
    }
    let n = 2;
    while (byId.has(`${id}#${n}`)) n++;
    return `${id}#${n}`;
  };

  const remove = (tracked: Tracked) => {
    total -= tracked.records.length;
    tracked.records = [];
    ended.delete(tracked);
    byRef.delete(tracked.ref);
    if (byId.get(tracked.info.id) === tracked) byId.delete(tracked.info.id);
    notify({ type: 'removed', actor: tracked.info.id });
  };

  const parentOf = (ref: AnyActorRef, context: Record<string, unknown> | undefined, machine: string) => {
    const candidates = [
      (ref as { _parent?: AnyActorRef })._parent,
      context?.parent as AnyActorRef | undefined,
    ];
    for (const candidate of candidates) {
      const tracked = candidate ? byRef.get(candidate) : undefined;
      if (tracked) return tracked.info.id;
    }
    if (machine === 'watcher') {
      for (const tracked of byRef.values()) if (tracked.info.machine === 'socket') return tracked.info.id;
    }
    return undefined;
  };

  const push = (tracked: Tracked, record: Omit<TransitionRecord, 'seq' | 'actor' | 'at'>) => {
    const full: TransitionRecord = { seq: ++seq, actor: tracked.info.id, at: now(), ...record };
    tracked.records.push(full);
    order.push({ tracked, record: full });
    total++;
    if (tracked.records.length > maxRecords) {
      tracked.records.shift();
      total--;
    }
    while (total > maxTotal && head < order.length) {
      const oldest = order[head++];
      if (oldest && oldest.tracked.records[0] === oldest.record) {
        oldest.tracked.records.shift();
        total--;
      }
    }
    // Skipped entries are dropped once they outnumber the live ones.
    if (head > 1024 && head * 2 > order.length) {
      order = order.slice(head);
      head = 0;
    }
    if (order.length - head > 2 * total + 1024) {
      order = order.slice(head).filter((e) => e.tracked.records.includes(e.record));
      head = 0;
    }
    notify({ type: 'record', record: full });
  };

  const register = (ref: AnyActorRef, snapshot: SnapshotLike | undefined): Tracked | undefined => {
    const existing = byRef.get(ref);
    if (existing) return existing;
    const logic = logicOf(ref);
    if (!isMachine(logic)) return undefined;
    const machine = logic.id;
    // A shard (machines/shard.machine.ts) only hosts its links' XState system: not shown; its
    // links show under their socket (their `parent` input).
    if (machine === 'shard') return undefined;
    let snap = snapshot;
    if (!snap?.value) {
      try {
        snap = ref.getSnapshot() as SnapshotLike;
      } catch {
        snap = undefined;
      }
    }
    const parent = parentOf(ref, snap?.context, machine);
    const config = configOf(machine, snap?.context);
    const info: ActorInfo = {
      id: freeId(ref.id),
      machine,
      chart: charts.keyOf(logic),
      group: groupOfMachine(machine),
      ...(parent ? { parent } : {}),
      status: snap?.status ?? 'active',
      state: snap?.value === undefined ? '' : publicState(machine, snap.value),
      leaf: leafPath(snap?.value),
      active: snap?.value === undefined ? [] : activePaths(snap.value),
      changes: 0,
      figures: figuresOf(machine, snap?.context, now(), snap?.value),
      ...(config ? { config } : {}),
      startedAt: now(),
    };
    const memo = machine === 'socket' ? socketMemo(snap?.context) : null;
    const tracked: Tracked = { ref, info, records: [], endedAt: null, memo };
    byRef.set(ref, tracked);
    byId.set(info.id, tracked);
    notify({ type: 'actor', actor: { ...info } });
    if (info.leaf) push(tracked, { event: 'start', from: '', to: info.leaf });
    return tracked;
  };

  const pruneEnded = () => {
    for (const oldest of ended) {
      if (ended.size <= maxEnded) break;
      remove(oldest);
    }
  };

  const onSnapshot = (ref: AnyActorRef, snapshot: SnapshotLike, event: unknown) => {
    const tracked = register(ref, snapshot);
    if (!tracked) return;
    const { info } = tracked;
    const machine = info.machine;
    let parentFound = false;
    if (info.parent === undefined) {
      // An actor registered before its context existed learns its parent from its first snapshot.
      const parent = parentOf(ref, snapshot.context, machine);
      if (parent) {
        info.parent = parent;
        parentFound = true;
      }
    }
    if (!info.config) {
      // Fixed for the actor's life; an actor registered before its context existed learns it now.
      const config = configOf(machine, snapshot.context);
      if (config) info.config = config;
    }
    const leaf = leafPath(snapshot.value);
    const status = snapshot.status ?? 'active';
    const changed = leaf !== info.leaf;
    const ending = status !== 'active' && info.status === 'active';
    if (changed || ending) {
      const type = (event as { type?: unknown } | undefined)?.type;
      const payload = payloadOf(event);
      push(tracked, {
        event: typeof type === 'string' ? (charts.labelOf(info.chart, type) ?? readableEvent(type)) : '',
        from: info.leaf,
        to: leaf,
        ...changeDetails(machine, snapshot.context, snapshot.value),
        ...(payload === undefined ? {} : { payload }),
      });
      info.leaf = leaf;
      info.changes++;
      info.state = publicState(machine, snapshot.value);
      info.active = activePaths(snapshot.value);
      info.status = status;
      if (ending) {
        tracked.endedAt = now();
        ended.add(tracked);
      }
    }
    if (machine === 'socket') {
      const memo = socketMemo(snapshot.context);
      if (memo && tracked.memo) {
        for (const edge of socketEdges(tracked.memo, memo)) {
          push(tracked, { event: edge.event, from: leaf, to: leaf, note: edge.note });
        }
      }
      // A lost member changes no count the targets depend on (strategy, size): read them after.
      const restart = groupRestartOf(snapshot.context, event);
      if (restart) push(tracked, { event: restart.event, from: leaf, to: leaf, note: restart.note });
      tracked.memo = memo ?? tracked.memo;
    }
    const figures = {
      ...figuresOf(machine, snapshot.context, now(), snapshot.value),
      ...(info.figures.queue ? { queue: info.figures.queue } : {}),
    };
    // A countdown restarts only when the delay itself changes.
    if (
      figures.retryAt &&
      info.figures.retryAt &&
      figures.nextDelayMs === info.figures.nextDelayMs &&
      !changed
    ) {
      figures.retryAt = info.figures.retryAt;
    }
    if (changed || ending || parentFound) {
      info.figures = figures;
      notify({ type: 'actor', actor: { ...info } });
    } else if (!sameFigures(figures, info.figures)) {
      info.figures = figures;
      notify({ type: 'figures', actor: info.id, figures });
    }
    if (ending) pruneEnded();
  };

  const inspect: Observer<InspectionEvent> = {
    next(event) {
      try {
        if (event.type === '@xstate.actor') register(event.actorRef as AnyActorRef, undefined);
        else if (event.type === '@xstate.snapshot') {
          onSnapshot(event.actorRef as AnyActorRef, event.snapshot as SnapshotLike, event.event);
        }
      } catch {
        // inspection must never break the inspected actor
      }
    },
  };

  // Systems attach() subscribed to, each released when its root actor ends (./late-attachments.ts).
  const late = createLateAttachments(inspect);

  return {
    inspect,
    attach(actor) {
      late.attach(actor);
      register(actor, undefined);
    },
    attachedSystems: () => late.size,
    actors: () => [...byId.values()].map((t) => ({ ...t.info })),
    rows: () => [...byId.values()].map((t) => rowOf(t.info)).sort((a, b) => naturalCompare(a.id, b.id)),
    get: (id) => {
      const tracked = byId.get(checkString(id, 'id'));
      return tracked ? { ...tracked.info } : undefined;
    },
    records: () => [...byId.values()].flatMap((t) => t.records).sort((a, b) => a.seq - b.seq),
    recordsOf: (id) => [...(byId.get(checkString(id, 'id'))?.records ?? [])],
    charts: () => charts.list(),
    actorRef: (id) => {
      const tracked = byId.get(checkString(id, 'id'));
      return tracked && tracked.endedAt === null ? tracked.ref : undefined;
    },
    patchFigures(id, figures) {
      const tracked = byId.get(id);
      if (!tracked) return;
      const next = { ...tracked.info.figures, ...figures };
      if (sameFigures(next, tracked.info.figures)) return;
      tracked.info.figures = next;
      notify({ type: 'figures', actor: id, figures: next });
    },
    subscribe(listener) {
      checkFunction(listener, 'listener');
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      late.dispose();
      listeners.clear();
    },
  };
}
