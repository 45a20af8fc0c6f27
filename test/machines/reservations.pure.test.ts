/**
 * The reservations chart, pure: no timer while clear; the first reservation arms ONE sweep timer
 * (RESERVATION_SWEEP_MS from the policy, or the input's period), re-armed after each sweep with
 * `reservations.sweep` emitted; more reservations never restart it; the last one cleared cancels
 * it. No actor runs and no timer exists.
 */
import { describe, expect, it } from 'vitest';
import { type AnyEventObject, initialTransition, type SnapshotFrom, transition } from 'xstate';
import { RESERVATION_SWEEP_MS } from '../../machines/policy/reservations.js';
import { reservationsMachine } from '../../machines/reservations.machine.js';

type Snapshot = SnapshotFrom<typeof reservationsMachine>;
type Action = { type: string; params?: Record<string, unknown> };

const SWEEP = 'xstate.after.sweepDelay.reservations.holding';

const delays = (actions: Action[]) =>
  actions
    .filter((a) => a.type === 'xstate.raise' && a.params?.delay !== undefined)
    .map((a) => a.params?.delay);
const cancels = (actions: Action[]) => actions.filter((a) => a.type === 'xstate.cancel').length;
const emitted = (actions: Action[]) =>
  actions.filter((a) => a.type === 'xstate.emit').map((a) => a.params?.event as AnyEventObject);

function next(snapshot: Snapshot, event: AnyEventObject): [Snapshot, Action[]] {
  return transition(reservationsMachine, snapshot, event as never) as unknown as [Snapshot, Action[]];
}
const start = () => initialTransition(reservationsMachine) as unknown as [Snapshot, Action[]];
const held = { type: 'reservations.held' };
const cleared = { type: 'reservations.cleared' };

describe('reservations chart, pure', () => {
  it('clear without a timer; the first reservation arms the sweep (the policy’s period)', () => {
    const [clear, none] = start();
    expect(clear.value).toBe('clear');
    expect(delays(none)).toEqual([]);
    const [holding, armed] = next(clear, held);
    expect(holding.value).toBe('holding');
    expect(delays(armed)).toEqual([RESERVATION_SWEEP_MS]);
    expect(emitted(armed)).toEqual([]);
  });

  it('a sweep emits reservations.sweep and re-arms the one timer', () => {
    const [holding] = next(start()[0], held);
    const [after, actions] = next(holding, { type: SWEEP });
    expect(after.value).toBe('holding');
    expect(emitted(actions)).toEqual([{ type: 'reservations.sweep' }]);
    expect(cancels(actions)).toBe(1);
    expect(delays(actions)).toEqual([RESERVATION_SWEEP_MS]);
  });

  it('more reservations keep the timer running (never postponed); the last cleared cancels it', () => {
    const [holding] = next(start()[0], held);
    const [again, kept] = next(holding, held);
    expect(again.value).toBe('holding');
    expect(kept).toEqual([]);
    const [clear, actions] = next(again, cleared);
    expect(clear.value).toBe('clear');
    expect(cancels(actions)).toBe(1);
    expect(delays(actions)).toEqual([]);
    expect(emitted(actions)).toEqual([]);
  });

  it('cleared while clear, and a stray sweep while clear, do nothing', () => {
    const [clear] = start();
    const [same, none] = next(clear, cleared);
    expect(same.value).toBe('clear');
    expect(none).toEqual([]);
    const [still, stray] = next(clear, { type: SWEEP });
    expect(still.value).toBe('clear');
    expect(stray).toEqual([]);
  });

  it('documents itself: an id, readable states, described', () => {
    expect(reservationsMachine.id).toBe('reservations');
    expect(Object.keys(reservationsMachine.root.states)).toEqual(['clear', 'holding']);
    for (const state of Object.values(reservationsMachine.root.states))
      expect(state.description).toMatch(/^\S.{9,}\.$/);
  });
});
