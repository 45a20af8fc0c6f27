/**
 * The session chart, pure: `initialTransition` / `transition` and the actions they return (the
 * delayed raises each state schedules, their delays from the policy, their cancellation when the
 * state is left). No actor runs and no timer exists.
 */
import { describe, expect, it } from 'vitest';
import { type AnyEventObject, initialTransition, type SnapshotFrom, transition } from 'xstate';
import { RESUME_DEFAULTS, SESSION_TTL_DEFAULT_MS } from '../../machines/policy/resume.js';
import { sessionMachine, sessionStateName } from '../../machines/session.machine.js';

type Snapshot = SnapshotFrom<typeof sessionMachine>;
type Action = { type: string; params?: Record<string, unknown> };

function delays(actions: Action[]): { event: string | undefined; delay: unknown }[] {
  return actions
    .filter((a) => a.type === 'xstate.raise' && a.params?.delay !== undefined)
    .map((a) => ({ event: (a.params?.event as { type: string } | undefined)?.type, delay: a.params?.delay }));
}

const cancels = (actions: Action[]) => actions.filter((a) => a.type === 'xstate.cancel').length;
const named = (actions: Action[]) => actions.filter((a) => !a.type.startsWith('xstate.')).map((a) => a.type);

function next(snapshot: Snapshot, type: string): [Snapshot, Action[]] {
  return transition(sessionMachine, snapshot, { type } as AnyEventObject as never) as unknown as [
    Snapshot,
    Action[],
  ];
}

function start(input = {}): [Snapshot, Action[]] {
  return initialTransition(sessionMachine, input) as unknown as [Snapshot, Action[]];
}

describe('session chart, pure', () => {
  it('starts attached and quiet, with no timer', () => {
    const [snapshot, actions] = start();
    expect(snapshot.value).toEqual({ attached: 'quiet' });
    expect(delays(actions)).toEqual([]);
    expect(snapshot.context).toEqual({
      ackDelayMs: RESUME_DEFAULTS.ackDelayMs,
      sessionTtlMs: SESSION_TTL_DEFAULT_MS,
    });
  });

  it('the first unacknowledged message starts ackDelay; its end sends the ack; an ack by count voids it', () => {
    const [quiet] = start({ ackDelayMs: 250 });
    const [acking, armed] = next(quiet, 'session.unacked');
    expect(acking.value).toEqual({ attached: 'acking' });
    expect(delays(armed)).toEqual([{ event: 'xstate.after.ackDelay.session.attached.acking', delay: 250 }]);
    // More messages in the same window start nothing.
    expect(next(acking, 'session.unacked')[1]).toEqual([]);
    const [fired, ack] = next(acking, 'xstate.after.ackDelay.session.attached.acking');
    expect(fired.value).toEqual({ attached: 'quiet' });
    expect(named(ack)).toEqual(['sendAck']);
    const [byCount, voided] = next(acking, 'session.acked');
    expect(byCount.value).toEqual({ attached: 'quiet' });
    expect(named(voided)).toEqual([]);
    expect(cancels(voided)).toBe(1);
  });

  it('away waits sessionTtl (the ack timer dies with attached), then expires; a return cancels it', () => {
    const [quiet] = start({ sessionTtlMs: 9_000 });
    const [acking] = next(quiet, 'session.unacked');
    const [away, actions] = next(acking, 'session.detached');
    expect(away.value).toBe('away');
    expect(cancels(actions)).toBe(1);
    expect(delays(actions)).toEqual([{ event: 'xstate.after.sessionTtl.session.away', delay: 9_000 }]);
    const [expired] = next(away, 'xstate.after.sessionTtl.session.away');
    expect(expired.status).toBe('done');
    expect(sessionStateName(expired.value)).toBe('expired');
    const [back, returned] = next(away, 'session.attached');
    expect(back.value).toEqual({ attached: 'quiet' });
    expect(cancels(returned)).toBe(1);
  });

  it('away takes session.evict (the ttl timer cancelled, no timer left); attached ignores it', () => {
    const [quiet] = start({ sessionTtlMs: 9_000 });
    const [away] = next(quiet, 'session.detached');
    const [evicted, actions] = next(away, 'session.evict');
    expect(evicted.status).toBe('done');
    expect(sessionStateName(evicted.value)).toBe('evicted');
    expect(cancels(actions)).toBe(1);
    expect(delays(actions)).toEqual([]);
    expect(named(actions)).toEqual([]);
    const [acking] = next(quiet, 'session.unacked');
    for (const attached of [quiet, acking]) {
      const [still, none] = next(attached, 'session.evict');
      expect(still.value).toEqual(attached.value);
      expect(none).toEqual([]);
    }
  });

  it('ends from any state, once', () => {
    const [quiet] = start();
    const [acking] = next(quiet, 'session.unacked');
    const [away] = next(quiet, 'session.detached');
    for (const snapshot of [quiet, acking, away]) {
      const [ended] = next(snapshot, 'session.end');
      expect(ended.status).toBe('done');
      expect(sessionStateName(ended.value)).toBe('ended');
    }
  });
});
