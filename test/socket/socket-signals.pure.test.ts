/**
 * What the socket chart tells every link: the reconnect switch (reconnect.disable / enable) and
 * the network signals (offline, online, wake).
 * Pure: `initialTransition` / `transition` through `Walk` (socket-walk.ts); no actor runs and no timer exists.
 */
import { describe, expect, it } from 'vitest';
import { Walk } from './socket-walk.js';

describe('socket chart: reconnect flag', () => {
  it('reconnect.disable / reconnect.enable set the flag and tell every peer', () => {
    const walk = new Walk().add('link:a');
    walk.send({ type: 'reconnect.disable' });
    expect(walk.context.reconnectEnabled).toBe(false);
    expect(walk.effects()).toEqual([{ type: 'tellPeers', params: { event: { type: 'reconnect.disable' } } }]);

    walk.send({ type: 'reconnect.enable' });
    expect(walk.context.reconnectEnabled).toBe(true);
    expect(walk.effects()).toEqual([{ type: 'tellPeers', params: { event: { type: 'reconnect.enable' } } }]);
  });
});

describe('socket chart: network signals', () => {
  const told = (walk: Walk) =>
    walk
      .effects()
      .filter((e) => e.type === 'tellPeers')
      .map((e) => (e.params as { event: { type: string } }).event.type);

  it('offline: links stop attempting and ready ones are checked; online: waiting links rejoin', () => {
    const walk = new Walk().add('link:a');
    walk.send({ type: 'network.offline' });
    expect(walk.context.online).toBe(false);
    expect(told(walk)).toEqual(['reconnect.disable', 'heartbeat.overdue']);
    walk.send({ type: 'network.online' });
    expect(walk.context.online).toBe(true);
    expect(told(walk)).toEqual(['network.online', 'heartbeat.overdue']);
    walk.send({ type: 'network.wake' });
    expect(told(walk)).toEqual(['network.online', 'heartbeat.overdue']);
  });

  it('the reconnect switch keeps its word: no rejoin while off; enabling while offline tells no link', () => {
    const walk = new Walk().add('link:a');
    walk.send({ type: 'reconnect.disable' }).send({ type: 'network.online' });
    expect(told(walk)).toEqual(['heartbeat.overdue']);
    walk.send({ type: 'network.offline' }).send({ type: 'reconnect.enable' });
    expect(walk.context.reconnectEnabled).toBe(true);
    expect(told(walk)).toEqual([]);
    walk.send({ type: 'network.online' });
    expect(told(walk)).toEqual(['network.online', 'heartbeat.overdue']);
  });
});
