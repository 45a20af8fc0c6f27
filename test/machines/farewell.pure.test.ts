/**
 * The farewell chart, pure: one timer whatever the number of sockets closing, armed for the
 * earliest deadline (closeTimeout after the close frame, from the policy or the input, rounded up
 * to the ms), re-armed for the next one as the earliest batch closes or times out, never early,
 * and gone once no socket is closing. No actor runs and no timer exists.
 */
import { describe, expect, it } from 'vitest';
import { type AnyEventObject, initialTransition, type SnapshotFrom, transition } from 'xstate';
import { farewellMachine } from '../../machines/farewell.machine.js';
import { SERVER_CLOSE_TIMEOUT_MS } from '../../machines/policy/resume.js';

type Snapshot = SnapshotFrom<typeof farewellMachine>;
type Action = { type: string; params?: Record<string, unknown> };

const TIMEOUT = 'xstate.after.closeTimeout.farewell.waiting';

function delays(actions: Action[]): unknown[] {
  return actions
    .filter((a) => a.type === 'xstate.raise' && a.params?.delay !== undefined)
    .map((a) => a.params?.delay);
}
const cancels = (actions: Action[]) => actions.filter((a) => a.type === 'xstate.cancel').length;
const emitted = (actions: Action[]) =>
  actions.filter((a) => a.type === 'xstate.emit').map((a) => a.params?.event as AnyEventObject);

function next(snapshot: Snapshot, event: AnyEventObject): [Snapshot, Action[]] {
  return transition(farewellMachine, snapshot, event as never) as unknown as [Snapshot, Action[]];
}
const start = (input: { closeTimeoutMs?: number } = {}) =>
  initialTransition(farewellMachine, input) as unknown as [Snapshot, Action[]];
const closing = (atMs: number, count = 1) => ({ type: 'farewell.closing', count, atMs });
const closed = (dueMs: number, atMs: number, sockets = 1) => ({
  type: 'farewell.closed',
  answers: [{ dueMs, sockets }],
  atMs,
});
const answered = (atMs: number, ...answers: [number, number][]) => ({
  type: 'farewell.closed',
  answers: answers.map(([dueMs, sockets]) => ({ dueMs, sockets })),
  atMs,
});

