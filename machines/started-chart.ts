/**
 * A link's start without `idle`'s eventless microstep (issue 11): every autoConnect link would be
 * created in `idle` and leave it at once through `idle`'s `always` (three guards) for
 * attempt.connecting, resolving or ready. A *started chart* is the connection chart (as provided,
 * with all its implementations) whose root starts in `attempt` and whose `attempt` starts in that
 * leaf: derived from the chart's own config, once per chart and leaf (never hand-copied), so a
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
import { type AnyStateMachine, createMachine } from 'xstate';
import type { ConnectionInput } from './connection-types.js';

/** The attempt leaf an autoConnect link starts in. */
export type StartLeaf = 'ready' | 'resolving' | 'connecting';

/** What a started chart stands for: its source chart, and the source's `always` branch (its index
 * in the initial state's `always` list, and that state's id) it skips. */
export interface StartedFrom {
  chart: AnyStateMachine;
  source: string;
  branch: number;
}

/** Started charts → what they stand for. */
const sources = new WeakMap<object, StartedFrom>();
/** Per source chart, its started charts by leaf. */
const started = new WeakMap<AnyStateMachine, Map<StartLeaf, AnyStateMachine>>();

/**
 * The leaf `idle`'s `always` chooses for a link's input (its guards `autoConnect && isInProcess`,
 * `autoConnect && resolvesTarget`, `autoConnect`, read from the input as the link's policy
 * resolves them, ./connection-context.ts), or null: the link waits in idle (autoConnect: false).
 */
export function startLeafOf(
  input: Pick<ConnectionInput, 'autoConnect' | 'inProcess' | 'perAttempt'>,
): StartLeaf | null {
  if (input.autoConnect === false) return null;
  return input.inProcess ? 'ready' : input.perAttempt === true ? 'resolving' : 'connecting';
}

/** `chart` starting in `attempt.<leaf>` (made once per chart and leaf). */
export function startedChart<M extends AnyStateMachine>(chart: M, leaf: StartLeaf): M {
  const byLeaf = started.get(chart) ?? new Map<StartLeaf, AnyStateMachine>();
  started.set(chart, byLeaf);
  let machine = byLeaf.get(leaf);
  if (!machine) {
    const config = chart.config as { initial: string; states: Record<string, object> };
    const attempt = config.states.attempt;
    machine = createMachine(
      {
        ...config,
        initial: 'attempt',
        states: { ...config.states, attempt: { ...attempt, initial: leaf } },
      } as never,
      chart.implementations as never,
    ) as unknown as AnyStateMachine;
    const idle = chart.root.states[config.initial];
    const target = `${chart.id}.attempt.${leaf}`;
    sources.set(machine, {
      chart,
      source: idle?.id ?? '',
      branch: idle?.always?.findIndex((t) => t.target?.[0]?.id === target) ?? -1,
    });
    byLeaf.set(leaf, machine);
  }
  return machine as M;
}

/** What `machine` stands for, if it is a started chart. */
export function startedFrom(machine: unknown): StartedFrom | undefined {
  return sources.get(machine as object);
}

/** The chart `machine` describes: a started chart's source, else itself. */
export function chartOf<M extends AnyStateMachine>(machine: M): M {
  return (startedFrom(machine)?.chart as M | undefined) ?? machine;
}
