/**
 * The watcher chart, pure: `initialTransition` / `transition` and the actions they return (the
 * probe it invokes, the delayed raises it schedules and their delays from the policy, the edges it
 * emits). No actor runs and no timer exists.
 */
import { describe, expect, it } from 'vitest';
import {
  type AnyEventObject,
  createActor,
  initialTransition,
  SimulatedClock,
  type SnapshotFrom,
  transition,
  waitFor,
} from 'xstate';
import { WATCHER_DEFAULTS } from '../../machines/policy/watcher.js';
import { type WatcherInput, watcherMachine, watcherStateName } from '../../machines/watcher.machine.js';

type Snapshot = SnapshotFrom<typeof watcherMachine>;
type Action = { type: string; params?: Record<string, unknown> };

const input: WatcherInput = { name: 'db' };
const done = { type: 'xstate.done.actor.probe', output: undefined, actorId: 'probe' } as AnyEventObject;
const error = {
  type: 'xstate.error.actor.probe',
  error: { message: 'refused' },
  actorId: 'probe',
} as AnyEventObject;
const settledEvent = { type: 'watcher.probeSettled' } as AnyEventObject;
const timer = (delay: string, state: string) =>
  ({ type: `xstate.after.${delay}.watcher.${state}` }) as AnyEventObject;

function delays(actions: Action[]): { event: string | undefined; delay: unknown }[] {
  return actions
    .filter((a) => a.type === 'xstate.raise' && a.params?.delay !== undefined)
    .map((a) => ({ event: (a.params?.event as { type: string } | undefined)?.type, delay: a.params?.delay }));
}

function emitted(actions: Action[]): unknown[] {
  return actions.filter((a) => a.type === 'xstate.emit').map((a) => a.params?.event);
}

function next(snapshot: Snapshot, event: AnyEventObject): [Snapshot, Action[]] {
  return transition(watcherMachine, snapshot, event as never) as unknown as [Snapshot, Action[]];
}

