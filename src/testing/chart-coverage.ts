/**
 * Chart coverage: which states and transitions of a chart a test run actually went through.
 *
 * The set of states and transitions is computed from the chart definition itself (through
 * machines/chart-model.ts: every state node; every transition of every node, delayed and
 * eventless ones included, one per guarded branch). A run is observed through XState inspection (`@xstate.microstep` carries the
 * transitions taken), so the coverage is that of the real runtime, not of a model of it. A link
 * started on a started chart (machines/started-chart.ts) takes, at its start, idle's `always`
 * branch that chart stands for. A run counts for the listed chart it runs (itself, a provided copy,
 * a started chart of one), not for another chart that shares its id; two different charts of one
 * id are refused.
 *
 *   const coverage = new ChartCoverage([connectionMachine]);
 *   createSupervisor({ inspect: coverage.observer, ... });   // run tests
 *   expect(coverage.missing()).toEqual({ states: [], transitions: [] });
 */
import type { AnyStateMachine, InspectionEvent } from 'xstate';
import { describeChart, chartStates as statesOf } from '../../machines/chart-model.js';
import { startedFrom } from '../../machines/started-chart.js';
import { describe } from '../util/describe.js';
import { optionError } from '../util/errors.js';

/** The part of an XState TransitionDefinition this module reads (from inspection events). */
interface TransitionLike {
  source: NodeLike & { transitions: Map<string, TransitionLike[]>; always?: TransitionLike[] };
  eventType: string;
}

/** The part of an XState StateNode this module reads: its place in the chart (its `id` is the
 * chart's own name for it when the chart gives it one, `id: 'done'`, not its place). */
interface NodeLike {
  path: string[];
}

/** One transition of a chart as `ChartCoverage` counts it: its id, source state and event. */
export interface CoverageTransition {
  /** Stable id: `<source state id> | <event> | <branch index>`. */
  id: string;
  /** Readable form for reports, e.g. `connection.idle —always [autoConnect && isInProcess]→ …`. */
  label: string;
}

const stateId = (chart: string, path: string) => (path ? `${chart}.${path}` : chart);

/** A state node of `chart` by its place (as chartStates names it, whatever id the chart gave it). */
const nodeId = (chart: string, node: NodeLike) => stateId(chart, node.path.join('.'));

/** The id of a transition of `chart` taken at run time (same format as chartTransitions' ids). */
function transitionId(chart: string, t: TransitionLike): string {
  const list = t.eventType === '' ? (t.source.always ?? []) : (t.source.transitions.get(t.eventType) ?? []);
  return `${nodeId(chart, t.source)} | ${t.eventType || 'always'} | ${list.indexOf(t)}`;
}

/** `machine` if it is an XState machine (`createMachine`, `setup().createMachine`); else
 * LV_ERR_INVALID_OPTION naming `name`, not a TypeError from deep inside. */
function checkMachine(machine: unknown, name: string): AnyStateMachine {
  const m = machine as { id?: unknown; root?: unknown } | null;
  if (
    typeof m !== 'object' ||
    m === null ||
    typeof m.id !== 'string' ||
    typeof m.root !== 'object' ||
    m.root === null
  )
    throw optionError(name, `must be an XState machine (createMachine()), got ${describe(machine)}`);
  return machine as AnyStateMachine;
}

/** Every state of a chart, by id (the root included). A history state is none: it is where a
 * transition returns to a region's last state, never a state an actor is in (the transitions into
 * it are counted). */
export function chartStates(machine: AnyStateMachine): string[] {
  checkMachine(machine, 'machine');
  return statesOf(describeChart(machine))
    .filter((state) => state.type !== 'history')
    .map((state) => stateId(machine.id, state.path));
}

/** Every transition of a chart, one entry per guarded branch, delayed and eventless included. */
export function chartTransitions(machine: AnyStateMachine): CoverageTransition[] {
  checkMachine(machine, 'machine');
  const chart = describeChart(machine);
  const seen = new Map<string, number>();
  return chart.transitions.map((t) => {
    const source = stateId(chart.id, t.source);
    const group = `${source} | ${t.eventType || 'always'}`;
    const index = seen.get(group) ?? 0;
    seen.set(group, index + 1);
    const targets = t.targets.map((path) => stateId(chart.id, path)).join(', ') || '(self, actions only)';
    return {
      id: `${group} | ${index}`,
      label: `${source} —${t.event}${t.guard ? ` [${t.guard}]` : ''}→ ${targets}`,
    };
  });
}

