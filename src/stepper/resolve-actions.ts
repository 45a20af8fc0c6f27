/**
 * Resolves a chart's actions for the stepper (./stepper.ts): guards, assigns,
 * raises (immediate or delayed), cancels, emits, sendTo and enqueueActions, as XState 5.33's
 * `resolveAndExecuteActionsWithContext` does, without a snapshot per assign and with one reused
 * `enqueue` per stepper instead of nine closures per enqueueActions.
 *
 * Every action XState would hand to its action executor (a custom action, and the builtins that
 * have an `execute`: raise, cancel, emit, sendTo) goes to the step's `ActionBuffer` in XState's
 * order, with XState's type, params, args (`info`) and exec (a builtin's own `execute`, or for one
 * the reused `enqueue` made, the `execute` of XState's exported creator of that builtin); assign and enqueueActions, which XState does not hand on,
 * change the context or add their actions in place. Anything else (spawn, stopChild, log, sendTo a
 * string target, stateIn guards) throws `Unsupported`: the step goes to XState.
 *
 * XState internals read here: a builtin action object's `type` ('xstate.assign', 'xstate.raise',
 * 'xstate.cancel', 'xstate.emit', 'xstate.sendTo', 'xstate.enqueueActions') and its fields
 * (`assignment`; `event`, `id`, `delay`; `sendId`; `to`; `collect`), `'resolve' in action` (what
 * XState calls builtin), a builtin guard's `check` and `guards` (compared against the exported
 * `and` / `or` / `not`'s own `check`), `machine.implementations.{actions,guards,delays}`, a builtin's
 * `execute` (and that of `raise`, `cancel`, `emit`, `sendTo` as their creators make them).
 */
import { and, cancel, emit, not, or, raise, sendTo } from 'xstate';
import { Unsupported } from './chart-plans.js';

// biome-ignore lint/suspicious/noExplicitAny: XState's action and guard objects (internals).
type Any = any;

const AND = (and([]) as Any).check;
const OR = (or([]) as Any).check;
const NOT = (not('x') as Any).check;

/** XState's own `execute` of each builtin the stepper hands on (executeRaise, executeCancel,
 * executeEmit, executeSendTo), taken from its exported action creators: for the actions the reused
 * `enqueue` stands for (an enqueued builtin made by the chart carries its own). */
const EXECUTE: Record<string, (actorScope: Any, params: Any) => void> = {
  'xstate.raise': (raise({ type: 'x' }) as Any).execute,
  'xstate.cancel': (cancel('x') as Any).execute,
  'xstate.emit': (emit({ type: 'x' }) as Any).execute,
  'xstate.sendTo': (sendTo('x', { type: 'x' }) as Any).execute,
};

/**
 * The slots a step's buffers are made with (MicrostepBuffer, ActionBuffer): more than the longest
 * step of the connection and socket charts (a drop: 9 actions, 1 microstep), so a step fills slots
 * and never grows an array. A longer step still works: the array grows.
 */
export const BUFFER_SLOTS = 32;

/** An array of BUFFER_SLOTS slots holding `value` (packed: no holes). */
export function slots<T>(value: T): T[] {
  return Array.from({ length: BUFFER_SLOTS }, () => value);
}

/** The actions a step hands on, in order (parallel arrays reused across steps). */
export class ActionBuffer {
  length = 0;
  // Made with their slots (BUFFER_SLOTS): a step never grows them (see MicrostepBuffer).
  readonly types: string[] = slots('');
  readonly params: unknown[] = slots(undefined);
  /** A custom action's implementation (`exec(args, params)`), or a builtin's XState `execute`
   * (`execute(actorScope, params)`: see `builtin`). */
  readonly execs: (((a: Any, params: Any) => void) | undefined)[] = slots(undefined);
  /** The args XState gives the action (`{ context, event, self, system }`, its `info`). */
  readonly args: unknown[] = slots(undefined);
  /** Whether `execs[i]` is a builtin's execute (raise, cancel, emit, sendTo). */
  readonly builtin: boolean[] = slots(false);
  /** Told after each push (./stepped-machine.ts executes each action as it is resolved, as XState
   * does); unset, actions are only buffered. */
  sink: (() => void) | undefined = undefined;
  push(
    type: string,
    params: unknown,
    exec: ((a: Any, params: Any) => void) | undefined,
    args: unknown,
    builtin = false,
  ) {
    const i = this.length++;
    this.types[i] = type;
    this.params[i] = params;
    this.execs[i] = exec;
    this.args[i] = args;
    this.builtin[i] = builtin;
    this.sink?.();
  }

  /** Forgets the last step's params, implementations and args (the slots stay for the next step):
   * a free stepper kept in a pool must not hold the actor, its system or its context after the
   * step (a closed supervisor would never be collected). */
  release(): void {
    this.params.fill(undefined, 0, this.length);
    this.execs.fill(undefined, 0, this.length);
    this.args.fill(undefined, 0, this.length);
    this.length = 0;
  }
}

