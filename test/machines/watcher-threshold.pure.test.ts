/**
 * The watcher chart's `failuresBeforeDown`, pure (`initialTransition` / `transition`, no actor, no
 * timer): a ready watcher stays ready, in `ready.idle` with its poll timer set again and no edge
 * emitted, through failures fewer than the threshold in a row — a failed probe, a timed-out one, a
 * poll held by a timed-out probe still running (no probe made) —; at the threshold-th it goes down
 * with `watcher.down` and that failure; a success resets the count. The runtime tests
 * (test/watchers/watcher-failure-threshold.test.ts) are not among the tests Stryker runs.
 */
import { describe, expect, it } from 'vitest';
import { type AnyEventObject, initialTransition, type SnapshotFrom, transition } from 'xstate';
import { WATCHER_DEFAULTS } from '../../machines/policy/watcher.js';
import { type WatcherInput, watcherMachine } from '../../machines/watcher.machine.js';

type Snapshot = SnapshotFrom<typeof watcherMachine>;
type Action = { type: string; params?: Record<string, unknown> };

const done = { type: 'xstate.done.actor.probe', output: undefined, actorId: 'probe' } as AnyEventObject;
const refused = { type: 'xstate.error.actor.probe', error: { message: 'refused' }, actorId: 'probe' };
const poll = { type: 'xstate.after.pollInterval.watcher.ready.idle' } as AnyEventObject;
const timeout = { type: 'xstate.after.probeTimeout.watcher.ready.probing' } as AnyEventObject;
const settled = { type: 'watcher.probeSettled' } as AnyEventObject;
const held = { message: 'the last probe ignored its abort and is still running', timeout: true };
const timedOut = { message: 'probe timed out after 10000 ms', timeout: true };

const next = (snapshot: Snapshot, event: AnyEventObject): [Snapshot, Action[]] =>
  transition(watcherMachine, snapshot, event as never) as unknown as [Snapshot, Action[]];
const emitted = (actions: Action[]) =>
  actions.filter((a) => a.type === 'xstate.emit').map((a) => a.params?.event);
const spawns = (actions: Action[]) => actions.filter((a) => a.type === 'xstate.spawnChild').length;
const pollTimers = (actions: Action[]) =>
  actions.filter(
    (a) =>
      a.type === 'xstate.raise' &&
      (a.params?.event as { type?: string } | undefined)?.type === poll.type &&
      a.params?.delay === WATCHER_DEFAULTS.pollIntervalMs,
  ).length;

/** A watcher made ready by its first probe. */
function ready(failuresBeforeDown?: number): Snapshot {
  const input: WatcherInput = { name: 'db', ...(failuresBeforeDown ? { failuresBeforeDown } : {}) };
  const [start] = initialTransition(watcherMachine, input) as unknown as [Snapshot, Action[]];
  return next(start, done)[0];
}

describe('watcher chart, pure: failuresBeforeDown', () => {
  it('defaults to 1 (the policy); an input sets it', () => {
    expect(ready().context.failuresBeforeDown).toBe(1);
    expect(WATCHER_DEFAULTS.failuresBeforeDown).toBe(1);
    expect(ready(4).context.failuresBeforeDown).toBe(4);
  });

  it('2: a failed probe is tolerated (ready.idle, polled again, no edge); a success resets; two in a row are down', () => {
    const [probing] = next(ready(2), poll);
    const [tolerated, actions] = next(probing, refused as AnyEventObject);
    expect(tolerated.value).toEqual({ ready: 'idle' });
    expect(tolerated.hasTag('ready')).toBe(true);
    expect(tolerated.context).toMatchObject({ failures: 1, lastError: { message: 'refused' } });
    expect(emitted(actions)).toEqual([]);
    expect(pollTimers(actions)).toBe(1);
    // A success resets the count (lastError stays as the last failure's).
    const [ok] = next(next(tolerated, poll)[0], done);
    expect(ok.value).toEqual({ ready: 'idle' });
    expect(ok.context.failures).toBe(0);
    // One failure, then a second in a row: down, with watcher.down and that error.
    const [once] = next(next(ok, poll)[0], refused as AnyEventObject);
    expect(once.value).toEqual({ ready: 'idle' });
    const [down, downActions] = next(next(once, poll)[0], refused as AnyEventObject);
    expect(down.value).toEqual({ down: 'idle' });
    expect(down.context.failures).toBe(2);
    expect(emitted(downActions)).toEqual([
      { type: 'watcher.down', name: 'db', error: { message: 'refused' } },
    ]);
  });

  it('2: a timed-out probe is tolerated too, then a poll held by it is the second failure: down, no probe', () => {
    const [probing] = next(ready(2), poll);
    const [tolerated, actions] = next(probing, timeout);
    expect(tolerated.value).toEqual({ ready: 'idle' });
    expect(tolerated.context).toMatchObject({ failures: 1, abandonedProbe: true, lastError: timedOut });
    expect(emitted(actions)).toEqual([]);
    expect(pollTimers(actions)).toBe(1);
    const [down, downActions] = next(tolerated, poll);
    expect(down.value).toEqual({ down: 'idle' });
    expect(down.context).toMatchObject({ failures: 2, probes: 2, abandonedProbe: true, lastError: held });
    expect(spawns(downActions)).toBe(0);
    expect(emitted(downActions)).toEqual([{ type: 'watcher.down', name: 'db', error: held }]);
  });

  it('3: a poll held by a timed-out probe is tolerated (idle again, its timer set again, no probe); settled, the next poll probes', () => {
    const [timedOutOnce] = next(next(ready(3), poll)[0], timeout);
    const [heldOnce, actions] = next(timedOutOnce, poll);
    expect(heldOnce.value).toEqual({ ready: 'idle' });
    expect(heldOnce.context).toMatchObject({ failures: 2, probes: 2, abandonedProbe: true, lastError: held });
    expect(spawns(actions)).toBe(0);
    expect(emitted(actions)).toEqual([]);
    expect(pollTimers(actions)).toBe(1);
    const [free] = next(heldOnce, settled);
    expect(free.context.abandonedProbe).toBe(false);
    const [probing, probeActions] = next(free, poll);
    expect(probing.value).toEqual({ ready: 'probing' });
    expect(spawns(probeActions)).toBe(1);
    expect(next(probing, done)[0].context.failures).toBe(0);
    // Not settled: the third failure in a row is down.
    const [down, downActions] = next(heldOnce, poll);
    expect(down.value).toEqual({ down: 'idle' });
    expect(down.context.failures).toBe(3);
    expect(emitted(downActions)).toEqual([{ type: 'watcher.down', name: 'db', error: held }]);
  });

  it('1 (the default): the first failure or timeout is down at once', () => {
    const [probing] = next(ready(), poll);
    expect(next(probing, refused as AnyEventObject)[0].value).toEqual({ down: 'idle' });
    expect(next(probing, timeout)[0].value).toEqual({ down: 'idle' });
  });
});
