/**
 * Fewer hidden classes for a chart's transitions (BENCHMARKS.md round 17 (drop)).
 *
 * XState builds a transition object by copying its config's keys and then setting its own
 * (`{ ...config, actions, guard, target, source, reenter, eventType, toJSON }`), so in V8 the
 * object's hidden class follows which keys the config wrote and in what order: the connection
 * chart's 83 transitions of `on` and `always` had 11 classes, the socket chart's 27 had 6. XState's
 * loops over transitions (`computeExitSet`, `getTransitionDomain`, `getEffectiveTargetStates`),
 * optimised while links open, deoptimised ("wrong map") on the classes a drop brought, in the first
 * drop of every process. Passed through this, every transition of `on` and `always` is a config with
 * the keys of `BLANK` first, in their order (`undefined` where unwritten; XState reads an absent key
 * and an `undefined` one alike), then `description` if it has one: two classes, one for the
 * transitions with a description and one for the rest. A config without a prototype, because V8
 * copies one that has the usual prototype by a fast path that gives each copy a class of its own.
 * `after` is left as written (its configs get two keys more on the way: classes of their own), and
 * so are `invoke` and `onDone` (no chart here has them).
 */

/** The keys every transition config gets, in their order. */
const BLANK = { target: undefined, actions: undefined, guard: undefined, reenter: undefined };

/** Transitions as written (a target, a config, or a list of those; `undefined` stays), each
 * as a config without a prototype whose keys begin with `BLANK`'s. */
const uniform = (written: unknown): unknown =>
  written &&
  [written]
    .flat()
    .map((one) => Object.assign(Object.create(null), BLANK, typeof one === 'string' ? { target: one } : one));

/**
 * `config` (a chart, or a state of one) with every transition of `on` and `always`, in every state,
 * written with the same keys in the same order (see above). Pass a chart's config through it on its
 * way to `createMachine`.
 */
export function uniformTransitions<const T>(config: T): T {
  const state = { ...config } as Record<string, unknown>;
  state.always &&= uniform(state.always);
  for (const key of ['on', 'states']) {
    const record = state[key] as Record<string, unknown> | undefined;
    const each: Record<string, unknown> = {};
    for (const name in record) each[name] = (key === 'on' ? uniform : uniformTransitions)(record[name]);
    state[key] &&= each;
  }
  return state as T;
}
