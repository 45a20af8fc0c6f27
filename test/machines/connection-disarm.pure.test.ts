/**
 * The connection chart disarms only what it armed (BENCHMARKS.md round 47 (disarm)): leaving the
 * socket's state (`attempt`) cancels the ack timer only on a link that resumes (`disarmAck`, guard
 * `resumes`: only a resumable session's transport reports `resume.unacked`, which arms it) and the
 * error-close timer only when this attempt's socket fired error (`disarmErrorClose`, guard
 * `errorCloseArmed`, the mark `socketErred` that `armErrorClose` sets and the next attempt's start
 * clears). A link whose features are off, whose socket never erred, leaves with no cancel but the
 * `after` of the state it was in: no action of the drop reaches XState's scheduler for nothing.
 * Pure: `initialTransition` / `transition` through `Walk` (connection-walk.ts).
 */
import { describe, expect, it } from 'vitest';
import { type AnyActorRef, createActor, SimulatedClock } from 'xstate';
import {
  type ConnectionEvent,
  connectionChart,
  connectionMachine,
} from '../../machines/connection.machine.js';
import { ERROR_CLOSE_TIMER } from '../../machines/connection-error-close.js';
import { ACK_TIMER } from '../../machines/connection-features.js';
import { input, type Machine, RESET_1006, readyWalk, type Walk } from './connection-walk.js';

/** The ids the last step cancelled. */
const cancelled = (walk: Walk): string[] =>
  walk.actions.filter((a) => a.type === 'xstate.cancel').map((a) => (a.params as { sendId: string }).sendId);

const DROP = { type: 'transport.closed', reason: RESET_1006 } as const;
const SETTLING_TIMER = 'xstate.after.stableAfter.connection.attempt.ready.settling';

describe('connection chart: leaving the attempt cancels only the timers it armed', () => {
  it('a featureless link whose socket never erred: its drop cancels only the state’s own `after`', () => {
    for (const machine of [undefined, connectionChart as unknown as Machine]) {
      const walk = readyWalk({}, machine).send(DROP);
      expect(walk.snapshot.value).toBe('reconnecting');
      expect(cancelled(walk)).toEqual([SETTLING_TIMER]);
      expect(walk.context).not.toHaveProperty('socketErred');
    }
  });

  it('a link that resumes: leaving cancels the ack timer (armed or not: its transport may arm it)', () => {
    const armed = readyWalk({ resume: {} })
      .send({ type: 'resume.done', outcome: 'new' })
      .send({ type: 'resume.unacked' });
    expect(armed.timerNames()).toContain(ACK_TIMER);
    armed.send(DROP);
    expect(cancelled(armed)).toContain(ACK_TIMER);
    expect(armed.timerNames()).not.toContain(ACK_TIMER);
    const quiet = readyWalk({ resume: {} }).send({ type: 'resume.done', outcome: 'new' }).send(DROP);
    expect(cancelled(quiet)).toContain(ACK_TIMER);
  });

  it('an error arms the error-close timer and marks the attempt; leaving cancels it; the next attempt starts unmarked', () => {
    const walk = readyWalk().send({ type: 'transport.error' });
    expect(walk.context.socketErred).toBe(true);
    expect(cancelled(walk)).toEqual([]);
    expect(walk.timerNames()).toContain(ERROR_CLOSE_TIMER);
    walk.send(DROP);
    expect(cancelled(walk)).toEqual([SETTLING_TIMER, ERROR_CLOSE_TIMER]);
    expect(walk.timerNames()).not.toContain(ERROR_CLOSE_TIMER);
    // The next attempt: its start clears the mark; its own drop cancels nothing of the last socket's.
    walk.fire('reconnectDelay');
    expect(walk.context.socketErred).toBe(false);
    walk.send({ type: 'transport.open' }).send(DROP);
    expect(cancelled(walk)).toEqual([SETTLING_TIMER]);
  });

  it('a second error of one attempt restarts the one timer; a reconnect now cancels it and starts unmarked', () => {
    const walk = readyWalk().send({ type: 'transport.error' }).send({ type: 'transport.error' });
    expect(cancelled(walk)).toEqual([ERROR_CLOSE_TIMER]);
    expect([...walk.timers.values()].filter((t) => t.name === ERROR_CLOSE_TIMER)).toHaveLength(1);
    walk.send({ type: 'link.reconnect' });
    expect(cancelled(walk)).toContain(ERROR_CLOSE_TIMER);
    expect(walk.timerNames()).not.toContain(ERROR_CLOSE_TIMER);
    expect(walk.context.socketErred).toBe(false);
  });

  it('the timer that fired ends the attempt: the link reconnects, the mark goes with the next attempt', () => {
    const walk = readyWalk().send({ type: 'transport.error' }).fire(ERROR_CLOSE_TIMER);
    expect(walk.snapshot.value).toBe('reconnecting');
    expect(walk.timerNames()).toEqual(['reconnectDelay']);
    walk.fire('reconnectDelay');
    expect(walk.context.socketErred).toBe(false);
  });
});

