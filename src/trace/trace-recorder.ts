/**
 * Records a session trace (src/trace/trace-format.ts) from XState inspection events: the
 * supervisor hands `recorder.observer` to its socket actor and to every link actor (see
 * `recordSession()`), and the recorder turns what they process into redacted records.
 *
 * What it reads: `@xstate.event` (who sent an event), `@xstate.action` (the value a named delay
 * was scheduled with), `@xstate.microstep` (the transitions taken) and `@xstate.snapshot` (the
 * state after each event: one record per snapshot). Only the `socket` and `connection` charts are
 * recorded; the events a link's transport reports (src/runtime/transport-reports.ts) are recorded as
 * `child` events of `transport`.
 */
import type { AnyActorRef, InspectionEvent, Observer } from 'xstate';
import type { RecordingHost } from '../runtime/recording-host.js';
import { REDACTED, redactText } from '../util/redact.js';
import { LINKVISOR_VERSION } from '../util/version.js';
import { LinkSecrets, type SocketEventLike } from './link-secrets.js';
import { listIn } from './list-in.js';
import {
  formatTrace,
  TRACE_FORMAT,
  TRACE_FORMAT_VERSION,
  type Trace,
  type TraceHeader,
  type TraceJson,
  type TraceRecord,
  type TraceSource,
  type TraceStateValue,
  type TraceTransition,
} from './trace-format.js';
import { toTraceJson } from './trace-json.js';
import { nodePath, type StateNodeLike, toStateValue } from './trace-node-path.js';
import { checkRecorderOptions, type TraceRecorderOptions } from './trace-recorder-options.js';
import { type ScheduledDelay, scheduledDelay, traceSource } from './trace-source.js';

export type { TraceRecorderOptions } from './trace-recorder-options.js';

/** The charts a trace follows (machine ids). */
const RECORDED_MACHINES = new Set(['socket', 'connection']);
/** Flushed places dropped from the front of the order at once (amortises the splice). */
const COMPACT_AFTER = 1024;

interface Tracked {
  id: string;
  machine: string;
  value: TraceStateValue;
}

interface SnapshotLike {
  value?: unknown;
  status?: string;
  machine?: { id?: string };
}

/**
 * A recording in progress (`recordSession`): the records so far, `stop()` for the trace,
 * `toJSONL()` for its text.
 */
export class TraceRecorder {
  readonly observer: Observer<InspectionEvent>;
  /** Records made so far, in order, with their steps (none kept when `keepRecords` is false). */
  private readonly records: TraceRecord[] = [];
  /** How many records have been made (the next one's step). */
  private made = 0;
  private readonly keepRecords: boolean;
  /**
   * Places in the order, reserved when an event is sent to an actor and filled when the actor has
   * processed it: a record comes before everything its event caused (reports to the socket,
   * listeners' commands), although XState announces the new snapshot after running those.
   */
  private readonly slots: (TraceRecord | null | false)[] = [];
  /** The place in the order of `slots[0]` (places before it are flushed and dropped). */
  private base = 0;
  /** The first place not yet handed on. */
  private flushed = 0;
  private readonly waiting = new WeakMap<AnyActorRef, { event: object; slot: number }[]>();
  /** The trace's header (its first line), made when the recording started. */
  readonly header: TraceHeader;
  private readonly tracked = new Map<AnyActorRef, Tracked>();
  /** The latest actor seen under each id (a link id may be used again after the link ended). */
  private readonly byId = new Map<string, AnyActorRef>();
  private readonly sources = new WeakMap<object, AnyActorRef | null>();
  /** Per actor: the delay's name and value (ms) each pending delayed event was scheduled with:
   * an `xstate.after.*` event, or one the chart raises with a named delay (the ack timer's
   * `resume.ackDue`, named by its id). */
  private readonly delays = new WeakMap<AnyActorRef, Map<string, ScheduledDelay>>();
  private readonly transitions = new WeakMap<AnyActorRef, TraceTransition[]>();
  /** Per link: the secrets to scrub from its records. */
  private readonly secrets: LinkSecrets;
  private stopped = false;
  private readonly onStop: (() => void)[] = [];

  private readonly options: TraceRecorderOptions;

