/**
 * The executor of a stepped machine's step (./stepped-machine.ts): hands each action the stepper
 * resolves to the actor's `actionExecutor` and each microstep's `@xstate.microstep` inspection
 * event to its system, in XState's order, as they are resolved (`drain`, the step's `out.sink`).
 * XState internals read: see ./stepped-machine.ts.
 */
import type { AnyActorScope, AnyStateMachine } from 'xstate';
import type { ChartPlans, Config } from './chart-plans.js';
import type { ActionBuffer } from './resolve-actions.js';
import { Stepper } from './stepper.js';

// biome-ignore lint/suspicious/noExplicitAny: XState snapshots and internals.
type Any = any;

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
export interface MutableState {
  config: Config;
  context: Any;
  status: 'active';
}

/** A machine's snapshot after a microstep (stepMachine's `snapshotOf`). */
export type SnapshotOf = (previous: Any, config: Config, context: Any, done: boolean) => Any;

/**
 * Runs a step's actions and inspection events in XState's order as the stepper resolves them
 * (`drain`, the step's `out.sink`): each action handed to `actorScope.actionExecutor` at once, as
 * XState's `resolveAndExecuteActionsWithContext` does for a running actor (so a custom action
 * runs before the assigns and guards resolved after it), each microstep's `@xstate.microstep`
 * once its actions ran; `previous` is the snapshot after the step. One per stepper, reused step
 * after step: its `drain` is made once (a drain and its state made every step were ~0.6 KB a
 * link of a drop's garbage, and a closure made per step is one V8 cannot inline). One class for
 * every stepped machine, not one a `stepMachine` call: each class was a hidden class of its own that
 * the shared optimised `drain` met, and a machine's first builtin in a process's first drop (the
 * socket chart's) threw that code away ("wrong map") and had it compiled again (BENCHMARKS.md
 * round 48 (drop step)).
 */
export class StepExecutor {
  readonly stepper: Stepper;
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

  constructor(
    machine: AnyStateMachine,
    plans: ChartPlans,
    /** The machine's snapshot of a microstep (stepMachine's `snapshotOf`). */
    private readonly snapshotOf: SnapshotOf,
  ) {
    this.stepper = new Stepper(machine, {}, plans);
  }

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

  /** An actor's start (stepped-machine's `start`) from the pre-initial `snapshot`: the stepper
   * resolves the whole start into its buffers first (no sink: nothing is handed on before it is
   * known the stepper can take it all), then `drain` hands it on. XState sends no inspection event
   * for a start's first microstep (`initialMicrostep`): that one is skipped. */
  beginStart(snapshot: Any, actorScope: AnyActorScope): void {
    this.begin(snapshot, actorScope);
    this.stepper.out.sink = undefined;
    this.silent = 0;
  }

  /** The microstep without an inspection event (a start's first), or -1. */
  private silent = -1;

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
    this.silent = -1;
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
          ? this.snapshotOf(previous, micro.configs[m] as Config, micro.contexts[m], micro.done[m] as boolean)
          : previous;
        const t = micro.transitions[m];
        if (m !== this.silent)
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
