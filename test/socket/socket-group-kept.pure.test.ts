/**
 * The socket chart keeps a group (its strategy and size) from `group.add` until `group.remove`,
 * whatever members are live: a start slice may cut a big group, and every member started may end
 * before the rest start (round 42: the chart forgot the group when its last live member ended, and
 * the members started later ran as a new one-for-one group of no size). And a link counts in a group
 * only while that group is added: a single link whose id looks like a member's (`connect(url,
 * { id: 'x/1' })`, link id `link:x/1`) counts in none. Pure: `transition` through `Walk`.
 */
import { describe, expect, it } from 'vitest';
import { Walk } from './socket-walk.js';

describe('socket chart: a group is kept until group.remove', () => {
  it('every started member of a rest-for-one group ended before the rest started: the rest keep its strategy', () => {
    const walk = new Walk().group('g', 3, 'rest-for-one').add('link:g/0');
    walk.closed('link:g/0');
    expect(walk.context.groups.g).toEqual({
      peers: 0,
      ready: 0,
      escalated: 0,
      degraded: false,
      strategy: 'rest-for-one',
      size: 3,
    });
    // The next slice: the rest of the group.
    walk.add('link:g/1', 'link:g/2').ready('link:g/1').ready('link:g/2');
    walk.send({ type: 'link.unready', linkId: 'link:g/1' });
    walk.send({ type: 'link.lost', linkId: 'link:g/1', reason: { kind: 'close', code: 1006, message: 'x' } });
    expect(walk.emitted()).toEqual([
      {
        type: 'group.restart',
        group: 'g',
        strategy: 'rest-for-one',
        cause: 'link:g/1',
        members: ['link:g/2'],
      },
    ]);
  });

  it('a one-for-all group whose first member ended before the rest started is never up with the rest', () => {
    const walk = new Walk().group('g', 3, 'one-for-all').add('link:g/0');
    walk.closed('link:g/0').add('link:g/1', 'link:g/2').ready('link:g/1');
    walk.ready('link:g/2');
    expect(walk.emitted()).toEqual([]);
    expect(walk.context.groups.g).toMatchObject({ ready: 2, strategy: 'one-for-all', size: 3 });
  });

  it('group.remove forgets the group: no edge, and its former members count as single links', () => {
    const walk = new Walk().group('g', 1).add('link:g/0');
    walk.closed('link:g/0').send({ type: 'group.remove', group: 'g' });
    expect(walk.emitted()).toEqual([]);
    expect(walk.context.groups).toEqual({});
    // A group not added is removed as a no-op.
    walk.send({ type: 'group.remove', group: 'other' });
    expect(walk.context.groups).toEqual({});
  });
});

describe('socket chart: a single link whose id looks like a member', () => {
  it('link:x/1 with no group x counts in no group: no group counts, no group edge', () => {
    const walk = new Walk().add('link:a', 'link:x/1');
    expect(walk.context).toMatchObject({ peers: 2, groups: {} });
    walk.ready('link:a');
    expect(walk.emitted()).toEqual([{ type: 'socket.up' }]);
    walk.ready('link:x/1');
    expect(walk.emitted()).toEqual([]);
    walk.send({ type: 'link.sick', linkId: 'link:x/1' });
    expect(walk.context.groups).toEqual({});
    walk.unready('link:x/1');
    walk.closed('link:x/1');
    expect(walk.context).toMatchObject({ peers: 1, ready: 1, groups: {} });
  });

  it('a group named "null" never counts a single link (whose group is none, not the string)', () => {
    const walk = new Walk().group('null', 2, 'one-for-all').add('link:a');
    walk.ready('link:a');
    walk.send({ type: 'link.sick', linkId: 'link:a' });
    walk.unready('link:a');
    walk.closed('link:a');
    expect(walk.context.groups.null).toEqual({
      peers: 0,
      ready: 0,
      escalated: 0,
      degraded: false,
      strategy: 'one-for-all',
      size: 2,
    });
  });

  it('a lost link:x/1 with no group x restarts nobody', () => {
    const walk = new Walk().add('link:x/0', 'link:x/1').ready('link:x/0').ready('link:x/1');
    walk.send({ type: 'link.lost', linkId: 'link:x/0', reason: { kind: 'close', code: 1006, message: 'x' } });
    expect(walk.emitted()).toEqual([]);
  });
});