/** Where a step resolves: the machine's implementations, the actor's self and system. */
export interface ResolveScope {
  readonly implementations: {
    actions: Record<string, Any>;
    guards: Record<string, Any>;
    delays: Record<string, Any>;
  };
  /** The stepping actor's self and system (set before each step: one stepper serves many actors). */
  self: unknown;
  system: unknown;
}

/** The mutable state of one step's resolution. */
export interface Resolution {
  context: Any;
  event: Any;
  /** Events raised without a delay (XState's internal queue). */
  readonly queue: Any[];
  /** Whether an assign ran (XState makes a new snapshot then). */
  assigned: boolean;
  readonly out: ActionBuffer;
}

const spawn = () => {
  throw new Unsupported('spawn in assign');
};

/** XState's evaluateGuard for named, parameterised, inline, and / or / not guards. */
export function checkGuard(scope: ResolveScope, guard: Any, context: Any, event: Any): boolean {
  const inline = typeof guard === 'function';
  const impl = inline ? guard : scope.implementations.guards[typeof guard === 'string' ? guard : guard.type];
  if (!impl)
    throw new Error(`Guard '${typeof guard === 'string' ? guard : guard.type}' is not implemented.'.`);
  if (typeof impl !== 'function') return checkGuard(scope, impl, context, event);
  if (!('check' in impl)) {
    const params =
      inline || typeof guard === 'string' || !('params' in guard)
        ? undefined
        : typeof guard.params === 'function'
          ? guard.params({ context, event })
          : guard.params;
    return impl({ context, event }, params);
  }
  const guards: Any[] = impl.guards;
  // Indexed loops, no callback: every / some made a closure per check (and a for-of an iterator
  // while the code is cold: a process's first drop), garbage of every step that checks one.
  if (impl.check === AND) {
    for (let i = 0; i < guards.length; i++) if (!checkGuard(scope, guards[i], context, event)) return false;
    return true;
  }
  if (impl.check === OR) {
    for (let i = 0; i < guards.length; i++) if (checkGuard(scope, guards[i], context, event)) return true;
    return false;
  }
  if (impl.check === NOT) return !checkGuard(scope, guards[0], context, event);
  throw new Unsupported('builtin guard (stateIn?)');
}

/** Resolves one delay as resolveRaise / resolveSendTo do. */
function resolveDelay(scope: ResolveScope, delay: Any, args: Any, params: unknown): unknown {
  if (typeof delay === 'string') {
    const d = scope.implementations.delays?.[delay];
    return typeof d === 'function' ? d(args, params) : d;
  }
  return typeof delay === 'function' ? delay(args, params) : delay;
}

/**
 * An action the reused `enqueue` made, standing for the builtin `kind`: one class for every kind,
 * so the resolver's reads of it see one hidden class (a plain object per kind was five: a drop's
 * first `sendTo` made V8 throw the optimised `run` away, BENCHMARKS.md round 45 (storm)).
 */
class Enqueued {
  constructor(
    readonly kind: string,
    readonly assignment: unknown,
    readonly sendId: unknown,
    readonly to: unknown,
    readonly event: unknown,
    readonly id: unknown,
    readonly delay: unknown,
  ) {}
}

/** The reused `enqueue` of one stepper: pushes into the list of the enqueueActions being collected. */
function makeEnqueue(stack: CollectStack) {
  const top = () => stack.items[stack.length - 1] as ActionList;
  const enqueue = (action: Any) => {
    top().push(action);
  };
  const u = undefined;
  return Object.assign(enqueue, {
    assign: (assignment: Any) => {
      top().push(new Enqueued('xstate.assign', assignment, u, u, u, u, u));
    },
    cancel: (sendId: Any) => {
      top().push(new Enqueued('xstate.cancel', u, sendId, u, u, u, u));
    },
    raise: (event: Any, o?: Any) => {
      top().push(new Enqueued('xstate.raise', u, u, u, event, o?.id, o?.delay));
    },
    sendTo: (to: Any, event: Any, o?: Any) => {
      top().push(new Enqueued('xstate.sendTo', u, u, to, event, o?.id, o?.delay));
    },
    sendParent: () => {
      throw new Unsupported('sendParent');
    },
    spawnChild: () => {
      throw new Unsupported('spawnChild');
    },
    stopChild: () => {
      throw new Unsupported('stopChild');
    },
    emit: (event: Any) => {
      top().push(new Enqueued('xstate.emit', u, u, u, event, u, u));
    },
  });
}

/** The actions one enqueueActions collects: slots kept from step to step (a fresh array grew a
 * 17-slot store for its first push, ~0.15 KB, each enqueueActions of every step). */
class ActionList {
  readonly items: Any[] = slots(undefined);
  length = 0;
  push(action: Any): void {
    this.items[this.length++] = action;
  }
  /** Forgets the collected actions (a free resolver must not keep an actor's). */
  clear(): void {
    this.items.fill(undefined, 0, this.length);
    this.length = 0;
  }
}

/** The lists of the enqueueActions collecting now, innermost last: slots and a length (an
 * array's pop gave its store back and the next push made it again, each enqueueActions). */
class CollectStack {
  readonly items: (ActionList | undefined)[] = slots(undefined);
  length = 0;
}

