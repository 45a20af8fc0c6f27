/**
 * A started chart's start (./started-chart.ts), worked out by XState once per link policy and
 * replayed for each further link with that policy (issue 11). XState computes a machine's start
 * afresh for every actor — the context's assign, the entry microstep, four snapshots, each
 * working out its state value and tags from the state nodes: ~22 KB allocated a link, most of a
 * link's start (BENCHMARKS.md round 34 (link start)). A supervised link's start depends on its
 * policy alone but for its context (test/machines/kept-start.test.ts pins it for each kind of
 * link whose start is kept), so the first link of a policy starts as XState starts it, its actions recorded as they
 * run; each later one gets the same snapshot with its own context and the same actions, handed to
 * its own actor in the same order (so its inspector sees the same action events, at its start).
 *
 * Kept only when the replay is the start: one microstep (no eventless step or raised event after
 * the entry), an active snapshot, the chart's context as its factory made it (no assign changed
 * it, none spawned), and actions that are either the chart's own (by name, no params) or a
 * delayed raise (the `after` timers, scheduled at the actor's start as XState's raise schedules
 * them). A start that is not (an in-process link's into `ready`: its report, its announcement, its
 * eventless steps) is not kept: every link of its policy starts as XState starts it — or by the
 * start `startUnkeptWith` gave the machine, the runtime's stepped start (src/stepper/stepped-machine.ts,
 * XState's start exactly: test/stepper/stepped-start.test.ts), which hands it back to XState when it
 * cannot take it — and a link of another policy is judged by its own start. The context factory is pure: it runs once more to
 * find a link's policy, and XState's start runs it as it always does (the machine's config is left
 * as XState made it: a wrapper handing XState the context made already saved three calls a
 * policy's first link, nothing measurable, for one more XState internal; BENCHMARKS.md round 35).
 *
 * Pure: the actions run through the actor's own executor when it starts; nothing here does I/O.
 */
import {
  type AnyActorScope,
  type AnyStateMachine,
  type EventObject,
  type ExecutableActionObject,
  getInitialMicrosteps,
} from 'xstate';

/** An action of the start: a chart action (its implementation), or a delayed raise (`exec` undefined). */
interface StartAction {
  type: string;
  params: unknown;
  exec: ExecutableActionObject['exec'];
}

/** What every link of a policy starts with: the start's snapshot but for its context and
 * children, and its actions in the order XState ran them. */
interface KeptStart {
  snapshot: object;
  actions: StartAction[];
}

/** The params of a delayed raise (XState's `raise(event, { delay, id })`, resolved). */
interface DelayedRaise {
  event: EventObject;
  delay: number;
  id: string | undefined;
}

type ContextFactory = (args: { input: unknown; self: unknown }) => { policy?: unknown };

/** Another start of a link whose start is not kept (`context`: the one its factory made), exactly
 * XState's, or undefined to leave it to XState (having done nothing). */
export type UnkeptStart = (
  scope: AnyActorScope,
  input: unknown,
  context: object,
) => ReturnType<AnyStateMachine['getInitialSnapshot']> | undefined;

/** The unkept starts given by `startUnkeptWith`, by machine. */
const unkeptStarts = new WeakMap<AnyStateMachine, UnkeptStart>();

/**
 * Gives `machine` (whose starts are kept: `keepStarts`) another start for the links of a policy
 * whose start is not kept: the runtime's stepped start (src/stepper/stepped-machine.ts), which
 * takes an in-process link's start into `ready` as XState does at a fraction of its cost. Read
 * only by a machine `keepStarts` made (for any other, it is never asked).
 */
export function startUnkeptWith(machine: AnyStateMachine, start: UnkeptStart): void {
  unkeptStarts.set(machine, start);
}

/**
 * Makes `machine` (a started chart, made for this) keep its start per link policy (the `policy`
 * of the context it makes): its `getInitialSnapshot`, which an actor calls when it is created,
 * replays the start kept for the policy, or runs XState's and keeps it if a replay can be it. A
 * policy whose start cannot be replayed is started by XState for each of its links, at no cost
 * more (an in-process link's, whose start into `ready` reports and announces).
 */
