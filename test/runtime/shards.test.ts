/**
 * A supervisor's links in shards (machines/shard.machine.ts, round 10): links are created with a
 * shard as their XState parent, LINKS_PER_SHARD to a shard, sharing its system (the supervisor's
 * clock and inspection observers); a full shard whose links have all ended is over, and close()
 * leaves no shard running. Structural assertions, no timing bounds.
 */
import { describe, expect, it } from 'vitest';
import type { AnyActorRef, InspectionEvent } from 'xstate';
import { LINKS_PER_SHARD } from '../../machines/policy/shard.js';
import { createSupervisor } from '../../src/index.js';
import { createMemoryNetwork, TestClock } from '../../src/testing/index.js';

const machineOf = (ref: AnyActorRef) => (ref as unknown as { logic?: { id?: string } }).logic?.id;
const parentOf = (ref: AnyActorRef) => (ref as unknown as { _parent?: AnyActorRef })._parent;

function world() {
  const clock = new TestClock();
  const network = createMemoryNetwork({ clock, inProcess: true });
  network.listen('mem://svc');
  const shards: AnyActorRef[] = [];
  const inspected = new Set<AnyActorRef>();
  const supervisor = createSupervisor({
    transport: network.transport,
    clock,
    heartbeat: false,
    inspect: (event: InspectionEvent) => {
      if (event.type !== '@xstate.actor') return;
      inspected.add(event.actorRef as AnyActorRef);
      if (machineOf(event.actorRef as AnyActorRef) === 'shard') shards.push(event.actorRef as AnyActorRef);
    },
  });
  return { clock, supervisor, shards, inspected };
}

describe('shards of links', () => {
  it('puts LINKS_PER_SHARD links in a shard, then opens the next; the inspector sees every link', async () => {
    const { clock, supervisor, shards, inspected } = world();
    const links = Array.from({ length: LINKS_PER_SHARD + 2 }, () => supervisor.connect('mem://svc'));
    await Promise.all(links.map((link) => link.ready()));
    expect(shards).toHaveLength(2);
    const [first, second] = shards as [AnyActorRef, AnyActorRef];
    expect(links.filter((link) => parentOf(link.actor) === first)).toHaveLength(LINKS_PER_SHARD);
    expect(links.filter((link) => parentOf(link.actor) === second)).toHaveLength(2);
    // One system a shard: the shard's clock and observers.
    expect(links.every((link) => link.actor.system === parentOf(link.actor)?.system)).toBe(true);
    expect(links.every((link) => inspected.has(link.actor))).toBe(true);
    // Not XState children: nothing copied per link.
    expect(first.getSnapshot().children).toEqual({});
    await clock.advance(0);
    await supervisor.close();
  });

  it('ends a full shard when its last link ends; close() stops the one with room left', async () => {
    const { supervisor, shards } = world();
    const links = Array.from({ length: LINKS_PER_SHARD + 1 }, () => supervisor.connect('mem://svc'));
    await Promise.all(links.map((link) => link.ready()));
    const [first, second] = shards as [AnyActorRef, AnyActorRef];
    await Promise.all(links.slice(0, LINKS_PER_SHARD - 1).map((link) => link.close()));
    expect(first.getSnapshot().status).toBe('active');
    await links[LINKS_PER_SHARD - 1]?.close();
    expect(first.getSnapshot().status).toBe('done');
    expect(second.getSnapshot().status).toBe('active');
    await supervisor.close();
    expect(second.getSnapshot().status).toBe('stopped');
  });

  it('a shard that still has room takes the next links after its links ended', async () => {
    const { supervisor, shards } = world();
    await supervisor.connect('mem://svc').ready();
    await supervisor.list()[0]?.close();
    await supervisor.connect('mem://svc').ready();
    expect(shards).toHaveLength(1);
    expect(shards[0]?.getSnapshot().context).toMatchObject({ joined: 2, live: 1 });
    await supervisor.close();
  });
});
