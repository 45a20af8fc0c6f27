/**
 * The per-step check of a generated path, for any chart: what an actor did in one step, observed
 * through XState inspection and its system's scheduler (ChartStepRecorder), judged against the
 * chart's declarations and the contracts of its named actions and delays (ChartContracts):
 *
 * - every action the actor ran is one the chart implements;
 * - the named actions the chart declares for the events the actor received (resolved purely with
 *   `transition` on the chart) are folded through their contracts, in order, each seeing the
 *   context the ones before it left: the context after the step must be exactly that fold (a field
 *   no action assigns must not change), and the events emitted, reported to the parent and sent to
 *   children must be exactly the contracts', in order, with their payloads;
 * - every named guard the chart evaluates while resolving the step answers what its contract
 *   answers for the same context and event (a guard decides where the step goes, and the chart
 *   under test is also the model: only a contract can tell a wrong guard);
 * - the timers pending after the step are exactly the `after` delays the active states declare
 *   (less a targetless one that has fired), and each timer scheduled in the step has its delay's
 *   contract value.
 *
 * Nothing here names a state: a state added to a chart is checked by the same rules. A named
 * action or delay without a contract is a failure that names it.
 */
import {
  type AnyActorRef,
  type AnyStateMachine,
  type EventObject,
  enqueueActions,
  type InspectionEvent,
  initialTransition,
  transition,
} from 'xstate';
import { activePaths, describeChart } from '../../machines/chart-model.js';

/** What one named action must do, from the context it finds, its event and its params. */
export interface ActionContract<Context, Event extends EventObject = EventObject> {
  assigns?(context: Context, event: Event, params: unknown): Partial<Context>;
  /** The event(s) it emits to listeners, seeing the context it leaves and the one it found
   * (null: none). */
  emits?(context: Context, event: Event, params: unknown, found: Context): EventObject | EventObject[] | null;
  /** What it reports to the parent (with a parent; null: nothing in this case), seeing the
   * context it leaves and the one it found. */
  reports?(context: Context, event: Event, params: unknown, found: Context): EventObject | null;
  /** The event it sends to a child (an invoked actor). */
  commands?(context: Context, event: Event, params: unknown): EventObject;
  /** A timer of its own it (re)starts: a delayed raise of `event` after `delayMs` (not an `after`). */
  arms?(context: Context, event: Event, params: unknown): { event: string; delayMs: number };
  /** The type of the raised timer it cancels. */
  disarms?: string;
}

export interface ChartContracts<Context, Event extends EventObject = EventObject> {
  /** Where the contracts live, for failure messages. */
  where: string;
  actions: Readonly<Record<string, ActionContract<Context, Event>>>;
  /** Each named delay's value (ms) from the context of the state that schedules it. */
  delays: Readonly<Record<string, (context: Context) => number>>;
  /** What each named guard must answer, from the context and event it is evaluated with (and its
   * params). Given, every guard the chart evaluates needs one. */
  guards?: Readonly<Record<string, (context: Context, event: Event, params: unknown) => boolean>>;
  /** Context fields compared by identity, not by value (actor refs). */
  byIdentity?: readonly string[];
}

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

const MARK = 'linkvisor.step.mark';
const IMPL = 'linkvisor.step.impl.';

/** Each guard evaluation of the pure resolution in progress (see `instrumented`). */
let guardLog: { name: string; answer: boolean; context: unknown; event: EventObject; params: unknown }[] = [];

/** The chart with each named action preceded by a marker naming it (with its params), and each
 * named guard logging its answer: resolving a step purely (`transition`) then lists the named
 * actions the chart declares for it, in order, and the guards it evaluated. */
const instrumentedCharts = new WeakMap<AnyStateMachine, AnyStateMachine>();
function instrumented(machine: AnyStateMachine): AnyStateMachine {
  const known = instrumentedCharts.get(machine);
  if (known) return known;
  type Guard = (args: { context: unknown; event: EventObject }, params: unknown) => boolean;
  const guards: Record<string, Guard> = {};
  for (const [name, implementation] of Object.entries(machine.implementations.guards)) {
    guards[name] = (args, params) => {
      const answer = (implementation as Guard)(args, params);
      guardLog.push({ name, answer, context: args.context, event: args.event, params });
      return answer;
    };
  }
  const actions: Record<string, unknown> = { [MARK]: () => {} };
  for (const [name, implementation] of Object.entries(machine.implementations.actions)) {
    actions[IMPL + name] = implementation;
    actions[name] = enqueueActions(({ enqueue }, params: unknown) => {
      enqueue({ type: MARK, params: { name, params } } as never);
      enqueue({ type: IMPL + name, params } as never);
    });
  }
  const chart = machine.provide({ actions, guards } as never) as AnyStateMachine;
  instrumentedCharts.set(machine, chart);
  return chart;
}

