/**
 * The socket chart's close and terminate: closing with its linger, terminating, closed and final,
 * no down edge while closing.
 * Pure: `initialTransition` / `transition` through `Walk` (socket-walk.ts); no actor runs and no timer exists.
 */
import { describe, expect, it } from 'vitest';
import { LINGER_DEFAULT_MS } from '../../machines/policy/timeouts.js';
import type { SocketEvent } from '../../machines/socket.machine.js';
import { peerInput, Walk } from './socket-walk.js';

describe('socket chart: close and terminate', () => {
  it('socket.close → closing with tellPeers link.close; each link.closed counts down; the last → closed', () => {
    const walk = new Walk({ lingerMs: 2_500 }).add('link:a').add('link:b').ready('link:a');
    walk.send({ type: 'socket.close' });
    expect(walk.snapshot.value).toBe('closing');
    expect(walk.effects()).toEqual([{ type: 'tellPeers', params: { event: { type: 'link.close' } } }]);

    walk.closed('link:a');
    expect(walk.snapshot.value).toBe('closing');
    expect(walk.context.peers).toBe(1);
    expect(walk.effects()).toEqual([]);

    walk.closed('link:b');
    expect(walk.snapshot.value).toBe('closed');
    expect(walk.snapshot.status).toBe('done');
    expect(walk.effects()).toEqual([]);
    expect(walk.cancelled()).toEqual(['xstate.after.linger.socket.closing']);
  });

  it('closing with peers left schedules the `linger` delay equal to lingerMs', () => {
    const walk = new Walk({ lingerMs: 4_321 }).add('link:a');
    walk.send({ type: 'socket.close' });
    expect(walk.scheduled()).toEqual([{ name: 'linger', delay: 4_321 }]);

    const defaults = new Walk().add('link:a').send({ type: 'socket.close' });
    expect(defaults.scheduled()).toEqual([{ name: 'linger', delay: LINGER_DEFAULT_MS }]);
  });

  it('the linger timer ends the rest: closing → terminating (link.terminate to every link) → closed', () => {
    const walk = new Walk({ lingerMs: 100 }).add('link:a').send({ type: 'socket.close' });
    walk.send({ type: 'xstate.after.linger.socket.closing' } as unknown as SocketEvent);
    expect(walk.snapshot.value).toBe('terminating');
    expect(walk.effects()).toEqual([{ type: 'tellPeers', params: { event: { type: 'link.terminate' } } }]);
    walk.closed('link:a');
    expect(walk.snapshot.value).toBe('closed');
  });

  it('socket.close with no peers goes straight to closed', () => {
    const walk = new Walk().send({ type: 'socket.close' });
    expect(walk.snapshot.value).toBe('closed');
    expect(walk.effects()).toEqual([{ type: 'tellPeers', params: { event: { type: 'link.close' } } }]);
  });

  it('socket.terminate → terminating (link.terminate to every link) → closed, from open and from closing', () => {
    const open = new Walk().add('link:a').ready('link:a').send({ type: 'socket.terminate' });
    expect(open.snapshot.value).toBe('terminating');
    expect(open.effects()).toEqual([{ type: 'tellPeers', params: { event: { type: 'link.terminate' } } }]);
    open.unready('link:a');
    open.closed('link:a');
    expect(open.snapshot.value).toBe('closed');
    expect(open.emitted()).toEqual([]);

    const closing = new Walk()
      .add('link:a')
      .send({ type: 'socket.close' })
      .send({ type: 'socket.terminate' });
    expect(closing.snapshot.value).toBe('terminating');
    expect(closing.effects()).toEqual([{ type: 'tellPeers', params: { event: { type: 'link.terminate' } } }]);
    expect(closing.cancelled()).toEqual(['xstate.after.linger.socket.closing']);
    closing.closed('link:a');
    expect(closing.snapshot.value).toBe('closed');
  });

  it('no down edge while closing: the last ready link leaving ready emits nothing', () => {
    const walk = new Walk().add('link:a').add('link:api/0').ready('link:a').ready('link:api/0');
    walk.send({ type: 'socket.close' });
    walk.unready('link:a');
    expect(walk.emitted()).toEqual([]);
    walk.unready('link:api/0');
    expect(walk.emitted()).toEqual([]);
    expect(walk.context.ready).toBe(0);
    // Nor an up edge.
    walk.ready('link:a');
    expect(walk.emitted()).toEqual([]);
  });

  it('closing ignores peer.add and reconnect toggles; socket.close is idempotent', () => {
    const walk = new Walk().add('link:a').send({ type: 'socket.close' });
    walk.add('link:b');
    expect(walk.effects()).toEqual([]);
    expect(walk.context.peers).toBe(1);
    walk.send({ type: 'reconnect.disable' });
    expect(walk.effects()).toEqual([]);
    expect(walk.context.reconnectEnabled).toBe(true);
    walk.send({ type: 'socket.close' });
    expect(walk.actions).toEqual([]);
    expect(walk.snapshot.value).toBe('closing');
  });

  it('closed is final: nothing further happens', () => {
    const walk = new Walk().add('link:a').send({ type: 'socket.terminate' });
    walk.closed('link:a');
    expect(walk.snapshot.value).toBe('closed');
    for (const event of [
      { type: 'socket.close' },
      { type: 'socket.terminate' },
      { type: 'peer.add', inputs: [peerInput('link:z')] },
      { type: 'link.ready', linkId: 'link:a', readyCount: 1 },
    ] as SocketEvent[]) {
      walk.send(event);
      expect(walk.actions).toEqual([]);
      expect(walk.snapshot.value).toBe('closed');
    }
  });
});