  /** @internal Recorders are made by `recordSession(supervisor)`. */
  constructor(
    private readonly host: RecordingHost,
    options: TraceRecorderOptions = {},
  ) {
    this.options = checkRecorderOptions(options, host);
    this.keepRecords = this.options.keepRecords !== false;
    this.secrets = new LinkSecrets(host);
    this.header = {
      kind: 'header',
      format: TRACE_FORMAT,
      version: TRACE_FORMAT_VERSION,
      linkvisor: LINKVISOR_VERSION,
      startedAt: new Date().toISOString(),
      clockStartMs: host.clock.now(),
      seed: host.seed ?? null,
      options: toTraceJson(host.options, []) ?? {},
    };
    try {
      this.options.onHeader?.(this.header);
    } catch {
      // a failing sink must not break the recording
    }
    this.observer = {
      next: (event) => {
        try {
          this.inspect(event);
        } catch {
          // Recording must never break a recorded actor; a record lost here shows in a replay.
        }
      },
    };
  }

  /** How many records have been made so far (kept or not). */
  get recordCount(): number {
    return this.made;
  }

  /** Whether `stop()` has been called. */
  get recording(): boolean {
    return !this.stopped;
  }

  /** Notes actors that existed before the recording started (their history is not in it). */
  addExisting(actor: AnyActorRef, existing: boolean): void {
    const snapshot = actor.getSnapshot() as SnapshotLike;
    const machine = snapshot.machine?.id;
    if (this.stopped || !machine || !RECORDED_MACHINES.has(machine) || this.tracked.has(actor)) return;
    this.appear(actor, machine, snapshot.value as TraceStateValue, existing);
  }

  /** The recorded actor with this id (the socket, or a link), if it has been seen. */
  actor(id: string): AnyActorRef | undefined {
    return this.byId.get(id);
  }

  /** Runs `fn` when the recording stops (the supervisor unhooks the observer there). */
  whenStopped(fn: () => void): void {
    if (this.stopped) fn();
    else this.onStop.push(fn);
  }

  /** Ends the recording and returns the trace (with no records when `keepRecords` is false: they
   * went to `onRecord`). Idempotent (later calls return the same trace). */
  stop(): Trace {
    if (!this.stopped) {
      this.stopped = true;
      this.flush(true);
      for (const fn of this.onStop.splice(0)) fn();
    }
    return this.trace();
  }

  /** The trace so far (a copy; no records when `keepRecords` is false). */
  trace(): Trace {
    return { header: this.header, records: [...this.records] };
  }

  /** The trace so far as JSON Lines. */
  toJSONL(): string {
    return formatTrace(this.trace());
  }

  private inspect(event: InspectionEvent): void {
    if (this.stopped) return;
    switch (event.type) {
      case '@xstate.event': {
        const sent = event.event as object;
        if (typeof sent !== 'object' || sent === null) return;
        this.sources.set(sent, (event.sourceRef as AnyActorRef | undefined) ?? null);
        const target = event.actorRef as AnyActorRef;
        if (!this.tracked.has(target) || target.getSnapshot().status !== 'active') return;
        listIn(this.waiting, target).push({ event: sent, slot: this.base + this.slots.length });
        this.slots.push(null);
        return;
      }
      case '@xstate.action': {
        const scheduled = scheduledDelay(event.action);
        if (!scheduled) return;
        const actor = event.actorRef as AnyActorRef;
        const delays = this.delays.get(actor) ?? new Map<string, ScheduledDelay>();
        this.delays.set(actor, delays);
        delays.set(scheduled.eventType, scheduled);
        return;
      }
      case '@xstate.microstep': {
        const taken = (event as { _transitions?: { source?: StateNodeLike; target?: StateNodeLike[] }[] })
          ._transitions;
        if (!taken || taken.length === 0) return;
        const list = listIn(this.transitions, event.actorRef as AnyActorRef);
        for (const t of taken) {
          list.push({ source: nodePath(t.source), targets: (t.target ?? []).map(nodePath) });
        }
        return;
      }
      case '@xstate.snapshot':
        this.onSnapshot(
          event.actorRef as AnyActorRef,
          event.event as { type: string },
          event.snapshot as SnapshotLike,
        );
        return;
    }
  }

