/**
 * The socket chart's edges: socket.up / socket.down (first up, last down) and group.up / group.down,
 * degraded / recovered by the share of escalated links (restart intensity), per socket and per group.
 * Pure: `initialTransition` / `transition` through `Walk` (socket-walk.ts); no actor runs and no timer exists.
 */
import { describe, expect, it } from 'vitest';
import type { SocketEvent } from '../../machines/socket.machine.js';
import { Walk } from './socket-walk.js';

describe('socket chart: first-up / last-down edges', () => {
  it('link.ready from 0 emits socket.up once; a second link.ready emits nothing', () => {
    const walk = new Walk().add('link:a').add('link:b');
    walk.ready('link:a');
    expect(walk.emitted()).toEqual([{ type: 'socket.up' }]);
    expect(walk.context.ready).toBe(1);
    walk.ready('link:b');
    expect(walk.emitted()).toEqual([]);
    expect(walk.context.ready).toBe(2);
  });

  it('link.unready 2 → 1 emits nothing; 1 → 0 emits socket.down', () => {
    const walk = new Walk().add('link:a').add('link:b').ready('link:a').ready('link:b');
    walk.unready('link:a');
    expect(walk.emitted()).toEqual([]);
    expect(walk.context.ready).toBe(1);
    walk.unready('link:b');
    expect(walk.emitted()).toEqual([{ type: 'socket.down' }]);
    expect(walk.context.ready).toBe(0);
  });

  it('up and down alternate, one edge each, across a flapping sequence', () => {
    const walk = new Walk().add('link:a').add('link:b');
    const edges: string[] = [];
    const steps: [string, 'ready' | 'unready'][] = [
      ['link:a', 'ready'],
      ['link:b', 'ready'],
      ['link:a', 'unready'],
      ['link:a', 'ready'],
      ['link:b', 'unready'],
      ['link:a', 'unready'],
      ['link:b', 'ready'],
      ['link:b', 'unready'],
    ];
    for (const [id, kind] of steps) {
      if (kind === 'ready') walk.ready(id);
      else walk.unready(id);
      edges.push(...walk.emitted().map((e) => e.type));
    }
    expect(edges).toEqual(['socket.up', 'socket.down', 'socket.up', 'socket.down']);
  });

  it('groups: counts per group and group.up / group.down for link:api/0 and link:api/1', () => {
    const walk = new Walk().group('api', 2).add('link:api/0').add('link:api/1').add('link:feed');
    expect(walk.context.groups).toEqual({
      api: { peers: 2, ready: 0, escalated: 0, degraded: false, strategy: 'one-for-one', size: 2 },
    });
    expect(walk.context.peers).toBe(3);

    walk.ready('link:api/0');
    expect(walk.emitted()).toEqual([{ type: 'socket.up' }, { type: 'group.up', group: 'api' }]);
    expect(walk.context.groups).toEqual({
      api: { peers: 2, ready: 1, escalated: 0, degraded: false, strategy: 'one-for-one', size: 2 },
    });

    walk.ready('link:api/1');
    expect(walk.emitted()).toEqual([]);
    expect(walk.context.groups.api).toEqual({
      peers: 2,
      ready: 2,
      escalated: 0,
      degraded: false,
      strategy: 'one-for-one',
      size: 2,
    });

    walk.ready('link:feed');
    expect(walk.emitted()).toEqual([]);
    expect(walk.context.ready).toBe(3);

    walk.unready('link:api/1');
    expect(walk.emitted()).toEqual([]);
    walk.unready('link:api/0');
    expect(walk.emitted()).toEqual([{ type: 'group.down', group: 'api' }]);
    expect(walk.context.groups.api).toEqual({
      peers: 2,
      ready: 0,
      escalated: 0,
      degraded: false,
      strategy: 'one-for-one',
      size: 2,
    });
    expect(walk.context.ready).toBe(1);

    walk.unready('link:feed');
    expect(walk.emitted()).toEqual([{ type: 'socket.down' }]);

    // A group whose links are all gone is kept (more may start) until group.remove.
    walk.closed('link:api/0').closed('link:api/1');
    expect(walk.context.groups).toEqual({
      api: { peers: 0, ready: 0, escalated: 0, degraded: false, strategy: 'one-for-one', size: 2 },
    });
    walk.send({ type: 'group.remove', group: 'api' });
    expect(walk.context.groups).toEqual({});
  });

  it('group.up fires for a group even while another link keeps the socket up', () => {
    const walk = new Walk().group('api', 1).add('link:feed').add('link:api/0').ready('link:feed');
    walk.ready('link:api/0');
    expect(walk.emitted()).toEqual([{ type: 'group.up', group: 'api' }]);
  });
});

