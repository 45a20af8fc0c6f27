/**
 * A group whose members all fail (gave up, a fatal answer) said nothing: `up` never came, and
 * `down` is the last ready member's loss, so a group never up stayed silent while `group.ready()`
 * rejected LV_ERR_LINK_FAILED. Now it emits `failed` once ({ link, reason }: the first member that
 * failed), on the same condition; never when a member was closed by the application, nor when the
 * supervisor closes. Real `ws` and upgrade servers on loopback.
 */
import { describe, expect, it } from 'vitest';
import type { GroupFailed } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { BEHIND_HOST } from '../helpers/servers.js';

describe('group failed event', () => {
  const h = useHarness();

  it('every member gave up: `failed` once with the first failed member and its reason', async () => {
    const [a, b] = [(await h.keptPort()).port, (await h.keptPort()).port];
    const supervisor = h.supervisor({ ...FAST, backoff: { ...FAST.backoff, maxAttempts: 1 } });
    const group = supervisor.connectGroup([`ws://${BEHIND_HOST}:${a}`, `ws://${BEHIND_HOST}:${b}`], {
      id: 'g',
    });
    const heard: GroupFailed[] = [];
    const others: string[] = [];
    group.on('failed', (event) => heard.push(event));
    for (const name of ['up', 'down'] as const) group.on(name, () => others.push(name));
    await group.ready().catch(() => {});
    await Promise.all(group.links.map((link) => link.ended()));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(heard).toHaveLength(1);
    expect(heard[0]?.link).toMatch(/^link:g\/[01]$/);
    expect(heard[0]?.reason.kind).toBe('gave-up');
    expect(others).toEqual([]);
  });

  it('a one-for-all member fails fatally (HTTP 404): `failed` naming it, reason http', async () => {
    const good = await h.wsServer();
    const bad = await h.upgradeServer((_request, socket) => {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    });
    const supervisor = h.supervisor(FAST);
    const group = supervisor.connectGroup([good.url, bad.url], { id: 'pair', strategy: 'one-for-all' });
    const heard = new Promise<GroupFailed>((resolve) => group.on('failed', resolve));
    const got = await heard;
    expect(got.link).toBe('link:pair/1');
    expect(got.reason).toMatchObject({ kind: 'http', status: 404 });
  });

  it('one member closed by the application, the other gave up: no `failed` (as ready(): LV_ERR_LINK_CLOSED)', async () => {
    const server = await h.wsServer();
    const { port } = await h.keptPort();
    const supervisor = h.supervisor({ ...FAST, backoff: { ...FAST.backoff, maxAttempts: 1 } });
    const group = supervisor.connectGroup([server.url, `ws://${BEHIND_HOST}:${port}`], { id: 'g' });
    const heard: GroupFailed[] = [];
    group.on('failed', (event) => heard.push(event));
    await group.links[0]?.ready();
    await group.links[0]?.close();
    await Promise.all(group.links.map((link) => link.ended()));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(group.links.map((link) => link.state)).toEqual(['closed', 'failed']);
    expect(heard).toEqual([]);
  });

  it('the supervisor closed: no `failed`', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    const group = supervisor.connectGroup([server.url, server.url], { id: 'g' });
    const heard: GroupFailed[] = [];
    group.on('failed', (event) => heard.push(event));
    await group.ready();
    await supervisor.close();
    expect(heard).toEqual([]);
  });

  it('a `failed` listener that throws: LV_ERR_LISTENER on the group, the next listener hears it, ready() still says why', async () => {
    const { port } = await h.keptPort();
    const supervisor = h.supervisor({ ...FAST, backoff: { ...FAST.backoff, maxAttempts: 1 } });
    const group = supervisor.connectGroup([`ws://${BEHIND_HOST}:${port}`], { id: 'g' });
    const boom = new Error('listener bug');
    const errors: { code: string; cause?: unknown }[] = [];
    group.on('error', (error) => errors.push(error));
    group.on('failed', () => {
      throw boom;
    });
    const heard = new Promise<GroupFailed>((resolve) => group.on('failed', resolve));
    await expect(group.ready()).rejects.toMatchObject({ code: 'LV_ERR_LINK_FAILED' });
    expect((await heard).link).toBe('link:g/0');
    expect(errors).toMatchObject([{ code: 'LV_ERR_LISTENER', cause: boom }]);
    await expect(group.ready()).rejects.toMatchObject({ code: 'LV_ERR_LINK_FAILED' });
  });
});