export function keepStarts(machine: AnyStateMachine): void {
  const xstateStart = machine.getInitialSnapshot;
  // A context every actor shares (no function) has no policy of its own: XState's to start.
  // Stryker disable next-line ConditionalExpression: equivalent — without it, calling the shared object throws, which the start catches (XState's start), only later
  if (typeof machine.config.context !== 'function') return;
  const factory = machine.config.context as ContextFactory;
  /** Each policy's kept start; null: its start cannot be replayed. */
  const starts = new WeakMap<object, KeptStart | null>();
  /** XState's pure start that judges a recorded one (getInitialMicrosteps, which makes an actor of
   * the machine): it starts as XState starts it. */
  let judging = false;
  machine.getInitialSnapshot = (scope: AnyActorScope, input: unknown) => {
    if (judging) return xstateStart(scope, input);
    let context: { policy?: unknown };
    // Stryker disable BlockStatement: equivalent — with the catch emptied, `context` stays undefined, which the no-object check below hands to XState's start as the catch does (the range takes the try's block too, whose emptying kept-start*.test.ts would catch: no start kept)
    try {
      // No `spawn`: a context that spawns is XState's to make (its child is the actor's).
      context = factory({ input, self: scope.self });
    } catch {
      // XState's start reports it (an error snapshot), as it would without this.
      return xstateStart(scope, input);
    }
    // Stryker restore BlockStatement
    // No object (undefined, null): XState assigns nothing from it, and starts.
    if (!isObject(context)) return xstateStart(scope, input);
    const policy = context.policy;
    const start = isObject(policy) ? starts.get(policy) : null;
    if (start) return replay(start, scope, input, context);
    if (start === null)
      return unkeptStarts.get(machine)?.(scope, input, context) ?? xstateStart(scope, input);
    const recorded = record(machine, xstateStart, scope, input);
    judging = true;
    try {
      starts.set(policy as object, keepable(machine, recorded, input, context));
    } finally {
      judging = false;
    }
    return recorded.snapshot;
  };
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

/** XState's start of a link, its actions recorded as they go to the actor's executor (as XState's
 * own microstep records them). */
function record(
  machine: AnyStateMachine,
  xstateStart: AnyStateMachine['getInitialSnapshot'],
  scope: AnyActorScope,
  input: unknown,
): { snapshot: ReturnType<AnyStateMachine['getInitialSnapshot']>; actions: StartAction[] } {
  const actions: StartAction[] = [];
  const executor = scope.actionExecutor;
  scope.actionExecutor = (action) => {
    actions.push({
      type: action.type,
      params: action.params,
      // A chart action is replayed with its implementation; anything else is judged by its type.
      exec: action.exec === machine.implementations.actions[action.type] ? action.exec : undefined,
    });
    executor(action);
  };
  try {
    return { snapshot: xstateStart(scope, input), actions };
  } finally {
    scope.actionExecutor = executor;
  }
}

/** The recorded start, kept if a replay is the start (see the header), else null. */
function keepable(
  machine: AnyStateMachine,
  { snapshot, actions }: ReturnType<typeof record>,
  input: unknown,
  context: object,
): KeptStart | null {
  // (A child is spawned by an action of the start, or by an assign: neither is kept below.)
  if (snapshot.status !== 'active' || !sameData(snapshot.context, context)) return null;
  if (getInitialMicrosteps(machine, input).length !== 1) return null;
  for (const action of actions) {
    if (action.exec ? action.params !== undefined : !isDelayedRaise(action)) return null;
  }
  // Nothing of the link that recorded it: its context and children are each link's own.
  return { snapshot: { ...snapshot, context: undefined, children: undefined }, actions };
}

/** XState's raise with a delay (a raise without one is a microstep more), whose event it schedules
 * when the actor starts. */
function isDelayedRaise({ type, params }: StartAction): boolean {
  return type === 'xstate.raise' && typeof (params as Partial<DelayedRaise> | undefined)?.delay === 'number';
}

/** The kept start for one more link: the snapshot with its context, the actions to its actor. */
function replay(start: KeptStart, scope: AnyActorScope, input: unknown, context: object) {
  const event = { type: 'xstate.init', input };
  for (const { type, params, exec } of start.actions) {
    scope.actionExecutor({
      type,
      info: { context, event, self: scope.self, system: scope.system },
      params,
      exec: exec ?? (() => raiseLater(scope, params as DelayedRaise)),
    });
  }
  return { ...start.snapshot, context, children: {} } as ReturnType<AnyStateMachine['getInitialSnapshot']>;
}

/** What XState's delayed raise does when its action runs: schedules its event for the actor itself
 * once the actor's start is over (XState's `executeRaise`). */
function raiseLater(scope: AnyActorScope, { event, delay, id }: DelayedRaise): void {
  scope.defer(() => scope.system.scheduler.schedule(scope.self, scope.self, event, delay, id));
}

/** The same plain data: the same value, or plain objects with the same keys in the same order
 * holding the same data (a context the start did not change is the one its factory made). */
function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!isPlain(a) || !isPlain(b)) return false;
  const keys = Object.keys(a);
  const others = Object.keys(b);
  return (
    keys.length === others.length && keys.every((key, i) => others[i] === key && sameData(a[key], b[key]))
  );
}

function isPlain(value: unknown): value is Record<string, unknown> {
  return isObject(value) && Object.getPrototypeOf(value) === Object.prototype;
}