describe('socket chart: degraded / recovered edges (restart intensity)', () => {
  const escalated = (linkId: string): SocketEvent => ({ type: 'link.sick', linkId });
  const deescalated = (linkId: string): SocketEvent => ({ type: 'link.healed', linkId });

  it('degraded once MORE than degradedShare of the live links are escalated; recovered at or under it', () => {
    const walk = new Walk().add('link:a').add('link:b').add('link:c').add('link:d');
    walk.send(escalated('link:a')).send(escalated('link:b'));
    expect(walk.emitted()).toEqual([]);
    expect(walk.context.degraded).toBe(false);
    walk.send(escalated('link:c'));
    expect(walk.emitted()).toEqual([{ type: 'socket.degraded' }]);
    expect(walk.context).toMatchObject({ escalated: 3, degraded: true });
    walk.send(escalated('link:d'));
    expect(walk.emitted()).toEqual([]);
    walk.send(deescalated('link:d'));
    expect(walk.emitted()).toEqual([]);
    walk.send(deescalated('link:c'));
    expect(walk.emitted()).toEqual([{ type: 'socket.recovered' }]);
    expect(walk.context).toMatchObject({ escalated: 2, degraded: false });
  });

  it('a new healthy link can recover the share; a healthy link leaving can degrade it', () => {
    const walk = new Walk().add('link:a').send(escalated('link:a'));
    expect(walk.emitted()).toEqual([{ type: 'socket.degraded' }]);
    walk.add('link:b');
    expect(walk.emitted()).toEqual([{ type: 'socket.recovered' }]);
    walk.closed('link:b');
    expect(walk.emitted()).toEqual([{ type: 'socket.degraded' }]);
  });

  it('groups have their own edges, counted over their own links', () => {
    const walk = new Walk({ degradedShare: 0.25 })
      .group('api', 2)
      .add('link:api/0')
      .add('link:api/1')
      .add('link:feed');
    walk.add('link:x').add('link:y').add('link:z');
    walk.send(escalated('link:api/0'));
    expect(walk.emitted()).toEqual([{ type: 'group.degraded', group: 'api' }]);
    expect(walk.context.groups.api).toMatchObject({ escalated: 1, degraded: true });
    expect(walk.context.degraded).toBe(false);
    walk.send(deescalated('link:api/0'));
    expect(walk.emitted()).toEqual([{ type: 'group.recovered', group: 'api' }]);
  });

  it('a healthy link failing can degrade the socket too', () => {
    const walk = new Walk().add('link:a').add('link:b').send(escalated('link:a'));
    expect(walk.emitted()).toEqual([]);
    walk.send({
      type: 'link.failed',
      linkId: 'link:b',
      reason: { kind: 'http', status: 403, message: 'no' },
    });
    expect(walk.emitted()).toEqual([{ type: 'socket.degraded' }]);
  });

  it('each group keeps its own counts while others change', () => {
    const walk = new Walk()
      .group('api', 1)
      .group('db', 1)
      .add('link:api/0')
      .add('link:db/0')
      .ready('link:api/0');
    const plain = { escalated: 0, degraded: false, strategy: 'one-for-one', size: 1 };
    expect(walk.context.groups).toEqual({
      api: { peers: 1, ready: 1, ...plain },
      db: { peers: 1, ready: 0, ...plain },
    });
    walk.unready('link:api/0').closed('link:api/0').send({ type: 'group.remove', group: 'api' });
    expect(walk.context.groups).toEqual({ db: { peers: 1, ready: 0, ...plain } });
  });

  it('a terminating socket counts but emits no edge either', () => {
    const walk = new Walk().add('link:g/0').add('link:b').send(escalated('link:b')).ready('link:g/0');
    walk.send({ type: 'socket.terminate' });
    walk.unready('link:g/0');
    expect(walk.emitted()).toEqual([]);
    expect(walk.context.ready).toBe(0);
    walk.closed('link:g/0');
    expect(walk.emitted()).toEqual([]);
    expect(walk.context.degraded).toBe(true);
  });

  it('a closing socket counts but emits no edge', () => {
    const walk = new Walk().add('link:a').send(escalated('link:a')).send({ type: 'socket.close' });
    walk.closed('link:a');
    expect(walk.emitted()).toEqual([]);
    expect(walk.snapshot.value).toBe('closed');
  });
});