  private onSnapshot(actor: AnyActorRef, event: { type: string }, snapshot: SnapshotLike): void {
    const machine = snapshot.machine?.id;
    if (!machine || !RECORDED_MACHINES.has(machine)) return;
    const value = toStateValue(snapshot.value);
    const transitions = this.transitions.get(actor) ?? [];
    this.transitions.delete(actor);
    if (event.type === 'xstate.stop') {
      // Stopped from outside (not an input of the chart): nothing it was sent will be processed.
      this.ended(actor);
      return;
    }
    const tracked = this.tracked.get(actor);
    if (!tracked) {
      this.appear(actor, machine, value, event.type !== 'xstate.init');
      if (event.type === 'xstate.init') return;
    }
    const known = this.tracked.get(actor) as Tracked;
    const source = this.sourceOf(actor, event);
    const secrets = this.secrets.of(known.id, event as SocketEventLike);
    const record: TraceRecord = {
      kind: 'event',
      step: 0,
      actor: known.id,
      machine,
      atMs: this.now(),
      source,
      event: (toTraceJson(event, secrets) ?? { type: event.type }) as {
        type: string;
        [k: string]: TraceJson;
      },
      from: known.value,
      to: value,
      transitions,
      ...(snapshot.status && snapshot.status !== 'active' ? { status: snapshot.status as 'done' } : {}),
    };
    known.value = value;
    const queue = this.waiting.get(actor);
    const index = queue ? queue.findIndex((entry) => entry.event === event) : -1;
    if (queue && index >= 0) {
      const [entry] = queue.splice(index, 1);
      this.slots[(entry?.slot as number) - this.base] = record;
      this.flush();
    } else this.push(record);
    if (record.status) this.ended(actor);
  }

  /** The actor ended: events still on their way to it will never be processed; their places go. */
  private ended(actor: AnyActorRef): void {
    for (const entry of this.waiting.get(actor) ?? []) this.slots[entry.slot - this.base] = false;
    this.waiting.delete(actor);
    this.flush();
  }

  private appear(actor: AnyActorRef, machine: string, value: TraceStateValue, existing: boolean): void {
    const id = actor.id;
    this.tracked.set(actor, { id, machine, value });
    this.byId.set(id, actor);
    const secrets = this.secrets.of(id, undefined);
    const label = (actor.getSnapshot() as { context?: { label?: unknown } }).context?.label;
    this.push({
      kind: 'actor',
      step: 0,
      actor: id,
      machine,
      value,
      atMs: this.now(),
      ...(existing ? { existing: true } : {}),
      ...(machine === 'connection'
        ? {
            link: {
              url: typeof label === 'string' ? redactText(label, secrets) : REDACTED,
              hooks: this.host.hooksOf(id),
            },
          }
        : {}),
    });
  }

  private sourceOf(actor: AnyActorRef, event: { type: string }): TraceSource {
    return traceSource(
      actor,
      event,
      this.sources.get(event),
      this.delays.get(actor),
      (sender) => this.tracked.get(sender)?.id,
    );
  }

  private now(): number {
    return Math.round((this.host.clock.now() - this.header.clockStartMs) * 1000) / 1000;
  }

  private push(record: TraceRecord): void {
    this.slots.push(record);
    this.flush();
  }

  /** Hands on the records whose places are filled, in order; at the end, drops the places of
   * events that were never processed (sent to an actor that stopped first). */
  private flush(final = false): void {
    while (this.flushed < this.base + this.slots.length) {
      const at = this.flushed - this.base;
      const record = this.slots[at];
      if (record === null && !final) break;
      this.slots[at] = null;
      this.flushed++;
      if (!record) continue;
      record.step = this.made++;
      if (this.keepRecords) this.records.push(record);
      try {
        this.options.onRecord?.(record);
      } catch {
        // a failing sink must not break the recorded actors
      }
    }
    // The places handed on are dropped, so the order's memory is what is still in flight.
    const done = this.flushed - this.base;
    if (done >= COMPACT_AFTER || (done > 0 && done === this.slots.length)) {
      this.slots.splice(0, done);
      this.base = this.flushed;
    }
  }
}
