/**
 * The shard chart (machines/shard.machine.ts): pure transitions (its counts, when it is over), and
 * the chart run for real with children created with `{ parent: shard }` that end or fail, every
 * state and transition covered.
 */
import { describe, expect, it } from 'vitest';
import {
  type AnyEventObject,
  createActor,
  initialTransition,
  type SnapshotFrom,
  setup,
  transition,
} from 'xstate';
import { LINKS_PER_SHARD } from '../../machines/policy/shard.js';
import { shardMachine } from '../../machines/shard.machine.js';
import { ChartCoverage } from '../../src/testing/chart-coverage.js';

type Snapshot = SnapshotFrom<typeof shardMachine>;

const start = (capacity: number) => initialTransition(shardMachine, { capacity })[0] as Snapshot;
const next = (snapshot: Snapshot, event: AnyEventObject) =>
  transition(shardMachine, snapshot, event as never)[0] as Snapshot;
const add = (links: number) => ({ type: 'shard.add', links });
const done = (id: string) => ({ type: `xstate.done.actor.${id}`, output: undefined, actorId: id });
const failed = (id: string) => ({ type: `xstate.error.actor.${id}`, error: new Error('bug'), actorId: id });

describe('shard chart, pure', () => {
  it('takes LINKS_PER_SHARD links: 63, so that the system actor map (its links and the shard) fills a table of 64 (measured: BENCHMARKS.md rounds 10 and 13)', () => {
    expect(LINKS_PER_SHARD).toBe(63);
  });

  it('starts open and empty', () => {
    const snapshot = start(4);
    expect(snapshot.value).toBe('open');
    expect(snapshot.context).toEqual({ capacity: 4, joined: 0, live: 0 });
  });

  it('counts the links that join, slice by slice', () => {
    const snapshot = next(next(start(4), add(3)), add(1));
    expect(snapshot.value).toBe('open');
    expect(snapshot.context).toEqual({ capacity: 4, joined: 4, live: 4 });
  });

  it('counts the links that end or fail, and stays open while one is live', () => {
    let snapshot = next(start(3), add(3));
    snapshot = next(snapshot, done('link:1'));
    expect(snapshot.context).toEqual({ capacity: 3, joined: 3, live: 2 });
    snapshot = next(snapshot, failed('link:2'));
    expect(snapshot.context).toEqual({ capacity: 3, joined: 3, live: 1 });
    expect(snapshot.status).toBe('active');
    expect(snapshot.value).toBe('open');
  });

  it('is over when the last live link of a full shard ends', () => {
    const snapshot = next(next(next(start(2), add(2)), done('link:1')), done('link:2'));
    expect(snapshot.value).toBe('over');
    expect(snapshot.status).toBe('done');
  });

  it('is over when the last live link of a full shard fails (a failure does not fail the shard)', () => {
    const snapshot = next(next(start(1), add(1)), failed('link:1'));
    expect(snapshot.value).toBe('over');
    expect(snapshot.status).toBe('done');
  });

  it('stays open, empty, while it has room (the next links join it)', () => {
    let snapshot = next(next(start(3), add(2)), done('link:1'));
    snapshot = next(snapshot, done('link:2'));
    expect(snapshot.value).toBe('open');
    expect(snapshot.status).toBe('active');
    expect(snapshot.context).toEqual({ capacity: 3, joined: 2, live: 0 });
    snapshot = next(next(snapshot, add(1)), done('link:3'));
    expect(snapshot.value).toBe('over');
  });
});

describe('shard chart, run', () => {
  /** A child that ends on `end` and fails on `fail` (an action that throws). */
  const child = setup({
    actions: {
      explode: () => {
        throw new Error('bug');
      },
    },
  }).createMachine({
    initial: 'on',
    states: { on: { on: { end: 'off', fail: { actions: 'explode' } } }, off: { type: 'final' } },
  });

  it('hears its children created with { parent } end and fail, and ends with the last one: every state and transition', () => {
    const coverage = new ChartCoverage([shardMachine]);
    const shard = createActor(shardMachine, { input: { capacity: 3 }, inspect: coverage.observer }).start();
    const children = ['a', 'b', 'c'].map((id) => createActor(child, { id, parent: shard }));
    shard.send({ type: 'shard.add', links: 3 });
    const errors: unknown[] = [];
    for (const actor of children) {
      actor.subscribe({ error: (error) => errors.push(error) });
      actor.start();
    }
    // Not XState children of the shard (no copy of `children` per start or stop).
    expect(shard.getSnapshot().children).toEqual({});
    children[0]?.send({ type: 'end' });
    children[1]?.send({ type: 'fail' });
    expect(errors).toHaveLength(1);
    expect(shard.getSnapshot().status).toBe('active');
    expect(shard.getSnapshot().context.live).toBe(1);
    children[2]?.send({ type: 'end' });
    expect(shard.getSnapshot().status).toBe('done');
    // A shard whose last link fails is over too.
    const other = createActor(shardMachine, { input: { capacity: 1 }, inspect: coverage.observer }).start();
    const last = createActor(child, { id: 'd', parent: other });
    other.send({ type: 'shard.add', links: 1 });
    last.subscribe({ error: (error) => errors.push(error) });
    last.start().send({ type: 'fail' });
    expect(errors).toHaveLength(2);
    expect(other.getSnapshot().status).toBe('done');
    expect(coverage.missing()).toEqual({ states: [], transitions: [] });
  });
});
