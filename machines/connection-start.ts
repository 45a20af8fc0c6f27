/**
 * The connection chart started where `idle`'s eventless transition would take it, without the
 * microstep. `idle`'s `always` reads only the link's policy (autoConnect, isInProcess,
 * resolvesTarget: constant for a link, shared by every link of the same options), so the first link
 * of a policy runs the chart as drawn and shows where a link of that policy starts (the state value
 * of its initial snapshot); the next ones can run the same chart, the same implementations, with
 * only the root's and `attempt`'s initial states set to that place: the same entry actions in the
 * same order, the same context and state, one microstep less (−2.6 µs and −4.3 KB allocated a
 * start, BENCHMARKS.md round 20 (open)). A link that waits in `idle` (autoConnect off) keeps the
 * chart. The chart stays the one definition: this is a copy of its config with two initial states
 * set, made by the runtime (src/runtime/link-starter.ts) for a supervisor of many links
 * (policy/start.ts), never for an inspected link (an observer sees each microstep).
 */
import { type AnyStateMachine, createMachine, type StateValue } from 'xstate';

/**
 * `chart` starting in `attempt`'s child where `value` (the initial state value of a link of the
 * chart) is, or `chart` itself when that link waits in `idle`.
 */
export function startedAt<M extends AnyStateMachine>(chart: M, value: StateValue): M {
  const attempt = (value as { attempt?: StateValue }).attempt;
  if (!attempt) return chart;
  const { config } = chart;
  const states = config.states as Record<string, object>;
  const initial = typeof attempt === 'string' ? attempt : Object.keys(attempt)[0];
  return createMachine(
    { ...config, initial: 'attempt', states: { ...states, attempt: { ...states.attempt, initial } } },
    chart.implementations as never,
  ) as unknown as M;
}
