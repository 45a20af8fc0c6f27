/**
 * The watcher chart's `successesBeforeUp` (Kubernetes' successThreshold), pure (`initialTransition`
 * / `transition`, no actor, no timer): a down watcher stays down, in `down.idle` with its poll timer
 * set again and no edge emitted, through successes fewer than the threshold in a row; at the
 * threshold-th it is ready with `watcher.ready`; a failure or a timeout resets the count. Startup is
 * not affected: the first success of a starting watcher is ready. The runtime tests
 * (test/watchers/watcher-success-threshold.test.ts) are not among the tests Stryker runs.
 */
import { describe, expect, it } from 'vitest';
import { type AnyEventObject, initialTransition, type SnapshotFrom, transition } from 'xstate';
import { MAX_SUCCESSES_BEFORE_UP, WATCHER_DEFAULTS } from '../../machines/policy/watcher.js';
import { type WatcherInput, watcherMachine } from '../../machines/watcher.machine.js';

type Snapshot = SnapshotFrom<typeof watcherMachine>;
type Action = { type: string; params?: Record<string, unknown> };

const done = { type: 'xstate.done.actor.probe', output: undefined, actorId: 'probe' } as AnyEventObject;
const refused = {
  type: 'xstate.error.actor.probe',
  error: { message: 'refused' },
  actorId: 'probe',
} as AnyEventObject;
const readyPoll = { type: 'xstate.after.pollInterval.watcher.ready.idle' } as AnyEventObject;
const downPoll = { type: 'xstate.after.pollInterval.watcher.down.idle' } as AnyEventObject;
const downTimeout = { type: 'xstate.after.probeTimeout.watcher.down.probing' } as AnyEventObject;
const settled = { type: 'watcher.probeSettled' } as AnyEventObject;

const next = (snapshot: Snapshot, event: AnyEventObject): [Snapshot, Action[]] =>
  transition(watcherMachine, snapshot, event as never) as unknown as [Snapshot, Action[]];
const emitted = (actions: Action[]) =>
  actions.filter((a) => a.type === 'xstate.emit').map((a) => a.params?.event);
const pollTimers = (actions: Action[]) =>
  actions.filter(
    (a) =>
      a.type === 'xstate.raise' &&
      (a.params?.event as { type?: string } | undefined)?.type === downPoll.type &&
      a.params?.delay === WATCHER_DEFAULTS.pollIntervalMs,
  ).length;

function start(successesBeforeUp?: number): Snapshot {
  const input: WatcherInput = { name: 'db', ...(successesBeforeUp ? { successesBeforeUp } : {}) };
  return (initialTransition(watcherMachine, input) as unknown as [Snapshot, Action[]])[0];
}

/** A watcher made ready by its first probe, then down by a failed poll. */
function down(successesBeforeUp?: number): Snapshot {
  const ready = next(start(successesBeforeUp), done)[0];
  return next(next(ready, readyPoll)[0], refused)[0];
}

/** One poll of a down watcher, answered by `event`. */
const probe = (snapshot: Snapshot, event: AnyEventObject) => next(next(snapshot, downPoll)[0], event);

describe('watcher chart, pure: successesBeforeUp', () => {
  it('defaults to 1 (the policy); an input sets it; the bound is 1,000', () => {
    expect(start().context.successesBeforeUp).toBe(1);
    expect(WATCHER_DEFAULTS.successesBeforeUp).toBe(1);
    expect(start(4).context.successesBeforeUp).toBe(4);
    expect(MAX_SUCCESSES_BEFORE_UP).toBe(1_000);
    expect(start().context.successes).toBe(0);
  });

  it('3: two successes keep it down (down.idle, polled again, no edge); a failure resets; three in a row are ready', () => {
    const from = down(3);
    expect(from.value).toEqual({ down: 'idle' });
    expect(from.context).toMatchObject({ successes: 0, failures: 1 });
    const [once, actions] = probe(from, done);
    expect(once.value).toEqual({ down: 'idle' });
    expect(once.hasTag('ready')).toBe(false);
    expect(once.context).toMatchObject({ successes: 1, failures: 0, lastError: { message: 'refused' } });
    expect(emitted(actions)).toEqual([]);
    expect(pollTimers(actions)).toBe(1);
    const [twice] = probe(once, done);
    expect(twice.value).toEqual({ down: 'idle' });
    expect(twice.context.successes).toBe(2);
    // A failure resets the count: three more in a row are needed.
    const [reset] = probe(twice, refused);
    expect(reset.context).toMatchObject({ successes: 0, failures: 1 });
    const [a] = probe(reset, done);
    const [b] = probe(a, done);
    expect(b.value).toEqual({ down: 'idle' });
    const [up, upActions] = probe(b, done);
    expect(up.value).toEqual({ ready: 'idle' });
    expect(up.context).toMatchObject({ successes: 3, failures: 0 });
    expect(emitted(upActions)).toEqual([{ type: 'watcher.ready', name: 'db' }]);
  });

  it('2: a timeout resets the count too; held by it, then settled, the next success counts from 1', () => {
    const [once] = probe(down(2), done);
    expect(once.context.successes).toBe(1);
    const [timedOut] = probe(once, downTimeout);
    expect(timedOut.value).toEqual({ down: 'idle' });
    expect(timedOut.context).toMatchObject({ successes: 0, abandonedProbe: true });
    // Held by the timed-out probe, then it settles: the next success is the first again.
    const [held] = next(timedOut, downPoll);
    expect(held.value).toEqual({ down: 'held' });
    const [probing] = next(held, settled);
    expect(probing.value).toEqual({ down: 'probing' });
    const [first] = next(probing, done);
    expect(first.value).toEqual({ down: 'idle' });
    expect(first.context.successes).toBe(1);
    expect(probe(first, done)[0].value).toEqual({ ready: 'idle' });
  });

  it('3: startup is not affected: the first success of a starting watcher is ready', () => {
    const [ready, actions] = next(start(3), done);
    expect(ready.value).toEqual({ ready: 'idle' });
    expect(emitted(actions)).toEqual([{ type: 'watcher.ready', name: 'db' }]);
  });

  it('1 (the default): the first success of a down watcher is ready', () => {
    const [up, actions] = probe(down(), done);
    expect(up.value).toEqual({ ready: 'idle' });
    expect(emitted(actions)).toEqual([{ type: 'watcher.ready', name: 'db' }]);
  });
});
