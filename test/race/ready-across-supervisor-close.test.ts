/**
 * `link.ready()` and `group.ready()` after `supervisor.close()` / `terminate()`: the supervisor is
 * closed from that call on and tells its links a microtask later (docs/supervisor.md), so a ready
 * link still reads `ready` in between. A ready() made there rejects LV_ERR_LINK_CLOSED (the link
 * is being closed: docs/links.md, "rejects if it fails or is closed first"), as whenUp() rejects
 * LV_ERR_SUPERVISOR_CLOSED (./when-up-after-close.test.ts). Before, both resolved. Real ws server
 * on 127.0.0.1 port 0; every promise settles (5 s bound), nothing escapes, nothing is left.
 */
import { describe, expect, it } from 'vitest';
import { FAST, useHarness } from '../helpers/harness.js';
import { settled } from '../helpers/settled.js';
import { useStrayErrors } from '../helpers/stray-errors.js';

describe('ready() across supervisor.close()', () => {
  const h = useHarness();
  const stray = useStrayErrors({ exceptions: true });

  for (const how of ['close', 'terminate'] as const) {
    it(`${how}() then link.ready() and group.ready() in the same job: both reject`, async () => {
      const server = await h.wsServer();
      const supervisor = h.supervisor(FAST);
      const link = supervisor.connect(server.url);
      const group = supervisor.connectGroup([server.url, server.url], { id: 'g' });
      await link.ready();
      await group.ready();
      const closing = supervisor[how]();
      // close() tells the links a microtask later (terminate() at once).
      expect(link.state).toBe(how === 'close' ? 'ready' : 'closed');
      const ready = settled(link.ready());
      const groupReady = settled(group.ready());
      expect((await ready).outcome).toBe('LV_ERR_LINK_CLOSED');
      expect((await groupReady).outcome).toBe('LV_ERR_LINK_CLOSED');
      expect((await settled(closing)).outcome).toBe('resolved');
      expect([link, ...group.links].map((l) => l.state)).toEqual(['closed', 'closed', 'closed']);
      expect(stray).toEqual([]);
    });
  }

  it("close() in a link's ready listener: a ready() made there rejects", async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    const link = supervisor.connect(server.url);
    const calls: Promise<{ outcome: string }>[] = [];
    link.on('ready', () => {
      if (calls.length === 0) calls.push(settled(supervisor.close()), settled(link.ready()));
    });
    await link.ended();
    const [closed, ready] = await Promise.all(calls);
    expect(closed?.outcome).toBe('resolved');
    expect(ready?.outcome).toBe('LV_ERR_LINK_CLOSED');
    expect(stray).toEqual([]);
  });
});
