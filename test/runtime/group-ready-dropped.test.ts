/**
 * `group.ready()` waiting while the group's `up` edge is delivered, after an earlier `up` listener
 * has ended its only member (`supervisor.terminate()`): it rejects (LV_ERR_LINK_CLOSED, every link
 * ended) instead of resolving; and one whose member is dropped by an earlier listener and comes
 * back resolves with the member once it is ready again. Before, it resolved with `undefined` (typed
 * `Link`): the edge is delivered after the step that made it, and `pick()` found no ready link by
 * then. Real `ws` server on loopback.
 */
import { describe, expect, it } from 'vitest';
import type { LinkvisorError } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';

describe('group.ready() when the member is gone by the time `up` is delivered', () => {
  const h = useHarness();

  it('an earlier up listener ends the member: ready() rejects, never resolves undefined', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    const group = supervisor.connectGroup([server.url], { id: 'g' });
    const [member] = group.links;
    const seen: string[] = [];
    group.on('up', () => {
      void supervisor.terminate();
      seen.push(`up:${member?.state}`);
    });
    const outcome = await group.ready().then(
      (link) => ({ resolved: link?.id ?? 'undefined' }),
      (error: unknown) => ({ rejected: (error as LinkvisorError).code }),
    );
    expect(seen).toEqual(['up:closed']);
    expect(outcome).toEqual({ rejected: 'LV_ERR_LINK_CLOSED' });
    expect(group.pick()).toBeUndefined();
  });

  it('an earlier up listener drops the member, which comes back: ready() resolves with it, ready', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    const group = supervisor.connectGroup([server.url], { id: 'g' });
    let first = true;
    group.on('up', () => {
      if (!first) return;
      first = false;
      // Offline: the ready member is dropped at once (no reconnect while offline).
      supervisor.signal('offline');
      setTimeout(() => supervisor.signal('online'), 20);
    });
    const link = await group.ready();
    expect(link).toBeDefined();
    expect(link.state).toBe('ready');
    expect(first).toBe(false);
  });
});
