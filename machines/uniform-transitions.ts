/**
 * One hidden class for every transition of a chart (BENCHMARKS.md round 17 (drop)).
 *
 * XState builds a transition object by spreading its config (`{ ...config, actions, guard, target,
 * source, reenter, eventType, toJSON }`), so in V8 the object's hidden class follows which keys the
 * config wrote and in what order: the connection chart's 105 transitions had 18 classes, the socket
 * chart's 28 had 7. XState's loops over transitions (`computeExitSet`, `computeEntrySet`,
 * `getTransitionDomain`), optimised while links open, deoptimised ("wrong map") on the classes a
 * drop brings, on the first drop of every process. Written through this pass, every transition
 * config has the same keys in the same order (`undefined` where unused, then any other), in a
 * prototype-less object: V8 copies such a config key by key, so the transition objects of every
 * chart written so share one class (a config with a prototype is copied by a fast path that gives
 * each copy a class of its own). XState reads an absent key and an `undefined` one alike: what a
 * transition does is unchanged. Delayed transitions (`after`) carry two keys more (one class of
 * their own); a state's `invoke` and `onDone` are left as written (no chart here has them).
 */

const KEYS = ['target', 'actions', 'guard', 'reenter', 'description'];

/** A transition as written (a target, a config object) with every key of `KEYS`, in that order. */
const uniformOne = (written: unknown): object => {
  const config = Object.create(null);
  for (const key of KEYS) config[key] = undefined;
  return Object.assign(config, typeof written === 'string' ? { target: written } : written);
};

/** A transition as written, or a list of them, each through `uniformOne`. */
const uniform = (written: unknown): unknown =>
  Array.isArray(written) ? written.map(uniformOne) : written && uniformOne(written);

const mapValues = (record: Record<string, unknown>, map: (value: never) => unknown) => {
  const out: Record<string, unknown> = {};
  for (const key in record) out[key] = map(record[key] as never);
  return out;
};

/**
 * `config` (a chart, or a state of one) with every transition of `on`, `always` and `after`, in
 * every state, written with the same keys in the same order, so that XState gives all of them one
 * hidden class. Pass a chart's config through it on its way to `createMachine`.
 */
export function uniformTransitions<const T>(config: T): T {
  const state = { ...config } as Record<string, never>;
  if (state.on) state.on = mapValues(state.on, uniform) as never;
  if (state.after) state.after = mapValues(state.after, uniform) as never;
  if (state.always) state.always = uniform(state.always) as never;
  if (state.states) state.states = mapValues(state.states, uniformTransitions) as never;
  return state as T;
}
