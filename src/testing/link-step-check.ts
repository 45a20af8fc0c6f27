/**
 * The per-step check of a generated path: what the link actor did in one step, observed through
 * XState inspection and its system's scheduler (LinkStepRecorder), judged against the chart's
 * declarations and the contracts of its named actions and delays (link-step-contracts.ts):
 *
 * - every action that ran is one the chart implements, and has a contract;
 * - the context the step leaves is the fold of those contracts over the context it found, in the
 *   order the actions ran, each with the event that triggered it (fields no action assigns stay);
 * - the events emitted, the reports to the parent and the commands to the transport are exactly
 *   the ones those contracts give, in order;
 * - the timers pending are exactly the `after` delays the active states declare, and each timer
 *   scheduled in the step has its delay's contract value;
 * - lifecycle rules that hold for any state: leaving `connected` reports `link.unready`; entering
 *   it emits one `ready`; a drop out of it (not a command) announces `lost` first; a scheduled
 *   reconnect delay is announced with its value; a link that ends emits `failed`/`closed` last;
 *   `link.reconnect` in an attempt starts a fresh transport.
 *
 * Generic: nothing here names a state, so a state added to the chart is checked by the same rules.
 */
import {
  type AnyActorRef,
  type AnyStateMachine,
  enqueueActions,
  type InspectionEvent,
  initialTransition,
  transition,
} from 'xstate';
import { activePaths, describeChart } from '../../machines/chart-model.js';
import type {
  ConnectionContext,
  ConnectionEmitted,
  ConnectionEvent,
  ConnectionInput,
  LinkReport,
  TransportCommand,
} from '../../machines/connection.machine.js';
import type { ConnectionSnapshot } from './link-model-events.js';
import { CONNECTION_ACTION_CONTRACTS, CONNECTION_DELAY_CONTRACTS } from './link-step-contracts.js';

interface ScheduledLike {
  source: AnyActorRef;
  event: { type: string };
  delay: number;
}

/** What the link did in one step. */
export interface LinkStepRecord {
  /** The events the link received in the step, in order. */
  received: ConnectionEvent[];
  /** Action types the runtime ran that are neither XState's own nor named in the chart. */
  unnamed: string[];
  emitted: ConnectionEmitted[];
  reports: LinkReport[];
  commands: TransportCommand[];
  /** Transports started in the step. */
  transportsStarted: number;
  /** Timers pending after the step: `xstate.after.<name>.<state id>` → delay (ms). */
  timers: Map<string, number>;
  /** Timer ids scheduled (or scheduled again) in the step. */
  scheduled: Set<string>;
  /** Timer ids that have fired and not been scheduled again since (a targetless `after`). */
  spent: ReadonlySet<string>;
}

function pendingTimers(link: AnyActorRef): Map<string, ScheduledLike> {
  const system = link.system as unknown as {
    getSnapshot(): { _scheduledEvents: Record<string, ScheduledLike> };
  };
  const out = new Map<string, ScheduledLike>();
  for (const scheduled of Object.values(system.getSnapshot()._scheduledEvents)) {
    if (scheduled.source === link) out.set(scheduled.event.type, scheduled);
  }
  return out;
}

/** Observes one link actor step by step (pass `observer` to the inspect option). */
export class LinkStepRecorder {
  private link: AnyActorRef | null = null;
  private record = LinkStepRecorder.empty();
  private before = new Map<string, ScheduledLike>();
  private readonly spent = new Set<string>();

  private static empty(): LinkStepRecord {
    return {
      received: [],
      unnamed: [],
      emitted: [],
      reports: [],
      commands: [],
      transportsStarted: 0,
      timers: new Map(),
      scheduled: new Set(),
      spent: new Set(),
    };
  }

  constructor(
    private readonly findLink: () => AnyActorRef | null,
    private readonly machine: AnyStateMachine,
  ) {}