/** Resolves action lists for one machine; one per stepper. */
export class ActionResolver {
  private readonly stack = new CollectStack();
  private readonly enqueue = makeEnqueue(this.stack);
  /** The lists of the enqueueActions being resolved, one a nesting depth (`depth` in use). */
  private readonly lists: ActionList[] = [];
  private depth = 0;
  constructor(private readonly scope: ResolveScope) {}

  /** Resolves `actions` in order into `r` (context, queue, out), as XState would. */
  run(r: Resolution, actions: readonly Any[], count = actions.length): void {
    const scope = this.scope;
    // Indexed: a for-of's iterator is an allocation until the code is optimised (a first drop's).
    for (let a = 0; a < count; a++) {
      const action = actions[a];
      const literal = action instanceof Enqueued;
      const inline = typeof action === 'function';
      const resolved = literal
        ? action
        : inline
          ? action
          : scope.implementations.actions[typeof action === 'string' ? action : action.type];
      const params =
        literal || inline || typeof action === 'string' || !('params' in action)
          ? undefined
          : typeof action.params === 'function'
            ? action.params({ context: r.context, event: r.event })
            : action.params;
      if (!literal && (!resolved || !('resolve' in resolved))) {
        const type =
          typeof action === 'string'
            ? action
            : typeof action === 'object'
              ? action.type
              : action.name || '(anonymous)';
        r.out.push(type, params, resolved, {
          context: r.context,
          event: r.event,
          self: scope.self,
          system: scope.system,
        });
        continue;
      }
      const type: string = literal ? action.kind : resolved.type;
      this.builtin(r, type, resolved, params, literal ? EXECUTE[type] : resolved.execute);
    }
  }

  private builtin(r: Resolution, type: string, b: Any, params: unknown, execute: Any): void {
    const scope = this.scope;
    switch (type) {
      case 'xstate.assign': {
        const args = { context: r.context, event: r.event, spawn, self: scope.self, system: scope.system };
        let partial: Any;
        if (typeof b.assignment === 'function') partial = b.assignment(args, params);
        else {
          partial = {};
          for (const key of Object.keys(b.assignment)) {
            const v = b.assignment[key];
            partial[key] = typeof v === 'function' ? v(args, params) : v;
          }
        }
        r.context = Object.assign({}, r.context, partial);
        r.assigned = true;
        return;
      }
      case 'xstate.raise': {
        if (typeof b.event === 'string') throw new Unsupported('raise of a string');
        const args = { context: r.context, event: r.event, self: scope.self, system: scope.system };
        const event = typeof b.event === 'function' ? b.event(args, params) : b.event;
        const delay = resolveDelay(scope, b.delay, args, params);
        if (typeof delay !== 'number') r.queue.push(event);
        r.out.push('xstate.raise', { event, id: b.id, delay }, execute, args, true);
        return;
      }
      case 'xstate.cancel': {
        const args = { context: r.context, event: r.event, self: scope.self, system: scope.system };
        r.out.push(
          'xstate.cancel',
          { sendId: typeof b.sendId === 'function' ? b.sendId(args, params) : b.sendId },
          execute,
          args,
          true,
        );
        return;
      }
      case 'xstate.emit': {
        const args = { context: r.context, event: r.event, self: scope.self, system: scope.system };
        const event = typeof b.event === 'function' ? b.event(args, params) : b.event;
        r.out.push('xstate.emit', { event }, execute, args, true);
        return;
      }
      case 'xstate.sendTo': {
        if (typeof b.event === 'string') throw new Unsupported('sendTo of a string');
        const args = { context: r.context, event: r.event, self: scope.self, system: scope.system };
        const event = typeof b.event === 'function' ? b.event(args, params) : b.event;
        const delay = resolveDelay(scope, b.delay, args, params);
        const target = typeof b.to === 'function' ? b.to(args, params) : b.to;
        if (typeof target === 'string') throw new Unsupported('sendTo a named target');
        r.out.push(
          'xstate.sendTo',
          { to: target || scope.self, targetId: undefined, event, id: b.id, delay },
          execute,
          args,
          true,
        );
        return;
      }
      case 'xstate.enqueueActions': {
        // The list of this nesting depth (an enqueued enqueueActions takes the next one).
        const depth = this.depth++;
        if (depth === this.lists.length) this.lists.push(new ActionList());
        const list = this.lists[depth] as ActionList;
        try {
          const stack = this.stack;
          stack.items[stack.length++] = list;
          try {
            // The step's context and event as they are now: `r` is refilled by the next step, and
            // a `check` kept and called later sees these, as XState's closure over them does.
            const { context, event } = r;
            b.collect(
              {
                context,
                event,
                enqueue: this.enqueue,
                check: (guard: Any) => checkGuard(scope, guard, context, event),
                self: scope.self,
                system: scope.system,
              },
              params,
            );
          } finally {
            stack.items[--stack.length] = undefined;
          }
          this.run(r, list.items, list.length);
        } finally {
          list.clear();
          this.depth--;
        }
        return;
      }
      default:
        throw new Unsupported(`action ${type}`);
    }
  }
}