/** What the tests never went through: state ids and transition ids (`coverage.missing()`). */
export interface CoverageGap {
  states: string[];
  transitions: string[];
}

/** Records the states entered and transitions taken by every actor of the given charts. */
export class ChartCoverage {
  private readonly states = new Map<string, Set<string>>();
  private readonly transitions = new Map<string, Set<string>>();
  private readonly charts: Map<string, { states: string[]; transitions: CoverageTransition[] }>;
  /** Each listed chart's definition (its `config`, which `provide()` keeps) → its id. */
  private readonly ids = new Map<object, string>();

  constructor(machines: readonly AnyStateMachine[]) {
    if (!Array.isArray(machines))
      throw optionError('machines', `must be an array of XState machines, got ${describe(machines)}`);
    for (const [i, machine] of machines.entries()) {
      checkMachine(machine, `machines[${i}]`);
      // Two charts of one id (XState's default '(machine)' too) would count as one: each one's run
      // would cover the other's states and transitions of the same names.
      const twin = machines.findIndex((m) => m.id === machine.id);
      if (twin < i && machines[twin].config !== machine.config)
        throw optionError(
          `machines[${i}]`,
          `has the id '${machine.id}' of machines[${twin}], another chart: give each chart its own id (createMachine({ id }))`,
        );
      this.ids.set(machine.config, machine.id);
    }
    this.charts = new Map(
      machines.map((m) => [m.id, { states: chartStates(m), transitions: chartTransitions(m) }]),
    );
    for (const id of this.charts.keys()) {
      this.states.set(id, new Set([id]));
      this.transitions.set(id, new Set());
    }
  }

  /** Pass as `inspect` (createSupervisor, createActor): it only reads. */
  readonly observer = (event: InspectionEvent): void => {
    if (event.type !== '@xstate.microstep' && event.type !== '@xstate.snapshot') return;
    const snapshot = event.snapshot as { machine?: { config?: object }; _nodes?: NodeLike[] } | undefined;
    // A listed chart, a provided copy of it or a started chart of one: not another chart that only
    // shares its id (an unnamed machine of the application's is '(machine)' as well).
    const skipped = startedFrom(snapshot?.machine);
    const config = skipped?.chart.config ?? snapshot?.machine?.config;
    const chart = config === undefined ? undefined : this.ids.get(config);
    if (!chart) return;
    for (const node of snapshot?._nodes ?? []) this.states.get(chart)?.add(nodeId(chart, node));
    // A link on a started chart (machines/started-chart.ts) starts past idle's `always`: its start
    // takes the branch it skips.
    if (skipped && (event as { event?: { type?: string } }).event?.type === 'xstate.init')
      this.transitions.get(chart)?.add(`${skipped.source} | always | ${skipped.branch}`);
    if (event.type === '@xstate.microstep') {
      const taken = (event as { _transitions?: TransitionLike[] })._transitions ?? [];
      for (const t of taken) this.transitions.get(chart)?.add(transitionId(chart, t));
    }
  };

  /** Marks a model step as covered (for transitions taken by a pure model, not the runtime). */
  addTransitionIds(chart: string, ids: Iterable<string>): void {
    const set = this.transitions.get(chart);
    if (set) for (const id of ids) set.add(id);
  }

  /** What the runs have not gone through, per the chart definitions. */
  missing(): CoverageGap {
    const states: string[] = [];
    const transitions: string[] = [];
    for (const [id, chart] of this.charts) {
      const seenStates = this.states.get(id) ?? new Set();
      const seenTransitions = this.transitions.get(id) ?? new Set();
      for (const state of chart.states) if (!seenStates.has(state)) states.push(state);
      for (const t of chart.transitions) if (!seenTransitions.has(t.id)) transitions.push(t.label);
    }
    return { states, transitions };
  }

  /** Covered / total, per chart. */
  summary(): Record<string, { states: string; transitions: string }> {
    const out: Record<string, { states: string; transitions: string }> = {};
    for (const [id, chart] of this.charts) {
      const s = chart.states.filter((x) => this.states.get(id)?.has(x)).length;
      const t = chart.transitions.filter((x) => this.transitions.get(id)?.has(x.id)).length;
      out[id] = { states: `${s}/${chart.states.length}`, transitions: `${t}/${chart.transitions.length}` };
    }
    return out;
  }
}
