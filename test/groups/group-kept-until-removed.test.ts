/**
 * The socket chart keeps a group (its strategy and size) until the group itself has ended, and a
 * single link never counts as a member (round 42):
 * - a big group starts in slices; every member of the first slice closed by the application before
 *   the rest started used to make the chart forget the group, and the rest ran as a one-for-one
 *   group of no size (a rest-for-one loss restarted nobody);
 * - `connect(url, { id: 'x/1' })` (a single link whose id looks like a member's) was counted in a
 *   group `x` that does not exist;
 * - the supervisor removes a group from the chart once every member has ended (`group.remove`):
 *   an id `g/0` is then a single link's.
 * The memory transport for the big group (a real ws server per member would be 600 sockets), real
 * ws servers on loopback for the rest; the chart's counts read from the supervisor's socket actor.
 */
import { describe, expect, it, vi } from 'vitest';
import { createSupervisor, type GroupRestart } from '../../src/index.js';
import { createMemoryNetwork } from '../../src/testing/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { socketOf } from '../model/socket-model-fixtures.js';

const MEMBERS = 600;

describe('a group kept until it is removed', () => {
  const h = useHarness();

  it(`a rest-for-one group of ${MEMBERS}: the first slice closed before the rest started, the rest keep the strategy`, {
    timeout: 60_000,
  }, async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const network = createMemoryNetwork();
    const server = network.listen('mem://svc');
    const supervisor = createSupervisor({ transport: network.transport, heartbeat: false, seed: 1 });
    try {
      const urls = Array.from({ length: MEMBERS }, () => 'mem://svc');
      const group = supervisor.connectGroup(urls, { id: 'big', strategy: 'rest-for-one' });
      const restarts: GroupRestart[] = [];
      group.on('restart', (restart) => restarts.push(restart));
      // The first turn on which some members started and others wait: close every started one.
      let closedFirst = 0;
      await new Promise<void>((resolve) => {
        const poll = () => {
          const started = group.links.filter((link) => link.attached);
          if (started.length === 0) return void setImmediate(poll);
          closedFirst = started.length;
          for (const link of started) void link.close();
          resolve();
        };
        setImmediate(poll);
      });
      expect(closedFirst, 'a slice started part of the group').toBeLessThan(MEMBERS);
      await waitFor(() => group.links.slice(closedFirst).every((link) => link.state === 'ready'), {
        timeoutMs: 50_000,
        intervalMs: 20,
        message: 'the members after the first slice ready',
      });
      expect(socketOf(supervisor).context.groups.big).toMatchObject({
        strategy: 'rest-for-one',
        size: MEMBERS,
        peers: MEMBERS - closedFirst,
      });
      // The second-to-last member lost: the last restarts with it.
      const lost = server.peers.at(-2);
      lost?.terminate();
      await waitFor(() => restarts.length === 1, { message: 'the group restarted the last member' });
      expect(restarts[0]).toMatchObject({ strategy: 'rest-for-one', members: [`link:big/${MEMBERS - 1}`] });
    } finally {
      await supervisor.close();
      warn.mockRestore();
    }
  });

  it("connect(url, { id: 'x/1' }) with no group x: counted in no group", async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    const link = supervisor.connect(server.url, { id: 'x/1' });
    await link.ready();
    const { peers, ready, groups } = socketOf(supervisor).context;
    expect({ peers, ready, groups }).toEqual({ peers: 1, ready: 1, groups: {} });
  });

  it('a group whose members all ended is removed from the chart; g/0 is then a single link', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    const group = supervisor.connectGroup([server.url, server.url], { id: 'g', strategy: 'one-for-all' });
    await group.ready();
    expect(socketOf(supervisor).context.groups.g).toMatchObject({ peers: 2, ready: 2, size: 2 });
    await group.close();
    await waitFor(() => socketOf(supervisor).context.groups.g === undefined, {
      message: 'group g removed from the chart',
    });
    expect(supervisor.status().groups).toEqual([]);
    await supervisor.connect(server.url, { id: 'g/0' }).ready();
    const { peers, ready, groups } = socketOf(supervisor).context;
    expect({ peers, ready, groups }).toEqual({ peers: 1, ready: 1, groups: {} });
  });
});
