/**
 * A link's start without `idle`'s eventless microstep (issue 11): every autoConnect link would be
 * created in `idle` and leave it at once through `idle`'s `always` (three guards) for
 * attempt.connecting, resolving or ready. A *started chart* is the connection chart (as provided,
 * with all its implementations) whose root starts in `attempt` and whose `attempt` starts in that
 * leaf (`startLeafOf`: read from the chart's own start, as XState works it out): derived
 * from the chart's own config, once per chart and leaf (never hand-copied), so a
 * link starts where the chart's `always` would have taken it, entering the same states and running
 * the same entry actions, with no snapshot in `idle` in between (BENCHMARKS.md round 32 (start)).
 *
 * A started chart is marked with its source and the `always` branch it stands for: whatever
 * describes a chart (./chart-model.ts `describeChart`, so the inspector's charts and `toMermaid`)
 * describes the source, and chart coverage (src/testing/chart-coverage.ts) credits the skipped
 * branch when such a link starts. autoConnect:false links run the chart itself (they wait in idle).
 *
 * Pure: no I/O, timers, clock reads or randomness.
 */
import { type AnyStateMachine, type AnyStateNode, createMachine, getInitialMicrosteps } from 'xstate';
import { keepStarts } from './kept-start.js';

/** The attempt leaf an autoConnect link starts in. */
export type StartLeaf = 'ready' | 'resolving' | 'connecting';

/** What a started chart stands for: its source chart, and the source's `always` branch (its index
 * in the initial state's `always` list, and that state's id) it skips. */
export interface StartedFrom {
  chart: AnyStateMachine;
  source: string;
  branch: number;
}

/** Started charts → their source chart and leaf. */
const sources = new WeakMap<object, [AnyStateMachine, StartLeaf]>();

/**
 * The leaf `chart`'s start takes a link with `input` to, read from the chart itself: XState works
 * out the chart's start (`getInitialMicrosteps`: no action runs), whose first microstep enters the
 * initial state and whose second is the eventless one out of it, with the chart's own guards (as
 * `provide()` left them) on the link's initial context; null when that step is not into `attempt`
 * or there is none (autoConnect: false: the link waits).
 */
export function startLeafOf(chart: AnyStateMachine, input: unknown): StartLeaf | null {
  const step = getInitialMicrosteps(chart, input)[1];
  const attempt = (step?.[0].value as { attempt?: StartLeaf | object } | undefined)?.attempt;
  return ((typeof attempt === 'object' ? Object.keys(attempt)[0] : attempt) as StartLeaf) ?? null;
}

/** A new machine: `chart` starting in `attempt.<leaf>` (a copy of the chart's whole state-node
 * tree, as `provide()` makes: make it once per chart and leaf, ./src/runtime/link-starter.ts). */
export function startedChart<M extends AnyStateMachine>(chart: M, leaf: StartLeaf): M {
  const config = chart.config as { states: Record<string, object> };
  const machine = createMachine(
    {
      ...config,
      initial: 'attempt',
      states: { ...config.states, attempt: { ...config.states.attempt, initial: leaf } },
    } as never,
    chart.implementations as never,
  );
  sources.set(machine, [chart, leaf]);
  keepStarts(machine);
  return machine as unknown as M;
}

/** What `machine` stands for, if it is a started chart: its source chart, and the `always` branch
 * of the source's initial state (that state's id, the branch's index) that leads to its leaf. */
export function startedFrom(machine: unknown): StartedFrom | undefined {
  const known = sources.get(machine as object);
  if (!known) return undefined;
  const [chart, leaf] = known;
  // A machine's initial state is one of its root's states (createMachine checks it).
  const initial = chart.root.states[chart.config.initial as string] as AnyStateNode;
  const target = `${chart.id}.attempt.${leaf}`;
  return {
    chart,
    source: initial.id,
    // Stryker disable next-line OptionalChaining: a transition's target list, when there is one, is never empty
    branch: initial.always?.findIndex((t) => t.target?.[0]?.id === target) ?? -1,
  };
}

/** The chart `machine` describes: a started chart's source, else itself (whatever it is). */
export function chartOf<M>(machine: M): M {
  return (sources.get(machine as object)?.[0] as M | undefined) ?? machine;
}
