/**
 * A machine whose actors step through the stepper (./stepper.ts, BENCHMARKS.md rounds 42–43): the
 * machine object itself gets a `transition` of its own (as machines/kept-start.ts gives a started
 * chart its own `getInitialSnapshot`), so every link stays a genuine XState actor of the same
 * logic — its system, parent shard, `link.actor`, the inspector, traces, `startedFrom(actor.logic)`
 * — and only the pure step is the stepper's. Not a wrapper (`Object.create(machine)`): the logic's
 * identity is what the started charts' registry (machines/started-chart.ts) and the inspector key
 * on, and those files are not this concern's.
 *
 * Node only: the browser builds (scripts/browser-bundles.mjs) resolve this file to
 * ./stepped-machine.browser.ts, whose `stepMachine` is the identity (XState's own stepping: few
 * links a page, and the stepper's ~4 KB gzip would fail every browser bundle budget).
 *
 * Each `transition(snapshot, event, actorScope)`:
 * - steps with the stepper, handing each action to `actorScope.actionExecutor` as soon as it is
 *   resolved, as XState's `resolveAndExecuteActionsWithContext` does for a running actor
 *   (`{ type, info, params, exec }`; a builtin's exec is XState's own `execute` bound to the scope
 *   and params: delayed raise → scheduler.schedule, cancel → scheduler.cancel, emit →
 *   actorScope.emit, sendTo → scheduler or system._relay, each through `actorScope.defer` as
 *   XState's executors do; a cancel that would cancel nothing goes without one, see
 *   `cancelsNothing` in ./step-executor.ts; while the actor runs its own step, one action object and one exec standing
 *   for the builtin's serve every action, as XState's executor runs each at once and keeps
 *   neither: test/stepper/stepped-executor.test.ts): a custom action runs before the assigns and guards resolved after it,
 *   so user code they call (shouldReconnect, a backoff function, the clock) sees what it did
 *   (test/stepper/call-order.test.ts). After each microstep's actions it sends the microstep's
 *   `@xstate.microstep` inspection event (`event`, `snapshot`, `_transitions`) as XState's
 *   macrostep's `addMicrostep` does — one for the event even when no transition is taken;
 * - a step it cannot take (`Unsupported`: a snapshot with children, a status other than active,
 *   `xstate.stop`, an error event with no transition — all met before any action runs) goes to
 *   XState's own `StateMachine.prototype.transition`, counted in `stepperStats(machine)`; an
 *   action outside the stepper's set met after actions ran throws (XState would run them twice):
 *   the connection chart has none (test/stepper/stepped-actor.test.ts: no fallback but stops);
 * - returns a real machine snapshot: the fields and key order of XState's `createMachineSnapshot`,
 *   its value, tags and `_nodes` from a template made once per configuration (shared by every actor
 *   in it), `children`, `historyValue`, `output`, `error` carried from the previous snapshot as
 *   `cloneMachineSnapshot` carries them, and the same snapshot object when nothing changed.
 *
 * - for a started chart whose link's start kept-start does not keep (an in-process link's into
 *   `ready`: three microsteps, a report, an announcement), `start` takes that start as XState's
 *   `getInitialSnapshot` does (machines/kept-start.ts `startUnkeptWith`, round 50): the context
 *   factory's result assigned onto an empty context, the initial microstep (ChartPlans.initialPlan:
 *   root and every initial state entered by default, no inspection event: `initialMicrostep`
 *   sends none), then the eventless and raised steps of the `xstate.init` event's macrostep, each
 *   inspected. The whole start is resolved into the stepper's buffers first and handed on only if
 *   the stepper took all of it (its actions deferred by the actor, which is not running yet, as
 *   XState's are); an Unsupported or throwing start is XState's (`startFallbacks`), nothing handed
 *   on twice; an inspection observer that throws while it is handed on gets XState's error
 *   snapshot (the pre-initial one). Canaries: test/stepper/stepped-start-canary.test.ts (toy
 *   charts), equivalence for the connection chart: test/stepper/stepped-start.test.ts and
 *   test/stepper/stepped-start-persisted.test.ts (every field, persisted, the throwing observer).
 *
 * XState internals read (xstate 5.33.3; besides those listed in ./chart-plans.ts and
 * ./resolve-actions.ts): `StateMachine.prototype.transition` (the fallback), `snapshot._nodes`,
 * `.children`, `.historyValue`, `.output`, `.error`, `.machine`; the snapshot's shared `matches`,
 * `hasTag`, `can`, `getMeta`, `toJSON` functions (read off a snapshot `machine.resolveState` made);
 * `actorScope.actionExecutor`, `.self`, `.system`, `.system._sendInspectionEvent`; a builtin
 * action's `execute(actorScope, params)`; for `cancelsNothing`, `system._snapshot._scheduledEvents`
 * (keyed `${sessionId}.${id}` as XState's createScheduledEventId), `self.sessionId` and
 * `self._processingStatus` (1: running); any other shape leaves every cancel to XState (canary:
 * test/stepper/stepped-cancel.test.ts). For `start`: the shape of XState's `getInitialSnapshot`
 * (`_getPreInitialState`'s assign of the factory's result, `initialMicrostep` with
 * `getInitialStateNodes`, `macrostep` of `{ type: 'xstate.init', input }`), the actor deferring the
 * actions handed to its executor before it runs (canaries: test/stepper/stepped-start-canary.test.ts).
 */