  readonly observer = (event: InspectionEvent): void => {
    const link = this.link ?? this.findLink();
    if (!link) return;
    this.link = link;
    if (event.type === '@xstate.actor') {
      const ref = event.actorRef as AnyActorRef & { _parent?: unknown };
      if (ref._parent === link && ref.id === 'transport') this.record.transportsStarted += 1;
      return;
    }
    if (event.type === '@xstate.event') {
      if (event.actorRef === link) {
        this.record.received.push(event.event as ConnectionEvent);
      } else if (event.sourceRef === link) {
        // XState's own events (a child's init, done) are not the chart's reports or commands.
        if (event.event.type.startsWith('xstate.')) return;
        const parent = (link.getSnapshot() as ConnectionSnapshot).context.parent;
        if (event.actorRef === parent) this.record.reports.push(event.event as LinkReport);
        else if ((event.actorRef as { _parent?: unknown })._parent === link) {
          this.record.commands.push(event.event as TransportCommand);
        }
      }
      return;
    }
    if (event.type === '@xstate.action' && event.actorRef === link) {
      const action = event.action as { type: string; params?: { event?: ConnectionEmitted } };
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
    this.record = LinkStepRecorder.empty();
    this.before = this.link ? pendingTimers(this.link) : new Map();
  }

  /** What the step did, with the timers pending after it. */
  end(): LinkStepRecord {
    const record = this.record;
    for (const event of record.received) {
      if (event.type.startsWith('xstate.after.')) this.spent.add(event.type);
    }
    if (this.link) {
      for (const [id, scheduled] of pendingTimers(this.link)) {
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

/** The chart with each named action preceded by a marker naming it: resolving a step purely
 * (`transition`) then lists the named actions the chart declares for it, in order. */
const instrumentedCharts = new WeakMap<AnyStateMachine, AnyStateMachine>();
function instrumented(machine: AnyStateMachine): AnyStateMachine {
  const known = instrumentedCharts.get(machine);
  if (known) return known;
  const actions: Record<string, unknown> = { [MARK]: () => {} };
  for (const [name, implementation] of Object.entries(machine.implementations.actions)) {
    actions[name] = enqueueActions(({ enqueue }) => {
      enqueue({ type: MARK, params: { name } } as never);
      enqueue(implementation as never);
    });
  }
  const chart = machine.provide({ actions } as never) as AnyStateMachine;
  instrumentedCharts.set(machine, chart);
  return chart;
}

/** The named actions the chart declares for the events a step delivered, each with its event. */
export function declaredActions(
  machine: AnyStateMachine,
  start: { value: unknown; context: ConnectionContext; children: unknown } | { input: ConnectionInput },
  events: readonly ConnectionEvent[],
): { name: string; event: ConnectionEvent }[] {
  const chart = instrumented(machine);
  const out: { name: string; event: ConnectionEvent }[] = [];
  const collect = (actions: readonly { type: string; params?: unknown }[], event: ConnectionEvent) => {
    for (const action of actions) {
      if (action.type === MARK) out.push({ name: (action.params as { name: string }).name, event });
    }
  };
  let snapshot: ReturnType<AnyStateMachine['resolveState']>;
  let rest = events;
  if ('input' in start) {
    const init = { type: 'xstate.init', input: start.input } as unknown as ConnectionEvent;
    const [first, actions] = initialTransition(chart, start.input);
    collect(actions, init);
    snapshot = first;
    rest = events.filter((event) => (event.type as string) !== 'xstate.init');
  } else {
    // The runtime's children stand in for the chart's (a pure step addresses the transport by id).
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

/** Context as comparable data: the parent by identity apart, absent = undefined. */
function comparable(context: ConnectionContext): string {
  const { parent: _parent, ...rest } = context;
  return deepJson(rest);
}

function deepJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/** A chart input that starts a link with `context` (step 0: the expected initial context). */
function inputOf(context: ConnectionContext): ConnectionInput {
  return {
    linkId: context.linkId,
    label: context.label,
    inProcess: context.inProcess,
    hasHandshake: context.hasHandshake,
    autoConnect: context.autoConnect,
    reconnectEnabled: context.reconnectEnabled,
    backoff: context.policy.backoff,
    timeouts: context.policy.timeouts,
    heartbeat: context.policy.heartbeat,
  };
}

export interface LinkStepInput {
  machine: AnyStateMachine;
  /** The context the step found (step 0: the expected initial context). */
  before: ConnectionContext;
  beforeSnapshot: ConnectionSnapshot | null;
  /** The runtime's snapshot after the step. */
  after: ConnectionSnapshot;
  /** The chart's snapshot after the step (the model). */
  expected: ConnectionSnapshot;
  /** The model event of the step (null at step 0). */
  event: ConnectionEvent | null;
  record: LinkStepRecord;
}

/** Problems found in one step (empty: the step did what the chart declares). */
export function checkLinkStep(input: LinkStepInput): string[] {
  const { machine, record, after, expected } = input;
  const actions = declaredActions(
    machine,
    input.beforeSnapshot
      ? { value: input.beforeSnapshot.value, context: input.before, children: input.beforeSnapshot.children }
      : { input: inputOf(input.before) },
    record.received,
  );
  const problems: string[] = [];
  let context: ConnectionContext = input.before;
  const emitted: ConnectionEmitted[] = [];
  const reports: LinkReport[] = [];
  const commands: TransportCommand[] = [];
  const hasParent = input.before.parent !== undefined;
  for (const name of record.unnamed)
    problems.push(`action "${name}" ran, but the chart implements no such action`);
  for (const { name, event: trigger } of actions) {
    const contract = CONNECTION_ACTION_CONTRACTS[name];
    if (!contract) {
      problems.push(`action "${name}" has no contract in src/testing/link-step-contracts.ts`);
      continue;
    }
    if (contract.assigns) context = { ...context, ...contract.assigns(context, trigger) };
    if (contract.emits) {
      const out = contract.emits(context);
      emitted.push(out);
      if (hasParent) reports.push({ ...out, type: `link.${out.type}` } as LinkReport);
    }
    if (contract.reports && hasParent) reports.push(contract.reports(context));
    if (contract.commands) commands.push(contract.commands(context, trigger));
  }
  const ran = actions.map((a) => a.name).join(', ') || 'none';
  if (comparable(context) !== comparable(after.context)) {
    problems.push(
      `context differs from the contracts of the actions that ran (${ran})\n    expected: ${comparable(context)}\n    runtime:  ${comparable(after.context)}`,
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
  same('transport commands', commands, record.commands);

  // Timers: exactly the delays the active states declare, each scheduled with its contract value.
  const declared = new Set<string>();
  const afters = declaredTimers(machine);
  for (const path of activePaths(expected.value)) {
    for (const id of afters.get(path) ?? []) if (!record.spent.has(id)) declared.add(id);
  }
  same('pending timers', [...declared].sort(), [...record.timers.keys()].sort());
  for (const id of record.scheduled) {
    const name = id.split('.')[2] ?? '';
    const contract = CONNECTION_DELAY_CONTRACTS[name];
    if (!contract) problems.push(`delay "${name}" has no contract in src/testing/link-step-contracts.ts`);
    else if (record.timers.get(id) !== contract(after.context)) {
      problems.push(
        `timer ${id} scheduled with ${record.timers.get(id)} ms, its contract says ${contract(after.context)} ms`,
      );
    }
  }
  problems.push(...lifecycleProblems(input, actions.length));
  return problems;
}

/** Rules of the lifecycle that hold whatever the state: they need no declaration to be right. */
function lifecycleProblems(input: LinkStepInput, actionCount: number): string[] {
  const { record, after, event, beforeSnapshot } = input;
  const problems: string[] = [];
  const wasConnected = beforeSnapshot?.hasTag('connected') ?? false;
  const isConnected = after.hasTag('connected');
  const hasParent = input.before.parent !== undefined;
  const types = record.emitted.map((e) => e.type);
  const count = (type: string) => types.filter((t) => t === type).length;
  const unready = record.reports.filter((r) => r.type === 'link.unready').length;
  const command = event !== null && /^(link|reconnect)\./.test(event.type);
  if (wasConnected && !isConnected && hasParent && unready !== 1) {
    problems.push(`left connected with ${unready} link.unready report(s) to the parent, not 1`);
  }
  if (!wasConnected && isConnected && count('ready') !== 1) {
    problems.push(`became connected with ${count('ready')} ready event(s), not 1`);
  }
  if (wasConnected && !isConnected && !command && types[0] !== 'lost') {
    problems.push(`dropped out of connected without announcing lost first (emitted: ${types.join(', ')})`);
  }
  if (after.status === 'done') {
    const last = types.at(-1);
    const ends = count('failed') + count('closed');
    if (ends !== 1 || (last !== 'failed' && last !== 'closed')) {
      problems.push(`ended emitting ${types.join(', ') || 'nothing'}: one failed or closed must come last`);
    }
  }
  for (const id of record.scheduled) {
    if (id.split('.')[2] !== 'reconnectDelay') continue;
    const announced = record.emitted.filter((e) => e.type === 'reconnecting');
    if (announced.length !== 1 || announced[0]?.delayMs !== record.timers.get(id)) {
      problems.push(
        `reconnect delay of ${record.timers.get(id)} ms scheduled, announced as ${deepJson(announced)}`,
      );
    }
  }
  if (count('reconnecting') > 0 && ![...record.scheduled].some((id) => id.includes('.reconnectDelay.'))) {
    problems.push('reconnecting announced, but no reconnect delay scheduled');
  }
  // "Reconnect now" means a fresh socket, wherever the chart acts on it.
  if (event?.type === 'link.reconnect' && actionCount > 0 && record.transportsStarted !== 1) {
    problems.push(`link.reconnect started ${record.transportsStarted} transport(s), not one fresh one`);
  }
  return problems;
}
