/**
 * A stepper derived from a machine's own definition (Round 42's what-if, integrated in round 43: ./stepped-machine.ts):
 * it steps a chart as XState 5.33's macrostep does (the event's transition, then eventless
 * transitions and raised events until stable), with the structure worked out once per machine
 * (chart-plans.ts) and the actions resolved without a snapshot per assign (resolve-actions.ts).
 * A step the stepper cannot take (Unsupported: a parallel or history state, spawn, a named sendTo
 * target, `xstate.stop`, an error event with no transition …) is handed to XState's public pure
 * `transition()` and counted in `fallbacks`; the chart's hot path (open, drop, retry) takes none.
 *
 * Per step: guards, assigns and the actions' own functions run; nothing else is computed. The
 * actions XState would hand to its executor land in an ActionBuffer (reused), in XState's order
 * with XState's types and params, for the host to execute after the step (custom actions call
 * their implementation; raise with a delay schedules, cancel cancels, emit emits, sendTo sends).
 *
 * XState internals read: see chart-plans.ts and resolve-actions.ts; here `snapshot._nodes` (to
 * start from an XState snapshot) and `machine.resolveState` (to hand a step back).
 */
import { transition as xstateTransition } from 'xstate';
import { ChartPlans, type Config, type Transition, Unsupported } from './chart-plans.js';
import {
  ActionBuffer,
  ActionResolver,
  checkGuard,
  type Resolution,
  type ResolveScope,
  slots,
} from './resolve-actions.js';

// biome-ignore lint/suspicious/noExplicitAny: XState machines, snapshots and events (internals).
type Any = any;

/** A chart's state as the stepper holds it: its configuration, context and status. */
export interface StepperState {
  readonly config: Config;
  readonly context: Any;
  readonly status: 'active' | 'done';
}

/** The microsteps of the last step, as XState's macrostep takes them (parallel arrays, reused):
 * where each one's actions end in the ActionBuffer, its event, the transition taken (undefined:
 * none, XState's empty microstep), the configuration, context and status after it, and whether it
 * made a new snapshot (XState's microstep returns the same snapshot when nothing moved, assigned
 * or finished). */
export class MicrostepBuffer {
  length = 0;
  // Made with their slots (see BUFFER_SLOTS): a step longer than any before it would otherwise
  // grow them in optimised code, which V8 throws away ("out of bounds") and compiles again.
  readonly ends: number[] = slots(0);
  readonly events: Any[] = slots(undefined);
  readonly transitions: (Transition | undefined)[] = slots(undefined);
  readonly configs: Config[] = slots(undefined as unknown as Config);
  readonly contexts: Any[] = slots(undefined);
  readonly done: boolean[] = slots(false);
  readonly changed: boolean[] = slots(false);

  /** Forgets the last step's events and contexts (as ActionBuffer.release). */
  release(): void {
    this.events.fill(undefined, 0, this.length);
    this.contexts.fill(undefined, 0, this.length);
    this.length = 0;
  }
}

/** The stepper of one machine. */
export class Stepper {
  readonly plans: ChartPlans;
  /** Steps handed to XState, and why. */
  fallbacks = 0;
  readonly fallbackReasons = new Map<string, number>();
  /** The actions of the last step (reused: read before the next step). */
  readonly out = new ActionBuffer();
  /** The microsteps of the last step (reused, as `out`). */
  readonly micro = new MicrostepBuffer();
  /** The resolution's self and system: set them before a step for the actor stepping. */
  readonly scope: ResolveScope;
  private readonly resolver: ActionResolver;
  private readonly queue: Any[] = [];
  /** The step's resolution (refilled each step, forgotten by `release`: one object a stepper). */
  private readonly r: Resolution = {
    context: undefined,
    event: undefined,
    queue: this.queue,
    assigned: false,
    out: this.out,
  };
  /** The last microstep's `done` and `changed` (its configuration is returned). */
  private stepDone = false;
  private stepChanged = false;

  constructor(
    private readonly machine: Any,
    scope: { self?: unknown; system?: unknown } = {},
    plans?: ChartPlans,
  ) {
    this.plans = plans ?? new ChartPlans(machine);
    this.scope = { implementations: machine.implementations, self: scope.self, system: scope.system };
    this.resolver = new ActionResolver(this.scope);
  }

  /** The stepper's state for an XState snapshot of the machine. */
  fromSnapshot(snapshot: Any): StepperState {
    if (snapshot.status !== 'active' && snapshot.status !== 'done')
      throw new Unsupported(`status ${snapshot.status}`);
    if (Object.keys(snapshot.children).length > 0) throw new Unsupported('children');
    return {
      config: this.plans.configOf(snapshot._nodes),
      context: snapshot.context,
      status: snapshot.status,
    };
  }

  /** The state value of a stepper state. */
  value(state: StepperState): unknown {
    return state.config.value;
  }

  /** One macrostep: the state after `event`; its actions in `this.out`. */
  step(state: StepperState, event: Any): StepperState {
    try {
      return this.macrostep(state, event);
    } catch (error) {
      if (!(error instanceof Unsupported)) throw error;
      return this.fallback(state, event, error.message);
    }
  }

  /** Forgets what the last step held (actions' args, events, contexts, its queue): a stepper in a
   * machine's pool of free steppers must not keep an actor, its system or its context alive after
   * its step (test/runtime/watch-network-unwire.test.ts: a closed supervisor is collected). */
  release(): void {
    this.out.release();
    this.micro.release();
    this.queue.length = 0;
    this.r.context = undefined;
    this.r.event = undefined;
  }

