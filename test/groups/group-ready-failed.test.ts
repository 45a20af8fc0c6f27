/**
 * `group.ready()` once its members have failed (gave up, or a fatal answer) rejects
 * LV_ERR_LINK_FAILED, the first failed member's own (its failure named, as its cause), as its
 * `link.ready()` does; before, it
 * rejected LV_ERR_LINK_CLOSED ("every link has ended"), the code docs/errors.md keeps for a link
 * that was closed. A group whose members were closed still rejects LV_ERR_LINK_CLOSED. Real `ws`
 * and upgrade servers on loopback.
 */
import { describe, expect, it } from 'vitest';
import type { LinkvisorError } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { BEHIND_HOST } from '../helpers/servers.js';

const outcome = (wait: Promise<unknown>) =>
  wait.then(
    () => ({ code: 'resolved', message: '', cause: undefined as unknown }),
    (error: LinkvisorError) => ({ code: error.code, message: error.message, cause: error.cause }),
  );

describe('group.ready() when its members failed', () => {
  const h = useHarness();

  it('every member gave up: the first failed member LV_ERR_LINK_FAILED, its failure as cause', async () => {
    const [a, b] = [(await h.keptPort()).port, (await h.keptPort()).port];
    const supervisor = h.supervisor({ ...FAST, backoff: { ...FAST.backoff, maxAttempts: 1 } });
    const group = supervisor.connectGroup([`ws://${BEHIND_HOST}:${a}`, `ws://${BEHIND_HOST}:${b}`], {
      id: 'g',
    });
    const got = await outcome(group.ready());
    expect(group.links.map((link) => link.state)).toEqual(['failed', 'failed']);
    expect(got.code).toBe('LV_ERR_LINK_FAILED');
    expect(got.message).toMatch(/^link link:g\/[01] failed: .+/);
    expect((got.cause as { kind?: string } | undefined)?.kind).toBe('gave-up');
    // A call made afterwards says the same at once.
    expect((await outcome(group.ready())).code).toBe('LV_ERR_LINK_FAILED');
  });

  it('a one-for-all member fails fatally (HTTP 404) while the other is ready: LV_ERR_LINK_FAILED', async () => {
    const good = await h.wsServer();
    const bad = await h.upgradeServer((_request, socket) => {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    });
    const supervisor = h.supervisor(FAST);
    const group = supervisor.connectGroup([good.url, bad.url], { id: 'pair', strategy: 'one-for-all' });
    const got = await outcome(group.ready());
    expect(group.links[1]?.state).toBe('failed');
    expect(got.code).toBe('LV_ERR_LINK_FAILED');
    expect(got.message).toMatch(/^link link:pair\/1 failed: .+/);
  });

  it('one member closed by the application, the other gave up: LV_ERR_LINK_CLOSED', async () => {
    const server = await h.wsServer();
    const { port } = await h.keptPort();
    const supervisor = h.supervisor({ ...FAST, backoff: { ...FAST.backoff, maxAttempts: 1 } });
    const group = supervisor.connectGroup([server.url, `ws://${BEHIND_HOST}:${port}`], { id: 'g' });
    await group.links[0]?.ready();
    await group.links[0]?.close();
    const got = await outcome(group.ready());
    expect(group.links.map((link) => link.state)).toEqual(['closed', 'failed']);
    expect(got).toMatchObject({ code: 'LV_ERR_LINK_CLOSED', message: 'group g: every link has ended' });
  });

  it('members closed by the application: still LV_ERR_LINK_CLOSED', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    const group = supervisor.connectGroup([server.url, server.url], { id: 'g' });
    await group.ready();
    await group.close();
    const got = await outcome(group.ready());
    expect(got).toMatchObject({ code: 'LV_ERR_LINK_CLOSED', message: 'group g: every link has ended' });
  });
});
