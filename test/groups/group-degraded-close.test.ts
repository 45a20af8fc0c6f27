/**
 * A degraded group (more than `degradedShare` of its members escalated) whose supervisor closes
 * or terminates: once its members have ended, `group.degraded` and `group.status().degraded` read
 * false, as `supervisor.degraded` does (no link is escalated any more). Before, they kept reading
 * true for good: the group's flag changes only on an edge, and a closing supervisor's links leave
 * without edges. `group.close()` on an open supervisor recovers through the edge, as before.
 * Real `ws` servers on loopback (one drops every connection 5 ms after it opens).
 */
import { describe, expect, it } from 'vitest';
import { FAST, useHarness } from '../helpers/harness.js';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a degraded group after its supervisor closed', () => {
  const h = useHarness();

  for (const how of ['close', 'terminate', 'group.close'] as const) {
    it(`${how}(): degraded reads false once its members have ended`, async () => {
      const flapping = await h.wsServer({ onConnection: (ws) => setTimeout(() => ws.terminate(), 5) });
      const steady = await h.wsServer();
      const supervisor = h.supervisor({
        ...FAST,
        degradedShare: 0.4,
        // biome-ignore lint/suspicious/noThenProperty: the option is named `then`
        intensity: { maxRestarts: 1, withinMs: 60_000, then: 'cool-down' },
      });
      const group = supervisor.connectGroup([flapping.url, steady.url], { id: 'g' });
      const edges: string[] = [];
      group.on('degraded', () => edges.push('degraded'));
      group.on('recovered', () => edges.push('recovered'));
      const deadline = Date.now() + 5_000;
      while (!group.degraded && Date.now() < deadline) await wait(10);
      expect([group.degraded, supervisor.degraded]).toEqual([true, true]);
      if (how === 'close') await supervisor.close();
      else if (how === 'terminate') await supervisor.terminate();
      else await group.close();
      expect(group.links.map((link) => link.state)).toEqual(['closed', 'closed']);
      expect([group.degraded, group.status().degraded, supervisor.degraded]).toEqual([false, false, false]);
      // Edges only while the supervisor is open (a closing one's links leave on purpose).
      expect(edges).toEqual(how === 'group.close' ? ['degraded', 'recovered'] : ['degraded']);
    });
  }
});
