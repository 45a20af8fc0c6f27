/**
 * Reports of a group's members that reach the socket chart after `group.remove` (a hand-written or
 * edited trace, or the chart driven through linkvisor/machines: the runtime sends `group.remove`
 * only after every member's last report): they count as a single link's, never bring the group
 * back, restart nobody, emit no group edge, and leave the chart open (no error state). Pure.
 */
import { expect, it } from 'vitest';
import { Walk } from './socket-walk.js';

const LOST = { kind: 'close', code: 1006, message: 'x' } as const;

it('a removed one-for-all group: late ready, lost, sick and closed reports of its members', () => {
  const walk = new Walk().group('g', 2, 'one-for-all').add('link:g/0', 'link:g/1');
  walk.ready('link:g/0').ready('link:g/1');
  walk.send({ type: 'group.remove', group: 'g' });
  expect(walk.context.groups).toEqual({});
  walk.unready('link:g/0');
  expect(walk.emitted()).toEqual([]);
  walk.send({ type: 'link.lost', linkId: 'link:g/0', reason: LOST });
  expect(walk.emitted()).toEqual([]);
  expect(walk.effects()).toEqual([]);
  walk.send({ type: 'link.sick', linkId: 'link:g/1' }).send({ type: 'link.healed', linkId: 'link:g/1' });
  walk.unready('link:g/1');
  expect(walk.emitted()).toEqual([{ type: 'socket.down' }]);
  walk.closed('link:g/0').closed('link:g/1');
  expect(walk.snapshot.status).toBe('active');
  expect(walk.snapshot.value).toBe('open');
  expect(walk.context).toMatchObject({ peers: 0, ready: 0, escalated: 0, groups: {} });
  // The same name added again starts from zero.
  walk.group('g', 1).add('link:g/0').ready('link:g/0');
  expect(walk.emitted()).toEqual([{ type: 'socket.up' }, { type: 'group.up', group: 'g' }]);
  expect(walk.context.groups.g).toMatchObject({ peers: 1, ready: 1, escalated: 0, size: 1 });
});