  /** One macrostep, or `Unsupported` thrown: the state after `event`, its actions in `this.out`,
   * its microsteps in `this.micro` (each told to `out.sink`, if set, as it is resolved). */
  macrostep(state: StepperState, event: Any): StepperState {
    const out = this.out;
    out.length = 0;
    this.micro.length = 0;
    this.queue.length = 0;
    if (state.status !== 'active') throw new Unsupported(`status ${state.status}`);
    if (event.type === 'xstate.stop' || event.type === 'xstate.init') throw new Unsupported(event.type);
    const r = this.r;
    r.context = state.context;
    r.event = event;
    r.assigned = false;
    let config = state.config;
    let done = false;
    const t = this.select(this.plans.candidates(config, event.type), r.context, event);
    if (!t && event.type.startsWith('xstate.error.')) throw new Unsupported('error event, no transition');
    if (t) {
      config = this.microstep(r, config, t, event);
      done = this.stepDone;
    } else this.record(event, undefined, config, r.context, false, false);
    return this.settle(r, config, done, event);
  }

  /**
   * An actor's start, as XState's `getInitialSnapshot` takes it after the context's assign: the
   * initial microstep (ChartPlans.initialPlan: every initial state entered, their entry actions
   * resolved on `context`, the one the context factory made) recorded as this step's first
   * microstep, then the eventless steps and raised events of XState's macrostep of `initEvent`
   * (`{ type: 'xstate.init', input }`), as `macrostep` takes them after an event. Or `Unsupported`
   * thrown. The first microstep has no inspection event in XState (the host skips it).
   */
  start(context: Any, initEvent: Any): StepperState {
    this.out.length = 0;
    this.micro.length = 0;
    this.queue.length = 0;
    const r = this.r;
    r.context = context;
    r.event = initEvent;
    r.assigned = false;
    const plan = this.plans.initialPlan();
    this.resolver.run(r, plan.actions);
    if (plan.done) this.resolver.run(r, plan.doneExits);
    this.record(initEvent, undefined, plan.next, r.context, plan.done, true);
    return this.settle(r, plan.next, plan.done, initEvent);
  }

  /** The rest of a macrostep after its event's microstep: eventless transitions and raised events
   * until stable (XState's `macrostep` loop). */
  private settle(r: Resolution, from: Config, stepDone: boolean, event: Any): StepperState {
    let config = from;
    let done = stepDone;
    let t: Transition | undefined;
    let selectEventless = true;
    let current = event;
    while (!done) {
      t = selectEventless ? this.select(config.always, r.context, current) : undefined;
      if (t) {
        config = this.microstep(r, config, t, current);
        done = this.stepDone;
        // XState stops selecting eventless transitions after one that returned the same snapshot.
        selectEventless = this.stepChanged;
        continue;
      }
      if (this.queue.length === 0) break;
      current = this.queue.shift();
      r.event = current;
      const raised = this.select(this.plans.candidates(config, current.type), r.context, current);
      selectEventless = true;
      if (!raised) {
        this.record(current, undefined, config, r.context, false, false);
        continue;
      }
      config = this.microstep(r, config, raised, current);
      done = this.stepDone;
    }
    return { config, context: r.context, status: done ? 'done' : 'active' };
  }

  private record(
    event: Any,
    t: Transition | undefined,
    config: Config,
    context: Any,
    done: boolean,
    changed: boolean,
  ) {
    const m = this.micro;
    const k = m.length++;
    m.ends[k] = this.out.length;
    m.events[k] = event;
    m.transitions[k] = t;
    m.configs[k] = config;
    m.contexts[k] = context;
    m.done[k] = done;
    m.changed[k] = changed;
    this.out.sink?.();
  }

  /** The first candidate whose guard passes (StateNode.next, level by level). */
  private select(candidates: readonly Transition[], context: Any, event: Any): Transition | undefined {
    // Indexed: a for-of's iterator is an allocation until the code is optimised (a first drop's).
    for (let i = 0; i < candidates.length; i++) {
      const t = candidates[i];
      if (t.guard === undefined || checkGuard(this.scope, t.guard, context, event)) return t;
    }
    return undefined;
  }

  /** One transition's microstep: its configuration after; its done and changed in `stepDone` and
   * `stepChanged` (no result object a microstep). */
  private microstep(r: Resolution, config: Config, t: Transition, event: Any): Config {
    r.assigned = false;
    const plan = this.plans.plan(config, t);
    this.resolver.run(r, plan.actions);
    if (plan.done) this.resolver.run(r, plan.doneExits);
    const changed = plan.moves || r.assigned || plan.done;
    this.record(event, t, plan.next, r.context, plan.done, changed);
    this.stepDone = plan.done;
    this.stepChanged = changed;
    return plan.next;
  }

  /** Hands the step to XState's pure transition(); its actions go to `this.out` as XState lists them. */
  private fallback(state: StepperState, event: Any, reason: string): StepperState {
    this.fallbacks++;
    this.fallbackReasons.set(reason, (this.fallbackReasons.get(reason) ?? 0) + 1);
    const snapshot = this.machine.resolveState({
      value: state.config.value,
      context: state.context,
      status: state.status,
    });
    const [next, actions] = xstateTransition(this.machine, snapshot, event);
    const out = this.out;
    out.length = 0;
    for (const a of actions as Any[])
      out.push(a.type, a.params, a.exec, a.info, a.type.startsWith('xstate.'));
    return this.fromSnapshot(next);
  }
}
