/**
 * The farewell chart, pure: the one timer `waiting` schedules (closeTimeout, from the policy or
 * the input), its cancellation when the socket closes, and the two ends. No actor runs and no
 * timer exists.
 */
import { describe, expect, it } from 'vitest';
import { type AnyEventObject, initialTransition, type SnapshotFrom, transition } from 'xstate';
import { farewellMachine } from '../../machines/farewell.machine.js';
import { SERVER_CLOSE_TIMEOUT_MS } from '../../machines/policy/resume.js';

type Snapshot = SnapshotFrom<typeof farewellMachine>;
type Action = { type: string; params?: Record<string, unknown> };

const TIMEOUT = 'xstate.after.closeTimeout.farewell.waiting';

function delays(actions: Action[]): { event: string | undefined; delay: unknown }[] {
  return actions
    .filter((a) => a.type === 'xstate.raise' && a.params?.delay !== undefined)
    .map((a) => ({ event: (a.params?.event as { type: string } | undefined)?.type, delay: a.params?.delay }));
}

function next(snapshot: Snapshot, type: string): [Snapshot, Action[]] {
  return transition(farewellMachine, snapshot, { type } as AnyEventObject as never) as unknown as [
    Snapshot,
    Action[],
  ];
}

describe('farewell chart, pure', () => {
  it('waits with one timer: closeTimeout, SERVER_CLOSE_TIMEOUT_MS by default', () => {
    const [snapshot, actions] = initialTransition(farewellMachine, {}) as unknown as [Snapshot, Action[]];
    expect(snapshot.value).toBe('waiting');
    expect(snapshot.context).toEqual({ closeTimeoutMs: SERVER_CLOSE_TIMEOUT_MS });
    expect(delays(actions)).toEqual([{ event: TIMEOUT, delay: SERVER_CLOSE_TIMEOUT_MS }]);
    const [given, armed] = initialTransition(farewellMachine, { closeTimeoutMs: 750 }) as unknown as [
      Snapshot,
      Action[],
    ];
    expect(given.context).toEqual({ closeTimeoutMs: 750 });
    expect(delays(armed)).toEqual([{ event: TIMEOUT, delay: 750 }]);
  });

  it('closed: final, its timer cancelled; timed out: final; either ignores a later close', () => {
    const [waiting] = initialTransition(farewellMachine, {}) as unknown as [Snapshot, Action[]];
    const [closed, cancel] = next(waiting, 'farewell.closed');
    expect(closed.value).toBe('closed');
    expect(closed.status).toBe('done');
    expect(cancel.filter((a) => a.type === 'xstate.cancel')).toHaveLength(1);
    const [timedOut, none] = next(waiting, TIMEOUT);
    expect(timedOut.value).toBe('timedOut');
    expect(timedOut.status).toBe('done');
    expect(delays(none)).toEqual([]);
    expect(next(timedOut, 'farewell.closed')[0].value).toBe('timedOut');
    expect(next(closed, TIMEOUT)[0].value).toBe('closed');
  });
});
