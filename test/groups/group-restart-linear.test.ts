/**
 * `restarted()` looked up each member named by the socket chart with a scan of the group's links:
 * O(n²) in the group's size for a one-for-all restart of n members. Now one map look-up per member.
 * Pinned by count, not by time: the reads of the members' `id` while the group handles a restart
 * grow at most linearly (a scan read n·(n−1)/2 of them). Real `ws` servers on loopback.
 */
import { describe, expect, it } from 'vitest';
import type { GroupRestart, LinkGroup } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

describe('group restart: linear in the group size', () => {
  const h = useHarness();

  /** Reads of the members' `id` during one restart of a one-for-all group of `size` members. */
  async function idReadsOfRestart(size: number): Promise<number> {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    const group: LinkGroup = supervisor.connectGroup(
      Array.from({ length: size }, (_, i) => `${server.url}?member=${i}`),
      { id: `g${size}`, strategy: 'one-for-all' },
    );
    await waitFor(() => group.links.every((link) => link.state === 'ready'), { message: 'all ready' });
    let reads = 0;
    let counting = false;
    for (const link of group.links) {
      const id = link.id;
      Object.defineProperty(link, 'id', {
        get: () => {
          if (counting) reads++;
          return id;
        },
      });
    }
    const restart = new Promise<GroupRestart>((resolve) =>
      group.on('restart', (event) => {
        counting = false;
        resolve(event);
      }),
    );
    counting = true;
    const first = [...server.clients][0];
    first?.terminate();
    const event = await restart;
    expect(event.members).toHaveLength(size - 1);
    await supervisor.close();
    return reads;
  }

  it('a restart of 64 members reads their ids a linear number of times (a scan: over 2,000)', async () => {
    const reads = await idReadsOfRestart(64);
    expect(reads).toBeLessThanOrEqual(4 * 64);
  });
});
