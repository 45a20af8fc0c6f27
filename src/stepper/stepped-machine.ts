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
 *   `cancelsNothing`; while the actor runs its own step, one action object and one exec standing
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
 * XState internals read (xstate 5.33.3; besides those listed in ./chart-plans.ts and
 * ./resolve-actions.ts): `StateMachine.prototype.transition` (the fallback), `snapshot._nodes`,
 * `.children`, `.historyValue`, `.output`, `.error`, `.machine`; the snapshot's shared `matches`,
 * `hasTag`, `can`, `getMeta`, `toJSON` functions (read off a snapshot `machine.resolveState` made);
 * `actorScope.actionExecutor`, `.self`, `.system`, `.system._sendInspectionEvent`; a builtin
 * action's `execute(actorScope, params)`; for `cancelsNothing`, `system._snapshot._scheduledEvents`
 * (keyed `${sessionId}.${id}` as XState's createScheduledEventId), `self.sessionId` and
 * `self._processingStatus` (1: running); any other shape leaves every cancel to XState (canary:
 * test/stepper/stepped-cancel.test.ts).
 */
import type { AnyActorScope, AnyStateMachine } from 'xstate';
import type { Config } from './chart-plans.js';
import { ChartPlans, Unsupported } from './chart-plans.js';
import type { ActionBuffer } from './resolve-actions.js';
import { Stepper, type StepperState } from './stepper.js';

// biome-ignore lint/suspicious/noExplicitAny: XState snapshots and internals.
type Any = any;

/** What a stepped machine's actors did: steps the stepper took, steps handed to XState (by reason). */
export interface StepperStats {
  steps: number;
  fallbacks: number;
  readonly reasons: Map<string, number>;
}

const stats = new WeakMap<object, StepperStats>();

/** The counts of a machine made stepped by `stepMachine` (undefined if it is not). */
export function stepperStats(machine: object): StepperStats | undefined {
  return stats.get(machine);
}

/**
 * Whether the step's action `i`, a cancel, would do nothing: no delayed event of this id is
 * pending for this actor in XState's scheduler (`system._snapshot._scheduledEvents`, keyed as its
 * `createScheduledEventId` does) and none is scheduled earlier in this step (a delayed raise or
 * sendTo is scheduled in a deferred task, after the step's actions: its cancel must run). Such a
 * cancel is still handed to the action executor — its `@xstate.action` inspection event is
 * XState's — but without its `execute` (XState's executor skips an action without one), so no
 * deferred task, scheduled-event key or scheduler lookup is made for it. A connection chart's drop
 * leaves its socket state with two such cancels (the ack and error-close timers, armed only by a
 * resume link and by a socket error: BENCHMARKS.md round 46 (storm)). Only while the actor runs
 * (XState's ProcessingStatus.Running, 1): otherwise XState defers the action to its start.
 */
function cancelsNothing(out: ActionBuffer, i: number, actorScope: AnyActorScope): boolean {
  const self = actorScope.self as Any;
  const pending = (actorScope.system as Any)._snapshot?._scheduledEvents;
  const session = self.sessionId;
  // Any other shape than the one read (a later XState's) leaves the cancel to XState.
  if (self._processingStatus !== 1 || typeof session !== 'string' || !isRecord(pending)) return false;
  // Ids compared as XState's scheduler keys them (a template string): a cancel's id from a
  // function may be the number 7 where the raise's is '7' (test/stepper/stepped-cancel.test.ts).
  const id = `${(out.params[i] as { sendId: unknown }).sendId}`;
  if (`${session}.${id}` in pending) return false;
  for (let k = 0; k < i; k++) {
    const type = out.types[k];
    if (type !== 'xstate.raise' && type !== 'xstate.sendTo') continue;
    const params = out.params[k] as { id?: unknown; delay?: unknown };
    if (typeof params.delay === 'number' && `${params.id}` === id) return false;
  }
  return true;
}

/** A plain object (XState's `_scheduledEvents`), not a Map or anything else a later XState holds. */
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/** A StepperState an executor refills step after step. */
interface MutableState {
  config: Config;
  context: Any;
  status: 'active';
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
  const counts: StepperStats = { steps: 0, fallbacks: 0, reasons: new Map() };
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
      children: previous.children,
      historyValue: previous.historyValue,
      matches: t.matches,
      hasTag: t.hasTag,
      can: t.can,
      getMeta: t.getMeta,
      toJSON: t.toJSON,
    };
  };

  /**
   * Runs a step's actions and inspection events in XState's order as the stepper resolves them
   * (`drain`, the step's `out.sink`): each action handed to `actorScope.actionExecutor` at once, as
   * XState's `resolveAndExecuteActionsWithContext` does for a running actor (so a custom action
   * runs before the assigns and guards resolved after it), each microstep's `@xstate.microstep`
   * once its actions ran; `previous` is the snapshot after the step. One per stepper, reused step
   * after step: its `drain` is made once (a drain and its state made every step were ~0.6 KB a
   * link of a drop's garbage, and a closure made per step is one V8 cannot inline).
   */
  class Executor {
    readonly stepper = new Stepper(machine, {}, plans);
    private actorScope: AnyActorScope | undefined = undefined;
    previous: Any = undefined;
    private k = 0;
    private m = 0;
    /** Whether the actor steps in its own scope (its `_actorScope`: not `transition()`'s inert
     * one), whose executor, while the actor runs, calls an action's exec before it returns. */
    private own = false;
    /** The action handed on while the actor runs its own step (see `drain`): one object, refilled. */
    private readonly action: { type: string; info: unknown; params: unknown; exec: Any } = {
      type: '',
      info: undefined,
      params: undefined,
      exec: undefined,
    };
    /** The builtin `runBuiltin` stands for: XState's `execute` of the action being handed on. */
    private builtinExecute: Any = undefined;
    /** The step's starting state (refilled by `stateOf`, forgotten by `end`). */
    readonly state: MutableState = {
      config: undefined as unknown as Config,
      context: undefined,
      status: 'active',
    };

    /** The step of `actorScope`'s actor from `snapshot` begins. */
    begin(snapshot: Any, actorScope: AnyActorScope): void {
      const { stepper } = this;
      this.actorScope = actorScope;
      this.previous = snapshot;
      this.k = 0;
      this.m = 0;
      this.own = actorScope === (actorScope.self as Any)._actorScope;
      stepper.scope.self = actorScope.self;
      stepper.scope.system = actorScope.system;
      stepper.out.sink = this.drain;
    }

    /** Whether the step handed on an action or an inspection event yet. */
    started(): boolean {
      return this.k > 0 || this.m > 0;
    }

    /** The step ended: nothing of it is kept (a free executor must not keep an actor alive). */
    end(): void {
      const { stepper } = this;
      stepper.release();
      stepper.out.sink = undefined;
      stepper.scope.self = undefined;
      stepper.scope.system = undefined;
      this.actorScope = undefined;
      this.previous = undefined;
      this.builtinExecute = undefined;
      this.state.context = undefined;
      const { action } = this;
      action.info = undefined;
      action.params = undefined;
      action.exec = undefined;
    }

    readonly drain = (): void => {
      const { out, micro } = this.stepper;
      const actorScope = this.actorScope as AnyActorScope;
      while (this.k < out.length || this.m < micro.length) {
        const m = this.m;
        if (m < micro.length && (micro.ends[m] as number) <= this.k) {
          const previous = this.previous;
          const next = micro.changed[m]
            ? snapshotOf(previous, micro.configs[m] as Config, micro.contexts[m], micro.done[m] as boolean)
            : previous;
          const t = micro.transitions[m];
          (actorScope.system as Any)._sendInspectionEvent({
            type: '@xstate.microstep',
            actorRef: actorScope.self,
            event: micro.events[m],
            snapshot: next,
            _transitions: t ? [t] : [],
          });
          this.previous = next;
          this.m = m + 1;
          continue;
        }
        const i = this.k;
        if (i >= out.length) return;
        this.k = i + 1;
        const exec = out.execs[i];
        const params = out.params[i];
        const type = out.types[i] as string;
        const skip = out.builtin[i] && type === 'xstate.cancel' && cancelsNothing(out, i, actorScope);
        // While the actor runs (XState's ProcessingStatus.Running, 1) in its own scope, XState's
        // executor runs the action's exec at once and keeps neither it nor the action: one
        // action object and one builtin exec serve every action (a fresh object and a bound
        // execute an action were ~0.8 KB a link of a drop's garbage). Otherwise (the actor not
        // running: XState defers the exec; `transition()`'s scope: kept) each is its own.
        if (this.own && (actorScope.self as Any)._processingStatus === 1) {
          const action = this.action;
          action.type = type;
          action.info = out.args[i];
          action.params = params;
          action.exec = !out.builtin[i] ? exec : skip ? undefined : this.runBuiltin;
          this.builtinExecute = out.builtin[i] ? exec : undefined;
          actorScope.actionExecutor(action as never);
          continue;
        }
        actorScope.actionExecutor({
          type,
          info: out.args[i] as never,
          params,
          exec: !out.builtin[i] ? exec : skip ? undefined : (exec as Any).bind(null, actorScope, params),
        });
      }
    };

    /** A builtin's exec while the actor runs: XState's `execute(actorScope, params)` of the
     * action being handed on (XState's executor calls `exec(info, params)` before it returns). */
    readonly runBuiltin = (_info: unknown, params: unknown): void => {
      const execute = this.builtinExecute;
      execute(this.actorScope, params);
    };
  }

  /** Free executors, `freeCount` of them (a stack by index: popping the last one off an array
   * would give its storage back, and the next push make it again, every step). */
  const free: Executor[] = [];
  let freeCount = 0;

  const step = (snapshot: Any, event: Any, actorScope: AnyActorScope): Any => {
    // A custom action may make another actor of this machine step meanwhile: it takes another.
    const run = freeCount > 0 ? (free[--freeCount] as Executor) : new Executor();
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

  Object.defineProperty(machine, 'transition', {
    value: step,
    writable: true,
    configurable: true,
    enumerable: false,
  });
  return machine;
}