describe('watcher chart, pure', () => {
  it('starts probing at once, bounded by probeTimeout', () => {
    const [snapshot, actions] = initialTransition(watcherMachine, input) as unknown as [Snapshot, Action[]];
    expect(snapshot.value).toEqual({ starting: 'probing' });
    expect(actions.some((a) => a.type === 'xstate.spawnChild')).toBe(true);
    expect(delays(actions)).toEqual([
      { event: 'xstate.after.probeTimeout.watcher.starting.probing', delay: WATCHER_DEFAULTS.probeTimeoutMs },
    ]);
  });

  it('a failed startup probe waits the backoff delay: 2 s, then 4 s, doubling', () => {
    let [snapshot] = initialTransition(watcherMachine, input) as unknown as [Snapshot, Action[]];
    const waits: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      const [waiting, actions] = next(snapshot, error);
      expect(waiting.value).toEqual({ starting: 'waiting' });
      waits.push(delays(actions)[0]?.delay);
      [snapshot] = next(waiting, timer('retryDelay', 'starting.waiting'));
      expect(snapshot.value).toEqual({ starting: 'probing' });
    }
    expect(waits).toEqual([2_000, 4_000, 8_000]);
    expect(snapshot.context.lastError).toEqual({ message: 'refused' });
  });

  it('success emits watcher.ready once and polls every pollIntervalMs', () => {
    const [start] = initialTransition(watcherMachine, input) as unknown as [Snapshot, Action[]];
    const [ready, actions] = next(start, done);
    expect(ready.value).toEqual({ ready: 'idle' });
    expect(emitted(actions)).toEqual([{ type: 'watcher.ready', name: 'db' }]);
    expect(delays(actions)).toEqual([
      { event: 'xstate.after.pollInterval.watcher.ready.idle', delay: WATCHER_DEFAULTS.pollIntervalMs },
    ]);
    const [probing] = next(ready, timer('pollInterval', 'ready.idle'));
    const [again, again_actions] = next(probing, done);
    expect(again.value).toEqual({ ready: 'idle' });
    expect(emitted(again_actions)).toEqual([]);
  });

  it('a failed or timed-out probe while ready emits watcher.down once; later failures emit nothing', () => {
    const [start] = initialTransition(watcherMachine, input) as unknown as [Snapshot, Action[]];
    const [ready] = next(start, done);
    const [probing] = next(ready, timer('pollInterval', 'ready.idle'));
    const [down, actions] = next(probing, timer('probeTimeout', 'ready.probing'));
    expect(down.value).toEqual({ down: 'idle' });
    expect(emitted(actions)).toEqual([
      {
        type: 'watcher.down',
        name: 'db',
        error: { message: 'probe timed out after 10000 ms', timeout: true },
      },
    ]);
    // The timed-out probe honoured its abort: src/ says it settled, the next poll probes.
    const [settled] = next(down, settledEvent);
    const [probingDown] = next(settled, timer('pollInterval', 'down.idle'));
    const [stillDown, more] = next(probingDown, error);
    expect(stillDown.value).toEqual({ down: 'idle' });
    expect(emitted(more)).toEqual([]);
  });

  it('at most one probe in flight: a timed-out probe not yet settled holds the next poll or retry back', () => {
    const held = { message: 'the last probe ignored its abort and is still running', timeout: true };
    // Background: ready, a poll times out; the next poll waits in down.held, no probe, no edge.
    const [start] = initialTransition(watcherMachine, input) as unknown as [Snapshot, Action[]];
    const [ready] = next(start, done);
    const [probing] = next(ready, timer('pollInterval', 'ready.idle'));
    const [down] = next(probing, timer('probeTimeout', 'ready.probing'));
    expect(down.context.abandonedProbe).toBe(true);
    const [holding, holdActions] = next(down, timer('pollInterval', 'down.idle'));
    expect(holding.value).toEqual({ down: 'held' });
    expect(holding.hasTag('probing')).toBe(false);
    expect(holding.hasTag('ready')).toBe(false);
    expect(holding.context.probes).toBe(2);
    expect(holding.context.failures).toBe(1);
    expect(holding.context.lastError).toEqual(held);
    expect(holdActions.some((a) => a.type === 'xstate.spawnChild')).toBe(false);
    expect(delays(holdActions)).toEqual([]);
    expect(emitted(holdActions)).toEqual([]);
    // It settles: the held poll starts at once, bounded as any probe.
    const [resumed, resumeActions] = next(holding, settledEvent);
    expect(resumed.value).toEqual({ down: 'probing' });
    expect(resumed.context.abandonedProbe).toBe(false);
    expect(resumed.context.probes).toBe(3);
    expect(resumeActions.some((a) => a.type === 'xstate.spawnChild')).toBe(true);
    // Startup: a timed-out probe holds the retry back in starting.held, as pending.
    const [waiting] = next(start, timer('probeTimeout', 'starting.probing'));
    expect(waiting.value).toEqual({ starting: 'waiting' });
    const [startHeld] = next(waiting, timer('retryDelay', 'starting.waiting'));
    expect(startHeld.value).toEqual({ starting: 'held' });
    expect(startHeld.hasTag('pending')).toBe(true);
    expect(startHeld.context.startupProbes).toBe(1);
    expect(startHeld.context.lastError).toEqual(held);
    const [retry] = next(startHeld, settledEvent);
    expect(retry.value).toEqual({ starting: 'probing' });
    expect(retry.context.startupProbes).toBe(2);
    // Settled before the retry: nothing held. A settle with no probe abandoned changes nothing.
    const [cleared] = next(waiting, settledEvent);
    expect(cleared.value).toEqual({ starting: 'waiting' });
    expect(cleared.context.abandonedProbe).toBe(false);
    const [noHold] = next(cleared, timer('retryDelay', 'starting.waiting'));
    expect(noHold.value).toEqual({ starting: 'probing' });
    const [same, noActions] = next(ready, settledEvent);
    expect(same.value).toEqual({ ready: 'idle' });
    expect(noActions).toEqual([]);
    expect(ready.can(settledEvent as never)).toBe(false);
    expect(waiting.can(settledEvent as never)).toBe(true);
    // Stop while held: final.
    expect(next(holding, { type: 'watcher.stop' })[0].value).toBe('stopped');
  });

  it('startup probes used up: background polling without a down edge (never ready)', () => {
    let [snapshot] = initialTransition(watcherMachine, {
      name: 'db',
      backoff: { maxAttempts: 2 },
    }) as unknown as [Snapshot, Action[]];
    let all: Action[] = [];
    for (let i = 0; i < 2; i++) {
      const [after, actions] = next(snapshot, error);
      all = all.concat(actions);
      snapshot = after;
      if (snapshot.matches({ starting: 'waiting' }))
        [snapshot] = next(snapshot, timer('retryDelay', 'starting.waiting'));
    }
    expect(snapshot.value).toEqual({ down: 'idle' });
    expect(emitted(all)).toEqual([]);
  });

  it('watcher.stop from any state is final, cancelling its timers', () => {
    const [start] = initialTransition(watcherMachine, input) as unknown as [Snapshot, Action[]];
    const [stopped, actions] = next(start, { type: 'watcher.stop' });
    expect(stopped.value).toBe('stopped');
    expect(stopped.status).toBe('done');
    expect(actions.some((a) => a.type === 'xstate.cancel')).toBe(true);
    expect(actions.some((a) => a.type === 'xstate.stopChild')).toBe(true);
  });

  it('keeps a probe error as plain data: its message (or the thrown value as text), a string code, a numeric status', () => {
    const [start] = initialTransition(watcherMachine, input) as unknown as [Snapshot, Action[]];
    const failWith = (thrown: unknown) =>
      next(start, { type: 'xstate.error.actor.probe', error: thrown, actorId: 'probe' } as AnyEventObject)[0]
        .context.lastError;
    expect(failWith({ message: 'refused', code: 'ECONNREFUSED' })).toEqual({
      message: 'refused',
      code: 'ECONNREFUSED',
    });
    expect(failWith({ message: 'refused', code: 7 })).toEqual({ message: 'refused' });
    expect(failWith('plain text')).toEqual({ message: 'plain text' });
    expect(failWith({ message: 42 })).toEqual({ message: '[object Object]' });
    expect(failWith(undefined)).toEqual({ message: 'undefined' });
    // An HTTP answer outside 200–399 (src/runtime/watcher.ts): its numeric status is kept.
    expect(failWith({ message: 'the probe answered HTTP 503', status: 503 })).toEqual({
      message: 'the probe answered HTTP 503',
      status: 503,
    });
    expect(failWith({ message: 'x', code: 'E', status: 0 })).toEqual({ message: 'x', code: 'E', status: 0 });
    expect(failWith({ message: 'x', status: '503' })).toEqual({ message: 'x' });
  });

  it('without a probe provided, every probe fails saying so', async () => {
    const clock = new SimulatedClock();
    const actor = createActor(watcherMachine, { input, clock }).start();
    await waitFor(actor, (s) => s.matches({ starting: 'waiting' }));
    expect(actor.getSnapshot().context.lastError).toEqual({ message: 'no probe provided' });
    actor.stop();
  });

  it('watcherStateName: the top-level state of a watcher value', () => {
    expect(watcherStateName('stopped')).toBe('stopped');
    expect(watcherStateName({ starting: 'probing' })).toBe('starting');
    expect(watcherStateName({ ready: 'idle' })).toBe('ready');
    expect(watcherStateName({ down: 'probing' })).toBe('down');
  });
});
