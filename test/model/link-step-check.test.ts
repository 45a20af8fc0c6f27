/**
 * The per-step check of generated paths must bite: a link whose chart implementation is wrong in
 * one named action or delay (what a mutant does) is caught at the step where it shows, and the
 * real chart passes. Every named action and delay of the chart has a contract.
 */
import { describe, expect, it } from 'vitest';
import {
  type AnyActorRef,
  type AnyStateMachine,
  assign,
  createActor,
  fromCallback,
  type InspectionEvent,
  initialTransition,
  type SnapshotFrom,
} from 'xstate';
import { type ConnectionEvent, connectionMachine } from '../../machines/connection.machine.js';
import { ChartStepRecorder, checkChartStep } from '../../src/testing/chart-step-check.js';
import { linkModelInput, TestClock } from '../../src/testing/index.js';
import { resolved } from '../../src/testing/link-model-options.js';
import { checkLinkStep, LinkStepRecorder } from '../../src/testing/link-step-check.js';
import { CONNECTION_CONTRACTS, initialContextOf } from '../../src/testing/link-step-contracts.js';

type Snapshot = SnapshotFrom<typeof connectionMachine>;

/** Runs `machine` (the chart, or a broken copy of it) as a link with a parent, checking each step
 * against the real chart. Returns the problems of every step so far. */
function checkedLink(machine: AnyStateMachine, config = resolved({ inProcess: true, heartbeat: true })) {
  const clock = new TestClock();
  let link: AnyActorRef | null = null;
  const recorder = new LinkStepRecorder(() => link);
  const inspect = (event: InspectionEvent) => {
    const logic = (event.actorRef as { logic?: { id?: string } }).logic;
    if (event.type === '@xstate.actor' && !link && logic?.id === 'connection')
      link = event.actorRef as AnyActorRef;
    recorder.observer(event);
  };
  const parent = createActor(
    fromCallback(() => () => {}),
    { inspect },
  ).start();
  // The chart's transport effects do nothing here: the test sends the transport's events itself.
  const actor = createActor(machine, {
    input: { ...linkModelInput(config), parent },
    clock,
    inspect,
  });
  const problems: string[][] = [];
  let previous: Snapshot | null = null;
  const check = (event: ConnectionEvent | null) => {
    const after = actor.getSnapshot() as Snapshot;
    problems.push(
      checkLinkStep({
        before: previous ? previous.context : initialContextOf(config, after.context),
        beforeSnapshot: previous,
        after,
        expected: after,
        event,
        record: recorder.end(),
        // The pure chart counts restarts at time 0 (the runtime supplies its clock's time).
        nowMs: 0,
      }),
    );
    previous = after;
  };
  actor.start();
  check(null);
  return {
    problems,
    send(event: ConnectionEvent) {
      recorder.begin();
      actor.send(event);
      check(event);
      return this;
    },
    stop() {
      actor.stop();
      parent.stop();
    },
  };
}

const RESET = { kind: 'close', code: 1006, message: 'connection reset' } as const;