describe('connection chart: what it armed is disarmed on every exit (the scheduler of a running actor)', () => {
  /** The ids of the timers XState's scheduler holds for `actor`. */
  const pending = (actor: AnyActorRef): string[] =>
    Object.values(
      (actor.system as unknown as { _snapshot: { _scheduledEvents: Record<string, ScheduledLike> } })
        ._snapshot._scheduledEvents,
    )
      .filter((entry) => entry.source === actor)
      .map((entry) => entry.id);
  interface ScheduledLike {
    source: unknown;
    id: string;
  }

  it('a link without resume that hears resume.unacked arms no ack timer, so none outlives its attempt', () => {
    // Only a resumable session's transport reports it; the chart, not that premise, keeps the
    // disarm's guard (`resumes`) true of every armed ack timer.
    const walk = readyWalk().send({ type: 'resume.unacked' });
    expect(walk.timerNames()).not.toContain(ACK_TIMER);
    walk.send(DROP);
    expect(walk.timerNames()).toEqual(['reconnectDelay']);
    const clock = new SimulatedClock();
    const actor = createActor(connectionMachine, { clock, input: input() }).start();
    actor.send({ type: 'transport.open' });
    actor.send({ type: 'resume.unacked' });
    actor.send(DROP);
    expect(actor.getSnapshot().value).toBe('reconnecting');
    expect(pending(actor)).not.toContain(ACK_TIMER);
    actor.stop();
  });

  it('an error in every state of the attempt, then its exit: no error-close or ack timer pending (both charts)', () => {
    const exits: [string, ConnectionEvent[]][] = [
      ['connecting, refused', [{ type: 'transport.error' }, DROP]],
      [
        'connecting, two errors, link.close',
        [{ type: 'transport.error' }, { type: 'transport.error' }, { type: 'link.close' }],
      ],
      [
        'ready, link.reconnect',
        [{ type: 'transport.open' }, { type: 'transport.error' }, { type: 'link.reconnect' }],
      ],
      [
        'ready, reconnect.disable + drop',
        [{ type: 'transport.open' }, { type: 'reconnect.disable' }, { type: 'transport.error' }, DROP],
      ],
      [
        'ready, link.terminate',
        [{ type: 'transport.open' }, { type: 'transport.error' }, { type: 'link.terminate' }],
      ],
      [
        'closing, echo',
        [
          { type: 'transport.open' },
          { type: 'link.close' },
          { type: 'transport.error' },
          { type: 'transport.drained' },
          DROP,
        ],
      ],
    ];
    for (const machine of [connectionMachine, connectionChart as unknown as Machine]) {
      for (const [name, events] of exits) {
        const actor = createActor(machine, { clock: new SimulatedClock(), input: input() }).start();
        for (const event of events) actor.send(event);
        // Left (or, link.reconnect, re-entered: a new attempt, unmarked, no error of its own yet).
        const snapshot = actor.getSnapshot();
        if (snapshot.matches('attempt')) expect(snapshot.context.socketErred, name).toBe(false);
        expect(pending(actor), name).not.toContain(ERROR_CLOSE_TIMER);
        actor.stop();
      }
    }
  });
});
