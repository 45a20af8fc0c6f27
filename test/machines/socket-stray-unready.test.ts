/**
 * A stray `link.unready` (from a link the socket chart did not count ready, or a repeated one):
 * the chart keeps no per-peer record, so what it can tell is the counts. An unready that would take
 * the socket's ready count, or its group's, below zero was never counted: it is ignored (no count,
 * no edge), and the counts stay right for the links that follow (no socket.up missed, no
 * socket.down early). Pure: the socket chart run by an actor with no effects; no timer exists.
 */
import { describe, expect, it } from 'vitest';
import type { SocketEvent } from '../../machines/socket.machine.js';
import { socketWith } from './socket-step.js';

const ready = (linkId: string): SocketEvent => ({ type: 'link.ready', linkId, readyCount: 1 });
const unready = (linkId: string): SocketEvent => ({ type: 'link.unready', linkId });

describe('socket chart: a stray link.unready', () => {
  it('from a link not counted ready (none is) is ignored: ready stays 0, nothing emitted', () => {
    const { actor, step } = socketWith(['link:a', 'link:b']);
    const stray = step(unready('link:a'));
    expect(stray.context.ready).toBe(0);
    expect(stray.emitted).toEqual([]);
    // The next link ready is the first: socket.up.
    expect(step(ready('link:b')).emitted).toEqual(['socket.up']);
    actor.stop();
  });

  it('a repeated one neither takes the count below zero nor makes a later socket.down early', () => {
    const { actor, step } = socketWith(['link:a', 'link:b', 'link:c']);
    step(ready('link:a'));
    expect(step(unready('link:a')).emitted).toEqual(['socket.down']);
    expect(step(unready('link:a')).context.ready).toBe(0);
    expect(step(ready('link:b')).emitted).toEqual(['socket.up']);
    step(ready('link:c'));
    // One of two ready links leaves: the socket stays up.
    const one = step(unready('link:b'));
    expect(one.emitted).toEqual([]);
    expect(one.context.ready).toBe(1);
    expect(step(unready('link:c')).emitted).toEqual(['socket.down']);
    actor.stop();
  });

  it("a group member's not counted ready in its group is ignored (the group's count stays 0)", () => {
    const { actor, step } = socketWith(['link:a', 'link:g/0']);
    step(ready('link:a'));
    const stray = step(unready('link:g/0'));
    expect(stray.actions).toEqual(['countUnready']);
    expect(stray.emitted).toEqual([]);
    expect(stray.context.ready).toBe(1);
    expect(stray.context.groups.g?.ready).toBe(0);
    expect(step(ready('link:g/0')).emitted).toEqual(['group.up']);
    actor.stop();
  });

  it('while closing or terminating, one at ready 0 is ignored too', () => {
    for (const end of ['socket.close', 'socket.terminate'] as const) {
      const { actor, step } = socketWith(['link:a']);
      step({ type: end });
      const stray = step(unready('link:a'));
      expect(stray.context.ready).toBe(0);
      expect(stray.context.groups).toEqual({});
      actor.stop();
    }
  });
});
