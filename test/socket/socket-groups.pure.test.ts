/**
 * The socket chart's group strategies (one-for-one, one-for-all, rest-for-one): which members a
 * lost member restarts, when a group is up, and the strategies' pure functions.
 * Pure: `initialTransition` / `transition` through `Walk` (socket-walk.ts); no actor runs and no timer exists.
 */
import { describe, expect, it } from 'vitest';
import type { Reason } from '../../machines/policy/close-reason.js';
import {
  GROUP_STRATEGIES,
  type GroupStrategy,
  readyToBeUp,
  restartTargets,
} from '../../machines/policy/group.js';
import { memberIndex } from '../../machines/socket.machine.js';
import { Walk } from './socket-walk.js';

describe('socket chart: group strategies', () => {
  const GROUP_REASON = { kind: 'group', cause: 'link:g/0', message: 'restarted with group g' } as const;
  const RESET = { kind: 'close', code: 1006, message: 'reset' } as const;

  /** A group `g` of `size` members, added, none ready yet. */
  function members(strategy: GroupStrategy, size: number): Walk {
    const walk = new Walk().send({ type: 'group.add', group: 'g', strategy, size });
    for (let i = 0; i < size; i++) walk.add(`link:g/${i}`);
    return walk;
  }

  /** A group `g` of `size` members, all ready. */
  function group(strategy: GroupStrategy, size = 3): Walk {
    const walk = members(strategy, size);
    for (let i = 0; i < size; i++) walk.ready(`link:g/${i}`);
    return walk;
  }

  const lost = (walk: Walk, linkId: string, reason: Reason = RESET) =>
    walk.send({ type: 'link.lost', linkId, reason });

  it('group.add records the strategy and size; counts start at zero', () => {
    const walk = new Walk().send({ type: 'group.add', group: 'g', strategy: 'one-for-all', size: 2 });
    expect(walk.context.groups).toEqual({
      g: { peers: 0, ready: 0, escalated: 0, degraded: false, strategy: 'one-for-all', size: 2 },
    });
    expect(walk.effects()).toEqual([]);
  });

  it('a group named "null" is a group like any other: a single link’s reports never reach it', () => {
    const walk = new Walk().send({ type: 'group.add', group: 'null', strategy: 'one-for-all', size: 2 });
    walk.add('link:null/0', 'link:null/1', 'link:solo');
    walk.ready('link:null/0');
    expect(walk.emitted()).toEqual([{ type: 'socket.up' }]);
    walk.ready('link:null/1');
    expect(walk.emitted()).toEqual([{ type: 'group.up', group: 'null' }]);
    walk.ready('link:solo');
    expect(walk.emitted()).toEqual([]);
    walk.unready('link:solo');
    expect(walk.emitted()).toEqual([]);
    lost(walk, 'link:solo');
    expect(walk.effects()).toEqual([]);
    expect(walk.emitted()).toEqual([]);
    walk.unready('link:null/1');
    expect(walk.emitted()).toEqual([{ type: 'group.down', group: 'null' }]);
    expect(walk.context.groups.null).toMatchObject({ peers: 2, ready: 1 });
  });

  it('one-for-one: a lost member restarts nobody', () => {
    const walk = lost(group('one-for-one'), 'link:g/1');
    expect(walk.effects()).toEqual([]);
    expect(walk.emitted()).toEqual([]);
  });

  it('one-for-all: a lost member restarts every other one, in order, and says so', () => {
    const walk = lost(group('one-for-all'), 'link:g/1');
    const members = ['link:g/0', 'link:g/2'];
    expect(walk.effects()).toEqual([
      {
        type: 'tellLinks',
        params: { linkIds: members, event: { type: 'link.restart', group: 'g', cause: 'link:g/1' } },
      },
    ]);
    expect(walk.emitted()).toEqual([
      { type: 'group.restart', group: 'g', strategy: 'one-for-all', cause: 'link:g/1', members },
    ]);
  });

  it('rest-for-one: the members after the lost one restart, in order; the last one restarts nobody', () => {
    const walk = lost(group('rest-for-one', 4), 'link:g/1');
    expect(walk.effects()).toEqual([
      {
        type: 'tellLinks',
        params: {
          linkIds: ['link:g/2', 'link:g/3'],
          event: { type: 'link.restart', group: 'g', cause: 'link:g/1' },
        },
      },
    ]);
    expect(lost(group('rest-for-one', 4), 'link:g/3').effects()).toEqual([]);
  });

  it('a member restarted by its group (reason kind group) restarts nobody: no storm', () => {
    for (const strategy of ['one-for-all', 'rest-for-one'] as const) {
      const walk = lost(group(strategy), 'link:g/2', GROUP_REASON);
      expect(walk.effects()).toEqual([]);
      expect(walk.emitted()).toEqual([]);
    }
  });

  it('a lost single link, or a lost member while closing, restarts nobody', () => {
    const single = new Walk().add('link:a').ready('link:a');
    expect(lost(single, 'link:a').effects()).toEqual([]);
    const closing = group('one-for-all').send({ type: 'socket.close' });
    expect(lost(closing, 'link:g/0').effects()).toEqual([]);
  });

  it('one-for-all: up only when every member is ready, down when the first leaves ready', () => {
    const walk = members('one-for-all', 2);
    walk.ready('link:g/0');
    expect(walk.emitted()).toEqual([{ type: 'socket.up' }]);
    walk.ready('link:g/1');
    expect(walk.emitted()).toEqual([{ type: 'group.up', group: 'g' }]);
    walk.unready('link:g/1');
    expect(walk.emitted()).toEqual([{ type: 'group.down', group: 'g' }]);
    walk.unready('link:g/0');
    expect(walk.emitted()).toEqual([{ type: 'socket.down' }]);
  });

  it('rest-for-one: up with its first ready member, like one-for-one', () => {
    const walk = members('rest-for-one', 2);
    walk.ready('link:g/1');
    expect(walk.emitted()).toEqual([{ type: 'socket.up' }, { type: 'group.up', group: 'g' }]);
  });

  it('restart targets, memberIndex and readyToBeUp, as pure functions', () => {
    expect(restartTargets('one-for-one', 3, 0)).toEqual([]);
    expect(restartTargets('one-for-all', 3, 2)).toEqual([0, 1]);
    expect(restartTargets('rest-for-one', 3, 0)).toEqual([1, 2]);
    expect(restartTargets('rest-for-one', 3, 7)).toEqual([]);
    expect(restartTargets('one-for-all', 3, -1)).toEqual([]);
    expect(memberIndex('link:g/12')).toBe(12);
    expect(memberIndex('link:g')).toBe(-1);
    expect(memberIndex('link:g/x')).toBe(-1);
    // Member 0 counts; a negative, fractional or group-less index does not.
    expect(memberIndex('link:g/0')).toBe(0);
    expect(memberIndex('link:g/-1')).toBe(-1);
    expect(memberIndex('link:g/-2')).toBe(-1); // not -2: -1 alone would pass without the sign check
    expect(memberIndex('link:g/1.5')).toBe(-1);
    expect(memberIndex('link:/3')).toBe(-1);
    // The member just past the group restarts nobody; the last one of a one-for-all group does.
    expect(restartTargets('one-for-all', 3, 3)).toEqual([]);
    expect(restartTargets('rest-for-one', 3, 2)).toEqual([]);
    expect(restartTargets('one-for-all', 2, 1)).toEqual([0]);
    expect(GROUP_STRATEGIES).toEqual(['one-for-one', 'one-for-all', 'rest-for-one']);
    expect(readyToBeUp('one-for-all', 3)).toBe(3);
    expect(readyToBeUp('rest-for-one', 3)).toBe(1);
    expect(readyToBeUp('one-for-one', 3)).toBe(1);
  });
});
