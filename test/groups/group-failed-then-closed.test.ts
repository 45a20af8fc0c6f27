/**
 * A group that failed (its `failed` event; `group.ready()` rejecting the failed member's
 * LV_ERR_LINK_FAILED), then a member closed by the application (cleaning up): later `group.ready()`
 * calls rejected LV_ERR_LINK_CLOSED, as if the group had ended by a close. A user expects the
 * group's verdict to stand: it failed, and why does not change when the application closes what is
 * left. A member closed before the group failed still makes it LV_ERR_LINK_CLOSED (and no
 * `failed`: group-failed-event.test.ts). Real `ws` and upgrade servers on loopback.
 */
import { describe, expect, it } from 'vitest';
import type { GroupFailed, LinkvisorError } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';

describe('group failed, then a member closed by the application', () => {
  const h = useHarness();

  it('one-for-all: ready() still rejects the failed member’s LV_ERR_LINK_FAILED after the other is closed', async () => {
    const good = await h.wsServer();
    const bad = await h.upgradeServer((_request, socket) => {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    });
    const supervisor = h.supervisor(FAST);
    const group = supervisor.connectGroup([good.url, bad.url], { id: 'pair', strategy: 'one-for-all' });
    const failed = await new Promise<GroupFailed>((resolve) => group.on('failed', resolve));
    expect(failed.link).toBe('link:pair/1');
    const before = (await group.ready().catch((e) => e)) as LinkvisorError;
    expect(before.code).toBe('LV_ERR_LINK_FAILED');
    await group.links[0]?.close();
    expect(group.links.map((link) => link.state)).toEqual(['closed', 'failed']);
    const after = (await group.ready().catch((e) => e)) as LinkvisorError;
    expect(after.code).toBe('LV_ERR_LINK_FAILED');
    expect(after.message).toBe(before.message);
  });
});
