/**
 * A step resolved purely: the named actions the chart declares for the events an actor received
 * in one step, in order, with their params and the event that ran each, and the named guards the
 * chart evaluated on the way with their answers. The chart is run with `initialTransition` and
 * `transition` on an instrumented copy (a marker before each named action, a log in each named
 * guard); no actor runs and no timer exists. What the per-step check (./chart-step-check.ts)
 * folds the contracts through.
 */
import {
  type AnyStateMachine,
  type EventObject,
  enqueueActions,
  initialTransition,
  transition,
} from 'xstate';

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
