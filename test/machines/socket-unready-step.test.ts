/**
 * The socket chart's `link.unready` of a single link while others stay ready (every drop of a mass
 * drop but the last, BENCHMARKS.md Round 35 (storm)): one plain named assign of the ready count,
 * not the counting `enqueueActions` (an enqueue object, the five counts copied, the group lookups,
 * then the assign), with the same counts and nothing emitted. The socket's last ready link and
 * every group member's still take `countUnready` (socket.down on 1 → 0, group.down).
 * Pure: the socket chart run by an actor with no effects; no timer exists.
 */
import { describe, expect, it } from 'vitest';
import type { SocketEvent } from '../../machines/socket.machine.js';
import { socketWith } from './socket-step.js';

const unready = (linkId: string): SocketEvent => ({ type: 'link.unready', linkId });

describe('socket chart: link.unready', () => {
  it("a single link's while others stay ready is the plain assign countOneLessReady: ready − 1, nothing emitted", () => {
    const { actor, step } = socketWith(['link:a', 'link:b', 'link:c'], { ready: true });
    const before = actor.getSnapshot().context;
    const first = step(unready('link:a'));
    expect(first.actions).toEqual(['countOneLessReady']);
    expect(first.emitted).toEqual([]);
    expect(first.context).toEqual({ ...before, ready: 2 });
    // The groups object is the same one: nothing about the groups was copied.
    expect(first.context.groups).toBe(before.groups);
    expect(step(unready('link:b')).actions).toEqual(['countOneLessReady']);
    // The last ready link's crosses the edge: countUnready, socket.down.
    const last = step(unready('link:c'));
    expect(last.actions).toEqual(['countUnready']);
    expect(last.emitted).toEqual(['socket.down']);
    expect(last.context.ready).toBe(0);
    actor.stop();
  });

  it("a group member's is always counted by countUnready (group.down may follow)", () => {
    const { actor, step } = socketWith(['link:a', 'link:g/0', 'link:g/1'], { ready: true });
    // The group (no group.add: up while any member is ready) stays up with one member ready.
    const member = step(unready('link:g/0'));
    expect(member.actions).toEqual(['countUnready']);
    expect(member.emitted).toEqual([]);
    expect(member.context.groups.g?.ready).toBe(1);
    expect(member.context.ready).toBe(2);
    const lastMember = step(unready('link:g/1'));
    expect(lastMember.actions).toEqual(['countUnready']);
    expect(lastMember.emitted).toEqual(['group.down']);
    expect(lastMember.context.groups.g?.ready).toBe(0);
    const last = step(unready('link:a'));
    expect(last.actions).toEqual(['countUnready']);
    expect(last.emitted).toEqual(['socket.down']);
    actor.stop();
  });
});