import type { AnyActorScope, AnyStateMachine } from 'xstate';
import { startUnkeptWith } from '../../machines/kept-start.js';
import type { Config } from './chart-plans.js';
import { ChartPlans, Unsupported } from './chart-plans.js';
import { type MutableState, StepExecutor } from './step-executor.js';
import type { StepperState } from './stepper.js';

// biome-ignore lint/suspicious/noExplicitAny: XState snapshots and internals.
type Any = any;

/** What a stepped machine's actors did: steps the stepper took, steps handed to XState (by reason). */
export interface StepperStats {
  steps: number;
  fallbacks: number;
  /** Starts stepped (a started chart's whose start is not kept: machines/kept-start.ts), and
   * starts the stepper could not take (XState's). */
  starts: number;
  startFallbacks: number;
  readonly reasons: Map<string, number>;
}

const stats = new WeakMap<object, StepperStats>();

/** A stepped snapshot's `children` (the stepper takes no step of a snapshot with children) and
 * its `historyValue` while empty (a chart with a history state is not stepped): shared by every
 * actor, frozen (XState copies them, never writes into them: `resolveStop`, `microstep`). */
const NO_CHILDREN = Object.freeze({});
const NO_HISTORY = Object.freeze({});

function isEmpty(object: object): boolean {
  for (const _ in object) return false;
  return true;
}

/** The counts of a machine made stepped by `stepMachine` (undefined if it is not). */
export function stepperStats(machine: object): StepperStats | undefined {
  return stats.get(machine);
}

/** A snapshot's shape but for its context, status and carried fields: one per configuration. */
interface Template {
  _nodes: Any[];
  value: unknown;
  tags: Set<string>;
  matches: unknown;
  hasTag: unknown;
  can: unknown;
  getMeta: unknown;
  toJSON: unknown;
}

/**
 * Makes `machine`'s actors step through the stepper (see the header): sets the machine's own
 * `transition`, once; returns the machine. A machine the stepper cannot take at all (a parallel
 * state, history, invoke, machine output) is returned as it is.
 */
