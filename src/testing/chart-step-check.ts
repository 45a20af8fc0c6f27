/**
 * The per-step check of a generated path, for any chart: what an actor did in one step, observed
 * through XState inspection and its system's scheduler (ChartStepRecorder,
 * ./chart-step-recorder.ts), judged against the chart's declarations and the contracts of its
 * named actions and delays (ChartContracts):
 *
 * - every action the actor ran is one the chart implements;
 * - the named actions the chart declares for the events the actor received (resolved purely with
 *   `transition` on the chart: ./resolve-step.ts) are folded through their contracts, in order,
 *   each seeing the context the ones before it left: the context after the step must be exactly
 *   that fold (a field no action assigns must not change), and the events emitted, reported to the
 *   parent and sent to children must be exactly the contracts', in order, with their payloads;
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
import type { AnyStateMachine, EventObject } from 'xstate';
import { activePaths, describeChart } from '../../machines/chart-model.js';
import type { ChartStepRecord } from './chart-step-recorder.js';
import { type DeclaredAction, resolveStep, type StepStart } from './resolve-step.js';

// The recorder and the pure resolution have files of their own; every import of them from here
// keeps working.
export { type ChartStepRecord, ChartStepRecorder } from './chart-step-recorder.js';
export {
  type DeclaredAction,
  declaredActions,
  type GuardEvaluation,
  resolveStep,
  type StepStart,
  stepStart,
} from './resolve-step.js';

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