/** One evaluation of a named guard while a step was resolved purely. */
export interface GuardEvaluation {
  name: string;
  answer: boolean;
  context: unknown;
  event: EventObject;
  params: unknown;
}

export interface DeclaredAction {
  name: string;
  params: unknown;
  /** The event being processed when it ran. */
  event: EventObject;
}

/** Where a step starts: a snapshot (value, context and the runtime's children), or the input. */
export type StepStart = { value: unknown; context: unknown; children: unknown } | { input: unknown };

/** Where a step starts: after the previous step's snapshot, or (the first step) from the input. */
export function stepStart(
  previous: { value: unknown; context: unknown; children: unknown } | null,
  input: unknown,
): StepStart {
  return previous
    ? { value: previous.value, context: previous.context, children: previous.children }
    : { input };
}

/** The named actions the chart declares for the events a step delivered, in order. */
export function declaredActions(
  machine: AnyStateMachine,
  start: StepStart,
  events: readonly EventObject[],
): DeclaredAction[] {
  return resolveStep(machine, start, events).actions;
}

/** The named actions the chart declares for the events a step delivered, in order, and the named
 * guards it evaluated on the way. */
export function resolveStep(
  machine: AnyStateMachine,
  start: StepStart,
  events: readonly EventObject[],
): { actions: DeclaredAction[]; guards: GuardEvaluation[] } {
  guardLog = [];
  try {
    return { actions: resolveActions(machine, start, events), guards: guardLog };
  } finally {
    guardLog = [];
  }
}

function resolveActions(
  machine: AnyStateMachine,
  start: StepStart,
  events: readonly EventObject[],
): DeclaredAction[] {
  const chart = instrumented(machine);
  const out: DeclaredAction[] = [];
  const collect = (actions: readonly { type: string; params?: unknown }[], event: EventObject) => {
    for (const action of actions) {
      if (action.type !== MARK) continue;
      const { name, params } = action.params as { name: string; params: unknown };
      out.push({ name, params, event });
    }
  };
  let snapshot: ReturnType<AnyStateMachine['resolveState']>;
  let rest = events;
  if ('input' in start) {
    const [first, actions] = initialTransition(chart, start.input);
    collect(actions, { type: 'xstate.init', input: start.input } as EventObject);
    snapshot = first;
    rest = events.filter((event) => event.type !== 'xstate.init');
  } else {
    // The runtime's children stand in for the chart's (a pure step addresses a child by id).
    const resolved = chart.resolveState({ value: start.value as never, context: start.context });
    snapshot = { ...resolved, children: start.children } as typeof resolved;
  }
  for (const event of rest) {
    if (snapshot.status !== 'active') break;
    const [next, actions] = transition(chart, snapshot, event as never);
    collect(actions, event);
    snapshot = next;
  }
  return out;
}

const timersByChart = new WeakMap<AnyStateMachine, Map<string, string[]>>();
/** The delayed events each state declares (`after`), by state path. */
function declaredTimers(machine: AnyStateMachine): Map<string, string[]> {
  const known = timersByChart.get(machine);
  if (known) return known;
  const out = new Map<string, string[]>();
  for (const t of describeChart(machine).transitions) {
    if (t.kind !== 'after') continue;
    const list = out.get(t.source) ?? [];
    if (!list.includes(t.eventType)) list.push(t.eventType);
    out.set(t.source, list);
  }
  timersByChart.set(machine, out);
  return out;
}

export function deepJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

export interface ChartStepInput<Context> {
  machine: AnyStateMachine;
  contracts: ChartContracts<Context, never>;
  /** Where the step starts (from the context the step found, or the input at step 0). */
  start: StepStart;
  /** The context the step found (step 0: the expected initial context). */
  before: Context;
  /** The runtime's context after the step. */
  after: Context;
  /** The chart's state value after the step (the model's). */
  expectedValue: unknown;
  /** Whether the actor has a parent to report to. */
  hasParent: boolean;
  record: ChartStepRecord;
}

/** Problems found in one step (empty: the step did what the chart declares), and the declared
 * actions and emitted events, for rules of a chart's own. */