export function stepMachine<M extends AnyStateMachine>(machine: M): M {
  if (stats.has(machine)) return machine;
  let plans: ChartPlans;
  try {
    plans = new ChartPlans(machine);
  } catch (error) {
    if (error instanceof Unsupported) return machine;
    throw error;
  }
  const counts: StepperStats = { steps: 0, fallbacks: 0, starts: 0, startFallbacks: 0, reasons: new Map() };
  stats.set(machine, counts);
  const xstateTransition = Object.getPrototypeOf(machine).transition as AnyStateMachine['transition'];
  const templates = new Map<Config, Template>();
  /** A done microstep's: XState's microstep sorts a done snapshot's `_nodes` deepest first. */
  const doneTemplates = new Map<Config, Template>();
  /** Configurations by a template's `_nodes`. */
  const configs = new WeakMap<object, Config>();

  /** A snapshot XState made (the first template's): its functions are every snapshot's. */
  let made: Any = null;
  const template = (config: Config, done: boolean): Template => {
    const known = done ? doneTemplates : templates;
    let t = known.get(config);
    if (t) return t;
    made ??= machine.resolveState({ value: config.value as never, context: {} as never });
    const nodes = done ? [...config.nodes].sort((a, b) => b.order - a.order) : [...config.nodes];
    t = {
      _nodes: nodes,
      // XState's getStateValue, as ChartPlans builds it (compound and atomic states only).
      value: config.value,
      tags: new Set(nodes.flatMap((n) => n.tags)),
      matches: made.matches,
      hasTag: made.hasTag,
      can: made.can,
      getMeta: made.getMeta,
      toJSON: made.toJSON,
    };
    known.set(config, t);
    configs.set(nodes, config);
    return t;
  };

  // Every configuration's template is made now, not by the first actor entering it: made in the
  // middle of a step (a process's first drop enters `reconnecting`), it runs code the optimised
  // `drain` below never ran, and V8 throws that code away and compiles it again (BENCHMARKS.md
  // round 45 (storm)). A root-level final state's is its done template (the only one it takes).
  const visit = (node: Any): void => {
    const children = Object.values<Any>(node.states);
    if (children.length === 0) template(plans.config(node), node.type === 'final');
    for (const child of children) visit(child);
  };
  visit(machine.root);

  /** The stepper's state for `snapshot`, written into `state` (an executor's, refilled each step). */
  const stateOf = (snapshot: Any, state: MutableState): StepperState => {
    if (snapshot.status !== 'active') throw new Unsupported(`status ${snapshot.status}`);
    for (const _ in snapshot.children) throw new Unsupported('children');
    // A template's nodes are known; XState's own (a link's start) are read, not kept (a WeakMap
    // entry a link would be ~30 B of its idle heap).
    state.config = configs.get(snapshot._nodes) ?? plans.configOf(snapshot._nodes);
    state.context = snapshot.context;
    return state;
  };

  /** cloneMachineSnapshot(previous, { context, status, _nodes }) with the template's shape. */
  const snapshotOf = (previous: Any, config: Config, context: Any, done: boolean): Any => {
    // Every template is made above: the lookup alone runs in a step (template()'s making code,
    // inlined into the optimised `drain`, was most of that compile: BENCHMARKS.md round 46 (storm)).
    const t = (done ? doneTemplates : templates).get(config) ?? template(config, done);
    return {
      status: done ? 'done' : previous.status,
      output: previous.output,
      error: previous.error,
      machine: previous.machine,
      context,
      _nodes: t._nodes,
      value: t.value,
      tags: t.tags,
      // Empty in every step the stepper takes (stateOf): one shared empty object, not the one
      // XState made for each actor's first snapshot (~50 B each a link, BENCHMARKS.md round 49).
      children: NO_CHILDREN,
      historyValue: isEmpty(previous.historyValue) ? NO_HISTORY : previous.historyValue,
      matches: t.matches,
      hasTag: t.hasTag,
      can: t.can,
      getMeta: t.getMeta,
      toJSON: t.toJSON,
    };
  };

  /** Free executors, `freeCount` of them (a stack by index: popping the last one off an array
   * would give its storage back, and the next push make it again, every step). */
  const free: StepExecutor[] = [];
  let freeCount = 0;

  const step = (snapshot: Any, event: Any, actorScope: AnyActorScope): Any => {
    // A custom action may make another actor of this machine step meanwhile: it takes another.
    const run =
      freeCount > 0 ? (free[--freeCount] as StepExecutor) : new StepExecutor(machine, plans, snapshotOf);
    const { stepper } = run;
    try {
      run.begin(snapshot, actorScope);
      try {
        stepper.macrostep(stateOf(snapshot, run.state), event);
      } catch (error) {
        if (!(error instanceof Unsupported)) throw error;
        // Actions already ran (XState's order: each as it is resolved): XState cannot take the step
        // again without running them twice. Never met by the connection chart (its every action is
        // the stepper's: test/stepper/stepped-actor.test.ts).
        if (run.started()) throw new Error(`stepper: ${error.message} after the step's actions ran`);
        counts.fallbacks++;
        counts.reasons.set(error.message, (counts.reasons.get(error.message) ?? 0) + 1);
        return xstateTransition.call(machine, snapshot, event, actorScope);
      }
      counts.steps++;
      run.drain();
      return run.previous;
    } finally {
      run.end();
      free[freeCount++] = run;
    }
  };

  /** A start's pre-initial snapshot: what `snapshotOf` carries from it (XState's
   * `_getPreInitialState`: active, no output or error, an empty history). */
  const preInitial = {
    status: 'active',
    output: undefined,
    error: undefined,
    machine,
    historyValue: NO_HISTORY,
  };

  /** An actor's start stepped (a started chart's link whose start is not kept), or undefined: the stepper cannot take it
   * (nothing was handed on: XState's own start is the actor's). */
  const start = (actorScope: AnyActorScope, input: unknown, fromFactory: object): Any => {
    const run =
      freeCount > 0 ? (free[--freeCount] as StepExecutor) : new StepExecutor(machine, plans, snapshotOf);
    try {
      run.beginStart(preInitial, actorScope);
      // XState's context assign: the factory's result on the pre-initial (empty) context.
      const context = Object.assign({}, fromFactory);
      try {
        run.stepper.start(context, { type: 'xstate.init', input });
      } catch {
        // Unsupported, or a guard or assign that threw: XState's start (its error snapshot).
        counts.startFallbacks++;
        return undefined;
      }
      counts.starts++;
      try {
        run.drain();
      } catch (error) {
        // An inspection observer threw while the start was handed on (what was handed on before
        // it stays, as in XState's): XState's getInitialSnapshot catches it into an error snapshot
        // of the pre-initial state after the context's assign, not the actor's bare one.
        return startError(context, error);
      }
      return run.previous;
    } finally {
      run.end();
      free[freeCount++] = run;
    }
  };
  /** XState's getInitialSnapshot's error snapshot: `cloneMachineSnapshot` of the pre-initial one
   * (`createMachineSnapshot` of the root alone, its context assigned) with the error. */
  const startError = (context: object, error: unknown): Any => {
    const { root } = machine as Any;
    return {
      status: 'error',
      output: undefined,
      error,
      machine,
      context,
      _nodes: [root],
      // getStateValue of the root alone: its initial states' value (getAllStateNodes adds them).
      value: plans.initialPlan().next.value,
      tags: new Set(root.tags),
      children: {},
      historyValue: {},
      matches: made.matches,
      hasTag: made.hasTag,
      can: made.can,
      getMeta: made.getMeta,
      toJSON: made.toJSON,
    };
  };
  startUnkeptWith(machine, start);

  Object.defineProperty(machine, 'transition', {
    value: step,
    writable: true,
    configurable: true,
    enumerable: false,
  });
  return machine;
}
