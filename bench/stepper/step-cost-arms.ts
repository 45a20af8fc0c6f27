/**
 * The three arms step-cost.ts measures, each holding `n` connection charts
 * (`connectionMachine` as the model tests provide it, input `{ linkId, label: 'ws://a', intensity: false }`) and
 * driving them by the same events, actions executed in all three, delayed raises scheduled on one
 * TestClock through XState's system scheduler (each chart's timers under a key of its own):
 *
 * - `actor`: one XState actor per chart (`createActor(…, { clock })`), what links are today;
 * - `transition`: `machine.transition(snapshot, event, scope)` with ONE reused actor scope (Round
 *   40's (3′)): an unstarted actor's `_actorScope` (XState internal), `defer` run at once, its
 *   action executor running each action's `exec`, `self` set to the chart's timer key per call;
 * - `stepped`: one XState actor per chart of `stepMachine(connectionMachine.provide({}))` (what links
 *   run since round 43: the actor, its inspection, XState's executor; the step the stepper's);
 * - `stepper`: src/stepper/stepper.ts (the pure stepper, no actor), its actions executed after each step by `runActions`.
 */
import { createActor } from 'xstate';
import { connectionMachine } from '../../machines/connection.machine.js';
import { stepMachine, stepperStats } from '../../src/stepper/stepped-machine.js';

const stepperStatsOf = (machine: object) => stepperStats(machine) as { fallbacks: number };

import { Stepper, type StepperState } from '../../src/stepper/stepper.js';
import { TestClock } from '../../src/testing/test-clock.js';

// biome-ignore lint/suspicious/noExplicitAny: XState internals (actor scope, system, snapshots).
type Any = any;

/** The cycle's events: a drop (1006), the backoff's timer, the transport's open. */
export const CLOSED = {
  type: 'transport.closed',
  reason: { kind: 'close', code: 1006, message: 'connection reset' },
};
export const RETRY = { type: 'xstate.after.reconnectDelay.connection.reconnecting' };
export const OPEN = { type: 'transport.open' };

/** One arm: `n` ready charts and a way to send each an event. */
export interface Arm {
  readonly name: string;
  send(i: number, event: Any): void;
  value(i: number): unknown;
  /** Steps handed to XState (the stepper's fallbacks; 0 for the others). */
  fallbacks(): number;
  /** The timers pending on the arm's clock (the same in every arm: the actions ran alike). */
  pending?: number;
}

/** A chart's input. Restart intensity off: without it the sixth drop at one clock time would cool the
 * link down, and every arm runs 31 cycles a chart (the cycle's events, microsteps and actions are the
 * default link's otherwise). */
const input = (i: number) => ({ linkId: `link-${i}`, label: 'ws://a', intensity: false as const });

/** One XState actor per chart (of `machine`: the chart, or the stepped chart). */
function actorArm(n: number, clock: TestClock, machine: Any = connectionMachine): Arm {
  const actors = Array.from({ length: n }, (_, i) =>
    createActor(machine, { input: input(i), clock }).start(),
  );
  for (const a of actors) a.send(OPEN as never);
  return {
    name: 'actor',
    send: (i, event) => (actors[i] as Any).send(event),
    value: (i) => (actors[i] as Any).getSnapshot().value,
    fallbacks: () => 0,
  };
}

/** An unstarted actor's scope, reused: defer runs at once, the executor executes. */
function reusedScope(clock: TestClock) {
  const host: Any = createActor(connectionMachine, { input: input(-1), clock });
  const scope: Any = {
    ...host._actorScope,
    defer: (fn: () => void) => fn(),
    actionExecutor: (a: Any) => a.exec?.(a.info, a.params),
  };
  return { host, scope };
}

/** Timer keys, one a chart (what XState's scheduler reads of a source: its sessionId). */
const keys = (n: number) => Array.from({ length: n }, (_, i) => ({ sessionId: `chart-${i}` }));

/** machine.transition with one reused scope. */
function transitionArm(n: number, clock: TestClock): Arm {
  const { scope } = reusedScope(clock);
  const owners = keys(n);
  const machine: Any = connectionMachine;
  const snapshots: Any[] = [];
  for (let i = 0; i < n; i++) {
    scope.self = owners[i];
    snapshots.push(machine.transition(machine.getInitialSnapshot(scope, input(i)), OPEN, scope));
  }
  return {
    name: 'transition',
    send: (i, event) => {
      scope.self = owners[i];
      snapshots[i] = machine.transition(snapshots[i], event, scope);
    },
    value: (i) => snapshots[i].value,
    fallbacks: () => 0,
  };
}

/** The stepper; its actions executed after each step. */
function stepperArm(n: number, clock: TestClock): Arm {
  const { host, scope } = reusedScope(clock);
  const stepper = new Stepper(connectionMachine, { self: host, system: host.system });
  const scheduler = host.system.scheduler;
  const owners = keys(n);
  const machine: Any = connectionMachine;
  const states: StepperState[] = [];
  const send = (i: number, event: Any) => {
    states[i] = stepper.step(states[i] as StepperState, event);
    runActions(stepper, scheduler, owners[i]);
  };
  for (let i = 0; i < n; i++) {
    scope.self = owners[i];
    states.push(stepper.fromSnapshot(machine.getInitialSnapshot(scope, input(i))));
    send(i, OPEN);
  }
  return {
    name: 'stepper',
    send,
    value: (i) => (states[i] as StepperState).config.value,
    fallbacks: () => stepper.fallbacks,
  };
}

/** Executes the stepper's last step's actions as XState's builtins and custom actions execute. */
export function runActions(stepper: Stepper, scheduler: Any, owner: Any): void {
  const out = stepper.out;
  for (let k = 0; k < out.length; k++) {
    const exec = out.execs[k];
    if (exec && !out.builtin[k]) {
      exec(out.args[k], out.params[k]);
      continue;
    }
    const type = out.types[k];
    const p: Any = out.params[k];
    if (type === 'xstate.raise') {
      if (typeof p.delay === 'number') scheduler.schedule(owner, owner, p.event, p.delay, p.id);
    } else if (type === 'xstate.cancel') scheduler.cancel(owner, p.sendId);
    else if (type === 'xstate.sendTo') throw new Error('sendTo: not in this bench (no parent)');
    // xstate.emit: no listener, as the actor arm's emits have none.
  }
}

/** The arm by name, with `n` ready charts on `clock`. */
export function makeArm(name: string, n: number, clock = new TestClock()): Arm {
  const stepped = (m: number, c: TestClock) => {
    const machine = stepMachine(connectionMachine.provide({}));
    const arm = actorArm(m, c, machine);
    const stats = stepperStatsOf(machine);
    return { ...arm, name: 'stepped', fallbacks: () => stats.fallbacks };
  };
  const make = { actor: actorArm, transition: transitionArm, stepper: stepperArm, stepped }[name];
  if (!make) throw new Error(`unknown arm ${name}`);
  const arm = make(n, clock);
  return Object.defineProperty(arm, 'pending', { get: () => clock.pending });
}
