/**
 * What an actor did in one step, observed through XState inspection and its system's scheduler:
 * the events it received, the actions it ran that the chart does not name, what it emitted,
 * reported to its parent and sent to its children, the children it started, and the timers
 * pending before and after the step. The raw material of the per-step check
 * (./chart-step-check.ts); it judges nothing itself.
 */
import type { AnyActorRef, AnyStateMachine, EventObject, InspectionEvent } from 'xstate';

interface ScheduledLike {
  source: AnyActorRef;
  event: { type: string };
  delay: number;
}

/** What an actor did in one step. */
export interface ChartStepRecord {
  /** The events the actor received in the step, in order. */
  received: EventObject[];
  /** Action types the actor ran that are neither XState's own nor named in the chart. */
  unnamed: string[];
  emitted: EventObject[];
  /** Events sent to the parent (see ChartStepRecorder's `parentOf`). */
  reports: EventObject[];
  /** Events sent to the actor's children. */
  commands: EventObject[];
  /** Ids of the children started in the step. */
  started: string[];
  /** Timers pending after the step: `xstate.after.<name>.<state id>` → delay (ms). */
  timers: Map<string, number>;
  /** Timer ids scheduled (or scheduled again) in the step. */
  scheduled: Set<string>;
  /** Timer ids that have fired and not been scheduled again since (a targetless `after`). */
  spent: ReadonlySet<string>;
  /** Timers pending before the step that are not an `after` (raised by an action), by event type. */
  raisedBefore: Map<string, number>;
}

function pendingTimers(actor: AnyActorRef): Map<string, ScheduledLike> {
  const system = actor.system as unknown as {
    getSnapshot(): { _scheduledEvents: Record<string, ScheduledLike> };
  };
  const out = new Map<string, ScheduledLike>();
  for (const scheduled of Object.values(system.getSnapshot()._scheduledEvents)) {
    if (scheduled.source === actor) out.set(scheduled.event.type, scheduled);
  }
  return out;
}

const parentRef = (ref: unknown) => (ref as { _parent?: unknown })._parent;

/** Observes one actor step by step (pass `observer` to the inspect option of its system and of
 * its parent's). */
export class ChartStepRecorder {
  private actor: AnyActorRef | null = null;
  private record = ChartStepRecorder.empty();
  private before = new Map<string, ScheduledLike>();
  private readonly spent = new Set<string>();

  private static empty(): ChartStepRecord {
    return {
      received: [],
      unnamed: [],
      emitted: [],
      reports: [],
      commands: [],
      started: [],
      timers: new Map(),
      scheduled: new Set(),
      spent: new Set(),
      raisedBefore: new Map(),
    };
  }

  /**
   * @param findActor the actor to observe, once it exists (null: the first actor of `machine`)
   * @param parentOf where the actor reports (default: its XState parent)
   */
  constructor(
    private readonly findActor: (() => AnyActorRef | null) | null,
    private readonly machine: AnyStateMachine,
    private readonly parentOf: (actor: AnyActorRef) => unknown = parentRef,
  ) {}

  /** The observed actor, once seen. */
  get observed(): AnyActorRef | null {
    return this.actor;
  }

  readonly observer = (event: InspectionEvent): void => {
    if (!this.actor && !this.findActor && event.type === '@xstate.actor') {
      const logic = (event.actorRef as { logic?: { id?: string } }).logic;
      if (logic?.id === this.machine.id) this.actor = event.actorRef as AnyActorRef;
    }
    const actor = this.actor ?? this.findActor?.() ?? null;
    if (!actor) return;
    this.actor = actor;
    if (event.type === '@xstate.actor') {
      if (parentRef(event.actorRef) === actor) this.record.started.push((event.actorRef as AnyActorRef).id);
      return;
    }
    if (event.type === '@xstate.event') {
      if (event.actorRef === actor) {
        this.record.received.push(event.event);
      } else if (event.sourceRef === actor) {
        // XState's own events (a child's init, done) are not the chart's reports or commands.
        if (event.event.type.startsWith('xstate.')) return;
        if (event.actorRef === this.parentOf(actor)) this.record.reports.push(event.event);
        else if (parentRef(event.actorRef) === actor) this.record.commands.push(event.event);
      }
      return;
    }
    if (event.type === '@xstate.action' && event.actorRef === actor) {
      const action = event.action as { type: string; params?: { event?: EventObject } };
      if (action.type === 'xstate.emit') {
        if (action.params?.event) this.record.emitted.push(action.params.event);
      } else if (
        !action.type.startsWith('xstate.') &&
        !(action.type in this.machine.implementations.actions)
      ) {
        this.record.unnamed.push(action.type);
      }
    }
  };

  /** Starts recording a step (call before performing its event). */
  begin(): void {
    this.record = ChartStepRecorder.empty();
    this.before = this.actor ? pendingTimers(this.actor) : new Map();
    for (const [id, scheduled] of this.before) {
      if (!id.startsWith('xstate.after.')) this.record.raisedBefore.set(id, scheduled.delay);
    }
  }

  /** What the step did, with the timers pending after it. */
  end(): ChartStepRecord {
    const record = this.record;
    for (const event of record.received) {
      if (event.type.startsWith('xstate.after.')) this.spent.add(event.type);
    }
    if (this.actor) {
      for (const [id, scheduled] of pendingTimers(this.actor)) {
        record.timers.set(id, scheduled.delay);
        if (this.before.get(id) !== scheduled) {
          record.scheduled.add(id);
          this.spent.delete(id);
        }
      }
    }
    return { ...record, spent: new Set(this.spent) };
  }
}
