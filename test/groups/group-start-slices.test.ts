/**
 * A big group starts in slices, as links booked by a loop of `connect()` do (test/socket/scale.test.ts):
 * its members are no single batch holding the event loop for the whole group. The socket chart keeps
 * the group's strategy and size until the group has ended, however the slices cut it
 * (test/groups/group-kept-until-removed.test.ts). Counted in links started per turn of the event
 * loop (setImmediate), not in time; the memory transport.
 */
import { describe, expect, it, vi } from 'vitest';
import { createSupervisor } from '../../src/index.js';
import { createMemoryNetwork } from '../../src/testing/index.js';
import { watchStartsPerTurn } from '../helpers/starts-per-turn.js';
import { waitFor } from '../helpers/wait.js';

const MEMBERS = 4000;

describe('a group of many members', () => {
  it(`${MEMBERS} members start in slices, not all in one turn of the event loop`, {
    timeout: 120_000,
  }, async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const network = createMemoryNetwork();
    const server = network.listen('mem://svc');
    const supervisor = createSupervisor({ transport: network.transport, heartbeat: false, seed: 1 });
    try {
      const urls = Array.from({ length: MEMBERS }, () => 'mem://svc');
      const group = supervisor.connectGroup(urls, { id: 'big', strategy: 'rest-for-one' });
      const starts = watchStartsPerTurn(group.links);
      await waitFor(() => group.links.every((link) => link.state === 'ready'), {
        timeoutMs: 100_000,
        intervalMs: 50,
        message: `all ${MEMBERS} members ready`,
      });
      const most = starts.stop();
      expect(server.peers.length).toBe(MEMBERS);
      expect(group.up).toBe(true);
      expect(most, 'most members started in one turn of the loop').toBeLessThanOrEqual(MEMBERS / 4);
    } finally {
      await supervisor.close();
      warn.mockRestore();
    }
  });
});
