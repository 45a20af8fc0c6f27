/**
 * One hidden class for every transition of a chart (BENCHMARKS.md round 17 (drop)).
 *
 * XState builds a transition object by spreading its config (`{ ...config, actions, guard, target,
 * source, reenter, eventType, toJSON }`; a delayed one's config first gets `event` and `delay`), so
 * in V8 the object's hidden class follows which keys the config wrote and in what order: the
 * connection chart's 105 transitions had 18 of them, the socket chart's 28 had 7. XState's hot
 * loops over transitions (`computeExitSet`, `computeEntrySet`, `getTransitionDomain`), optimised while
 * links open, then met classes a drop brings and deoptimised ("wrong map"), on every link's first
 * drop. Written through this pass, every transition config has the same keys in the same order
 * (those XState's delayed transitions carry, `undefined` where unused, then any other), and every
 * transition object of the chart one hidden class. What a transition does is unchanged: XState reads
 * an absent key and an `undefined` one alike.
 */

/** A transition as written in a chart config: a target, a config object, or a list of those. */
type Written = string | Record<string, unknown> | readonly (string | Record<string, unknown>)[] | undefined;

const uniformOne = (written: string | Record<string, unknown>): Record<string, unknown> => {
  const { target, actions, guard, reenter, description, event, delay, ...rest } =
    typeof written === 'string' ? { target: written } : written;
  // A literal, not a spread (`{ ...rest }` would give each object a hidden class of its own).
  return Object.assign(
    Object.create(null),
    { target, actions, guard, reenter, description, event, delay },
    rest,
  );
};

const uniform = (written: Written): Written =>
  written === undefined
    ? written
    : Array.isArray(written)
      ? written.map(uniformOne)
      : uniformOne(written as string | Record<string, unknown>);

const mapValues = (record: unknown, map: (value: never) => unknown): unknown =>
  Object.fromEntries(Object.entries(record as object).map(([key, value]) => [key, map(value as never)]));

/**
 * `config` (a chart, or a state of one) with every transition written with the same keys in the same
 * order (`on`, `always`, `after`, `onDone` and invocations' `onDone` / `onError` / `onSnapshot`, in every state),
 * so that XState gives all of the chart's transition objects one hidden class. Pass a chart's
 * config through it on its way to `createMachine`.
 */
export function uniformTransitions<const T>(config: T): T {
  const state = { ...(config as Record<string, unknown>) };
  for (const key of ['on', 'after'] as const) if (state[key]) state[key] = mapValues(state[key], uniform);
  for (const key of ['always', 'onDone', 'onError', 'onSnapshot'] as const)
    if (state[key]) state[key] = uniform(state[key] as Written);
  if (state.invoke) {
    state.invoke = (Array.isArray(state.invoke) ? state.invoke : [state.invoke]).map(
      (one: Record<string, unknown>) => uniformTransitions(one),
    );
  }
  if (state.states) state.states = mapValues(state.states, uniformTransitions);
  return state as T;
}
