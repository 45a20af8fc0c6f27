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
import { connectionChart } from '../../machines/connection.machine.js';
import { ERROR_CLOSE_TIMER } from '../../machines/connection-error-close.js';
import { ACK_TIMER } from '../../machines/connection-features.js';
import { type Machine, RESET_1006, readyWalk, type Walk } from './connection-walk.js';

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
