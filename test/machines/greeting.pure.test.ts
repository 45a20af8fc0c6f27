/**
 * The greeting chart, pure: the one timer `waiting` schedules (helloTimeout, from the policy or
 * the input), its cancellation when the socket settles, and the two ends. No actor runs and no
 * timer exists.
 */
import { describe, expect, it } from 'vitest';
import { type AnyEventObject, initialTransition, type SnapshotFrom, transition } from 'xstate';
import { greetingMachine } from '../../machines/greeting.machine.js';
import { HELLO_TIMEOUT_DEFAULT_MS, RESUME_DEFAULTS } from '../../machines/policy/resume.js';

type Snapshot = SnapshotFrom<typeof greetingMachine>;
type Action = { type: string; params?: Record<string, unknown> };

const TIMEOUT = 'xstate.after.helloTimeout.greeting.waiting';

function delays(actions: Action[]): { event: string | undefined; delay: unknown }[] {
  return actions
    .filter((a) => a.type === 'xstate.raise' && a.params?.delay !== undefined)
    .map((a) => ({ event: (a.params?.event as { type: string } | undefined)?.type, delay: a.params?.delay }));
}

function next(snapshot: Snapshot, type: string): [Snapshot, Action[]] {
  return transition(greetingMachine, snapshot, { type } as AnyEventObject as never) as unknown as [
    Snapshot,
    Action[],
  ];
}

describe('greeting chart, pure', () => {
  it('waits with one timer: helloTimeout, the client’s own resume timeout by default', () => {
    expect(HELLO_TIMEOUT_DEFAULT_MS).toBe(RESUME_DEFAULTS.resumeTimeoutMs);
    const [snapshot, actions] = initialTransition(greetingMachine, {}) as unknown as [Snapshot, Action[]];
    expect(snapshot.value).toBe('waiting');
    expect(delays(actions)).toEqual([{ event: TIMEOUT, delay: HELLO_TIMEOUT_DEFAULT_MS }]);
    const [given, armed] = initialTransition(greetingMachine, { helloTimeoutMs: 750 }) as unknown as [
      Snapshot,
      Action[],
    ];
    expect(given.context).toEqual({ helloTimeoutMs: 750 });
    expect(delays(armed)).toEqual([{ event: TIMEOUT, delay: 750 }]);
  });

  it('settled: final, its timer cancelled; timed out: final; either ignores a later settle', () => {
    const [waiting] = initialTransition(greetingMachine, {}) as unknown as [Snapshot, Action[]];
    const [settled, cancel] = next(waiting, 'greeting.settled');
    expect(settled.value).toBe('settled');
    expect(settled.status).toBe('done');
    expect(cancel.filter((a) => a.type === 'xstate.cancel')).toHaveLength(1);
    const [timedOut] = next(waiting, TIMEOUT);
    expect(timedOut.value).toBe('timedOut');
    expect(timedOut.status).toBe('done');
    expect(next(timedOut, 'greeting.settled')[0].value).toBe('timedOut');
  });
});