describe('farewell chart, pure', () => {
  it('idle without a timer; the first close frame arms closeTimeout (the policy’s, or the input’s), rounded up', () => {
    const [idle, none] = start();
    expect(idle.value).toBe('idle');
    expect(idle.context).toEqual({ closeTimeoutMs: SERVER_CLOSE_TIMEOUT_MS, batches: [], nowMs: 0 });
    expect(delays(none)).toEqual([]);
    const [waiting, armed] = next(idle, closing(1000.25));
    expect(waiting.value).toBe('waiting');
    expect(waiting.context.batches).toEqual([{ dueMs: 1001 + SERVER_CLOSE_TIMEOUT_MS, sockets: 1 }]);
    expect(delays(armed)).toEqual([SERVER_CLOSE_TIMEOUT_MS + 0.75]);
    const [given] = start({ closeTimeoutMs: 750 });
    const [, armedGiven] = next(given, closing(10));
    expect(delays(armedGiven)).toEqual([750]);
  });

  it('counts sockets by deadline; more close frames keep the one timer', () => {
    let [s] = start({ closeTimeoutMs: 100 });
    [s] = next(s, closing(0));
    const [same, keep] = next(s, closing(0));
    expect(same.context.batches).toEqual([{ dueMs: 100, sockets: 2 }]);
    expect(delays(keep)).toEqual([]);
    expect(cancels(keep)).toBe(0);
    const [later, keep2] = next(same, closing(30));
    expect(later.value).toBe('waiting');
    expect(later.context.batches).toEqual([
      { dueMs: 100, sockets: 2 },
      { dueMs: 130, sockets: 1 },
    ]);
    expect(delays(keep2)).toEqual([]);
  });

  it('a socket closing: counted; its batch’s last re-arms for the next deadline; the last of all disarms', () => {
    let [s] = start({ closeTimeoutMs: 100 });
    [s] = next(s, closing(0));
    [s] = next(s, closing(0));
    [s] = next(s, closing(30));
    const [one, kept] = next(s, closed(100, 40));
    expect(one.context.batches).toEqual([
      { dueMs: 100, sockets: 1 },
      { dueMs: 130, sockets: 1 },
    ]);
    expect([cancels(kept), delays(kept)]).toEqual([0, []]);
    const [laterOnly, kept2] = next(s, closed(130, 40));
    expect(laterOnly.context.batches).toEqual([{ dueMs: 100, sockets: 2 }]);
    expect([cancels(kept2), delays(kept2)]).toEqual([0, []]);
    const [rearmed, rearm] = next(one, closed(100, 50));
    expect(rearmed.value).toBe('waiting');
    expect(rearmed.context.batches).toEqual([{ dueMs: 130, sockets: 1 }]);
    expect([cancels(rearm), delays(rearm)]).toEqual([1, [80]]);
    const [idle, disarm] = next(rearmed, closed(130, 60));
    expect(idle.value).toBe('idle');
    expect(idle.context.batches).toEqual([]);
    expect([cancels(disarm), delays(disarm)]).toEqual([1, []]);
    // A close naming no batch (one already timed out) changes nothing but the time.
    const [stray, strayActions] = next(rearmed, closed(100, 70));
    expect(stray.value).toBe('waiting');
    expect(stray.context.batches).toEqual([{ dueMs: 130, sockets: 1 }]);
    expect([cancels(strayActions), delays(strayActions)]).toEqual([0, []]);
    expect(next(idle, closed(130, 80))[0].context).toEqual(idle.context);
    // Late (its deadline passed before the close arrived): the next timer is due at once.
    const [late, lateArm] = next(one, closed(100, 140));
    expect(late.context.nowMs).toBe(140);
    expect(delays(lateArm)).toEqual([0]);
  });

  it('timed out: announces the earliest batch, re-arms from its deadline (never early), idle after the last', () => {
    let [s] = start({ closeTimeoutMs: 100 });
    [s] = next(s, closing(0));
    [s] = next(s, closing(30));
    const [rest, fired] = next(s, { type: TIMEOUT });
    expect(emitted(fired)).toEqual([{ type: 'farewell.timedOut', dueMs: 100 }]);
    expect(rest.value).toBe('waiting');
    expect(rest.context).toEqual({ closeTimeoutMs: 100, batches: [{ dueMs: 130, sockets: 1 }], nowMs: 100 });
    expect(delays(fired)).toEqual([30]);
    const [idle, last] = next(rest, { type: TIMEOUT });
    expect(emitted(last)).toEqual([{ type: 'farewell.timedOut', dueMs: 130 }]);
    expect(idle.value).toBe('idle');
    expect(idle.context.batches).toEqual([]);
    expect(idle.context.nowMs).toBe(130);
    expect(delays(last)).toEqual([]);
    // Idle again: the next close frame arms a new timer.
    const [again, armed] = next(idle, closing(500));
    expect(again.context.batches).toEqual([{ dueMs: 600, sockets: 1 }]);
    expect(delays(armed)).toEqual([100]);
  });

  it('one event for the sockets of a turn: close frames counted together, answers of several batches together', () => {
    let [s] = start({ closeTimeoutMs: 100 });
    const [many, armed] = next(s, closing(0, 3));
    expect(many.context.batches).toEqual([{ dueMs: 100, sockets: 3 }]);
    expect(delays(armed)).toEqual([100]);
    [s] = next(many, closing(0, 2));
    expect(s.context.batches).toEqual([{ dueMs: 100, sockets: 5 }]);
    [s] = next(s, closing(30, 4));
    [s] = next(s, closing(60, 1));
    expect(s.context.batches).toEqual([
      { dueMs: 100, sockets: 5 },
      { dueMs: 130, sockets: 4 },
      { dueMs: 160, sockets: 1 },
    ]);
    // Some of two batches: counted, the timer kept.
    const [some, kept] = next(s, answered(70, [100, 2], [130, 3]));
    expect(some.value).toBe('waiting');
    expect(some.context.batches).toEqual([
      { dueMs: 100, sockets: 3 },
      { dueMs: 130, sockets: 1 },
      { dueMs: 160, sockets: 1 },
    ]);
    expect([cancels(kept), delays(kept)]).toEqual([0, []]);
    // The earliest batch's last sockets and one of the next: re-armed for the next deadline.
    const [rearmed, rearm] = next(some, answered(80, [100, 3], [130, 1]));
    expect(rearmed.value).toBe('waiting');
    expect(rearmed.context.batches).toEqual([{ dueMs: 160, sockets: 1 }]);
    expect([cancels(rearm), delays(rearm)]).toEqual([1, [80]]);
    // A later batch emptied, the earliest not: counted, kept.
    const [laterGone, kept2] = next(some, answered(80, [130, 1], [160, 1]));
    expect(laterGone.context.batches).toEqual([{ dueMs: 100, sockets: 3 }]);
    expect([laterGone.value, cancels(kept2), delays(kept2)]).toEqual(['waiting', 0, []]);
    // Every socket at once, and answers naming a batch already gone: idle, disarmed.
    const [idle, disarm] = next(some, answered(90, [40, 7], [100, 3], [130, 1], [160, 1]));
    expect(idle.value).toBe('idle');
    expect(idle.context).toEqual({ closeTimeoutMs: 100, batches: [], nowMs: 90 });
    expect([cancels(disarm), delays(disarm)]).toEqual([1, []]);
    // The earliest batch's last sockets only when every one of them answered.
    const [notYet] = next(some, answered(90, [130, 1], [160, 1], [100, 2]));
    expect([notYet.value, notYet.context.batches]).toEqual(['waiting', [{ dueMs: 100, sockets: 1 }]]);
  });
});