export function checkChartStep<Context extends object>(
  input: ChartStepInput<Context>,
): { problems: string[]; actions: DeclaredAction[] } {
  const { machine, record, contracts } = input;
  const { actions, guards } = resolveStep(machine, input.start, record.received);
  const problems = record.unnamed.map(
    (name) => `action "${name}" ran, but the chart implements no such action`,
  );
  if (contracts.guards) {
    const wanted = contracts.guards as Record<string, (c: unknown, e: EventObject, p: unknown) => boolean>;
    for (const { name, answer, context, event, params } of guards) {
      const contract = wanted[name];
      if (!contract) problems.push(`guard "${name}" has no contract in ${contracts.where}`);
      else if (contract(context, event, params) !== answer) {
        problems.push(`guard "${name}" answered ${answer} on ${event.type}, its contract says ${!answer}`);
      }
    }
  }
  const byIdentity = contracts.byIdentity ?? [];
  let context = input.before;
  const emitted: EventObject[] = [];
  const reports: EventObject[] = [];
  const commands: EventObject[] = [];
  // Timers raised by actions (not an `after`): pending before, (re)armed, disarmed, fired.
  const raised = new Map(record.raisedBefore);
  // A raised timer that fires is no longer pending: its event arrives before the actions it runs
  // (an event that runs none arrives before the next one's).
  const firstActionOf = new Map<EventObject, number>();
  actions.forEach((a, i) => {
    if (!firstActionOf.has(a.event)) firstActionOf.set(a.event, i);
  });
  const firedAt = new Map<number, string[]>();
  let next = actions.length;
  for (const event of [...record.received].reverse()) {
    next = firstActionOf.get(event) ?? next;
    firedAt.set(next, [...(firedAt.get(next) ?? []), event.type]);
  }
  const fire = (index: number) => {
    for (const type of firedAt.get(index) ?? []) raised.delete(type);
  };
  for (const [index, { name, params, event }] of actions.entries()) {
    fire(index);
    const contract = (contracts.actions as Record<string, ActionContract<Context, EventObject>>)[name];
    if (!contract) {
      problems.push(`action "${name}" has no contract in ${contracts.where}`);
      continue;
    }
    const found = context;
    if (contract.disarms) raised.delete(contract.disarms);
    const armed = contract.arms?.(context, event, params);
    if (armed) raised.set(armed.event, armed.delayMs);
    if (contract.assigns) context = { ...context, ...contract.assigns(context, event, params) };
    const out = contract.emits?.(context, event, params, found);
    if (out) emitted.push(...(Array.isArray(out) ? out : [out]));
    const report = contract.reports?.(context, event, params, found);
    if (report && input.hasParent) reports.push(report);
    if (contract.commands) commands.push(contract.commands(context, event, params));
  }
  fire(actions.length);
  const ran = actions.map((a) => a.name).join(', ') || 'none';
  const comparable = (c: Context) =>
    deepJson(Object.fromEntries(Object.entries(c).filter(([key]) => !byIdentity.includes(key))));
  for (const key of byIdentity) {
    if ((context as Record<string, unknown>)[key] !== (input.after as Record<string, unknown>)[key]) {
      problems.push(`context field ${key} is not the same object (actions: ${ran})`);
    }
  }
  if (comparable(context) !== comparable(input.after)) {
    problems.push(
      `context differs from the contracts of the actions that ran (${ran})\n    expected: ${comparable(context)}\n    runtime:  ${comparable(input.after)}`,
    );
  }
  const same = (what: string, want: unknown[], got: unknown[]) => {
    if (deepJson(want) !== deepJson(got)) {
      problems.push(
        `${what} differ (actions: ${ran})\n    expected: ${deepJson(want)}\n    runtime:  ${deepJson(got)}`,
      );
    }
  };
  same('emitted events', emitted, record.emitted);
  same('reports to the parent', reports, record.reports);
  same('events to children', commands, record.commands);

  // Timers: exactly the delays the active states declare, each scheduled with its contract value.
  const declared = new Set<string>();
  const afters = declaredTimers(machine);
  for (const path of activePaths(input.expectedValue)) {
    for (const id of afters.get(path) ?? []) if (!record.spent.has(id)) declared.add(id);
  }
  same('pending timers', [...declared, ...raised.keys()].sort(), [...record.timers.keys()].sort());
  for (const id of record.scheduled) {
    if (!id.startsWith('xstate.after.')) {
      if (raised.has(id) && record.timers.get(id) !== raised.get(id)) {
        problems.push(
          `timer ${id} raised with ${record.timers.get(id)} ms, its contract says ${raised.get(id)} ms`,
        );
      }
      continue;
    }
    const name = id.split('.')[2] ?? '';
    const delay = contracts.delays[name];
    if (!delay) problems.push(`delay "${name}" has no contract in ${contracts.where}`);
    else if (record.timers.get(id) !== delay(input.after)) {
      problems.push(
        `timer ${id} scheduled with ${record.timers.get(id)} ms, its contract says ${delay(input.after)} ms`,
      );
    }
  }
  return { problems, actions };
}
