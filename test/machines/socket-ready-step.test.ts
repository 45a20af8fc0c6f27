/**
 * The socket chart's `link.ready` of a single link while others are ready (most of a fleet's opens,
 * BENCHMARKS.md Round 31 (open)): one plain named assign of the ready count, not the counting
 * `enqueueActions` (an enqueue object, the five counts copied, the group lookups, then the assign),
 * with the same counts and nothing emitted. The first ready link of the socket and every group
 * member's still take `countReady` (socket.up on 0 → 1, group.up).
 * Pure: the socket chart run by an actor with no effects; no timer exists.
 */
import { describe, expect, it } from 'vitest';
import type { SocketEvent } from '../../machines/socket.machine.js';
import { socketWith } from './socket-step.js';

const ready = (linkId: string): SocketEvent => ({ type: 'link.ready', linkId, readyCount: 1 });

describe('socket chart: link.ready', () => {
  it("a single link's while others are ready is the plain assign countOneMoreReady: ready + 1, nothing emitted", () => {
    const { actor, step } = socketWith(['link:a', 'link:b', 'link:c']);
    const first = step(ready('link:a'));
    expect(first.actions).toEqual(['countReady']);
    expect(first.emitted).toEqual(['socket.up']);
    const before = actor.getSnapshot().context;
    const second = step(ready('link:b'));
    expect(second.actions).toEqual(['countOneMoreReady']);
    expect(second.emitted).toEqual([]);
    expect(second.context).toEqual({ ...before, ready: 2 });
    // The groups object is the same one: nothing about the groups was copied.
    expect(second.context.groups).toBe(before.groups);
    expect(step(ready('link:c')).context.ready).toBe(3);
    actor.stop();
  });

  it("a group member's is always counted by countReady (group.up may follow), the socket's first too", () => {
    const { actor, step } = socketWith(['link:a', 'link:g/0', 'link:g/1']);
    expect(step(ready('link:a')).actions).toEqual(['countReady']);
    const member = step(ready('link:g/0'));
    expect(member.actions).toEqual(['countReady']);
    expect(member.emitted).toEqual(['group.up']);
    expect(member.context.groups.g?.ready).toBe(1);
    expect(step(ready('link:g/1')).context.groups.g?.ready).toBe(2);
    // Down to none ready, the next single link's is the socket's first again: socket.up.
    for (const linkId of ['link:a', 'link:g/0', 'link:g/1']) step({ type: 'link.unready', linkId });
    const again = step(ready('link:a'));
    expect(again.actions).toEqual(['countReady']);
    expect(again.emitted).toEqual(['socket.up']);
    actor.stop();
  });
});