describe('per-step check of a link', () => {
  it('passes the real chart step by step', () => {
    const link = checkedLink(connectionMachine);
    link
      .send({ type: 'reconnect.disable' })
      .send({ type: 'reconnect.enable' })
      .send({ type: 'link.reconnect' })
      .send({ type: 'transport.closed', reason: RESET })
      .send({ type: 'link.close', code: 4000 });
    link.stop();
    expect(link.problems).toEqual([[], [], [], [], [], []]);
  });

  it('catches an action that assigns the wrong value', () => {
    const broken = connectionMachine.provide({
      actions: { enableReconnect: assign({ reconnectEnabled: false }) },
    });
    const link = checkedLink(broken);
    link.send({ type: 'reconnect.disable' }).send({ type: 'reconnect.enable' });
    link.stop();
    expect(link.problems[2]?.join('\n')).toMatch(/context differs .*enableReconnect/);
  });

  it('catches a report to the parent that is missing', () => {
    const broken = connectionMachine.provide({ actions: { reportUnready: () => {} } });
    const link = checkedLink(broken);
    link.send({ type: 'transport.closed', reason: RESET });
    link.stop();
    const problems = link.problems[1]?.join('\n');
    expect(problems).toMatch(/reports to the parent differ/);
    expect(problems).toMatch(/left connected with 0 link.unready/);
  });

  it('catches an event that is not emitted', () => {
    const broken = connectionMachine.provide({ actions: { announceLost: () => {} } });
    const link = checkedLink(broken);
    link.send({ type: 'transport.closed', reason: RESET });
    link.stop();
    expect(link.problems[1]?.join('\n')).toMatch(/emitted events differ[\s\S]*without announcing lost/);
  });

  it('catches a retry made at once that is not announced (a group restart: reconnecting in 0 ms)', () => {
    const restart = { type: 'link.restart', group: 'api', cause: 'link:api/0' } as const;
    const real = checkedLink(connectionMachine);
    real.send(restart);
    real.stop();
    expect(real.problems.flat()).toEqual([]);
    const broken = connectionMachine.provide({ actions: { announceRetryAtOnce: () => {} } });
    const link = checkedLink(broken);
    link.send(restart);
    link.stop();
    expect(link.problems[1]?.join('\n')).toMatch(
      /emitted events differ[\s\S]*retried at once, announced as \[\], not one reconnecting in 0 ms/,
    );
  });

  it('catches a delay scheduled with the wrong value, and a timer that is not declared', () => {
    const broken = connectionMachine.provide({ delays: { stableAfter: () => 5 } });
    const link = checkedLink(broken);
    link.stop();
    expect(link.problems[0]?.join('\n')).toMatch(
      /stableAfter.* scheduled with 5 ms, its contract says 1004 ms/,
    );
  });

  it('catches a timer raised by an action with the wrong delay, and one left pending', () => {
    const config = resolved({ heartbeat: false, resume: true });
    const real = checkedLink(connectionMachine, config);
    real.send({ type: 'resume.unacked' }).send({ type: 'resume.unacked' });
    real.stop();
    expect(real.problems.flat()).toEqual([]);
    const slow = checkedLink(connectionMachine.provide({ delays: { ackDelay: () => 5 } }), config);
    slow.send({ type: 'resume.unacked' });
    slow.stop();
    expect(slow.problems[1]?.join('\n')).toMatch(
      /timer resume.ackDue raised with 5 ms, its contract says 1009 ms/,
    );
    const kept = checkedLink(connectionMachine.provide({ actions: { disarmAck: () => {} } }), config);
    kept.send({ type: 'resume.unacked' }).send({ type: 'transport.closed', reason: RESET });
    kept.stop();
    expect(kept.problems[2]?.join('\n')).toMatch(/pending timers differ/);
  });

  it('catches a guard that answers what its contract does not (the chart is also the model)', () => {
    const input = linkModelInput(resolved({ inProcess: true }));
    const [start] = initialTransition(connectionMachine, input);
    const stepOf = (machine: AnyStateMachine) =>
      checkChartStep({
        machine,
        contracts: CONNECTION_CONTRACTS as never,
        start: { input },
        before: start.context,
        after: start.context,
        expectedValue: start.value,
        hasParent: false,
        record: new ChartStepRecorder(null, machine).end(),
      }).problems.join('\n');
    expect(stepOf(connectionMachine)).not.toMatch(/guard/);
    const broken = connectionMachine.provide({ guards: { autoConnect: () => false } });
    expect(stepOf(broken)).toMatch(
      /guard "autoConnect" answered false on xstate.init, its contract says true/,
    );
  });

  it('has a contract for every named action, delay and guard of the chart', () => {
    const actions = Object.keys(connectionMachine.implementations.actions).sort();
    const delays = Object.keys(connectionMachine.implementations.delays).sort();
    const guards = Object.keys(connectionMachine.implementations.guards).sort();
    expect(Object.keys(CONNECTION_CONTRACTS.actions).sort()).toEqual(actions);
    expect(Object.keys(CONNECTION_CONTRACTS.delays).sort()).toEqual(delays);
    expect(Object.keys(CONNECTION_CONTRACTS.guards ?? {}).sort()).toEqual(guards);
  });
});
