/**
 * A group's end and a new group of the same name (round 42 review): the supervisor removes the
 * group from its map and from the socket chart (`group.remove`) in one call, once every member has
 * ended. A group whose members are all closed before any started ends the same way; the name is
 * free again once the last member's close() has resolved, and the new group is counted afresh
 * (its own strategy and size, counts from zero), with nothing reported as an error. While the last
 * member's end is being delivered (its `state` listener), the group still lives: the name is
 * taken (LV_ERR_DUPLICATE_ID), as docs/links.md says of a live group. Memory transport, simulated clock.
 */
import { expect, it } from 'vitest';
import { createSupervisor, type LinkvisorError } from '../../src/index.js';
import { createMemoryNetwork, TestClock } from '../../src/testing/index.js';
import { socketOf } from '../model/socket-model-fixtures.js';

function start() {
  const clock = new TestClock();
  const network = createMemoryNetwork({ clock });
  network.listen('mem://svc');
  const supervisor = createSupervisor({ transport: network.transport, clock, heartbeat: false, seed: 2 });
  const errors: unknown[] = [];
  supervisor.on('error', (error) => errors.push(error));
  return { clock, supervisor, errors };
}

it('every member closed before any started: the group is removed, its name then a fresh group', async () => {
  const { clock, supervisor, errors } = start();
  const group = supervisor.connectGroup(['mem://svc', 'mem://svc'], { id: 'g', strategy: 'one-for-all' });
  expect(group.links.some((link) => link.attached)).toBe(false);
  await Promise.all(group.links.map((link) => link.close()));
  expect(socketOf(supervisor).context.groups).toEqual({});
  expect(supervisor.status().groups).toEqual([]);
  const again = supervisor.connectGroup(['mem://svc'], { id: 'g' });
  await clock.advance(100);
  expect(again.up).toBe(true);
  expect(socketOf(supervisor).context).toMatchObject({
    peers: 1,
    ready: 1,
    groups: { g: { peers: 1, ready: 1, escalated: 0, strategy: 'one-for-one', size: 1 } },
  });
  expect(errors).toEqual([]);
  await supervisor.close();
  expect(socketOf(supervisor).status).toBe('done');
});

it("the last member's end: the name taken while it is delivered, free once close() resolved", async () => {
  const { clock, supervisor, errors } = start();
  const group = supervisor.connectGroup(['mem://svc', 'mem://svc'], { id: 'g', strategy: 'rest-for-one' });
  await clock.advance(100);
  await group.links[0]?.close();
  const last = group.links[1];
  let inListener: string | undefined;
  last?.on('state', ({ to }) => {
    if (to !== 'closed') return;
    try {
      supervisor.connectGroup(['mem://svc'], { id: 'g' });
    } catch (error) {
      inListener = (error as LinkvisorError).code;
    }
  });
  await last?.close();
  expect(inListener).toBe('LV_ERR_DUPLICATE_ID');
  const again = supervisor.connectGroup(['mem://svc', 'mem://svc'], { id: 'g' });
  await clock.advance(100);
  expect(again.up).toBe(true);
  expect(socketOf(supervisor).context.groups).toEqual({
    g: { peers: 2, ready: 2, escalated: 0, degraded: false, strategy: 'one-for-one', size: 2 },
  });
  expect(errors).toEqual([]);
  await supervisor.close();
});
