/**
 * Group strategies against real `ws` servers on 127.0.0.1, port 0 (one server per member, so a
 * test can drop exactly one member): one-for-all restarts every other member when one is lost
 * and is up only while all are ready; rest-for-one restarts the members after the lost one, in
 * order; a member restarted by its group restarts nobody; bad strategies are refused. Every test
 * ends with nothing left open (the harness checks).
 */
import { describe, expect, it } from 'vitest';
import type { GroupRestart, GroupStrategy, LinkGroup, Reason } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import type { WsTestServer } from '../helpers/servers.js';
import { sleep, waitFor } from '../helpers/wait.js';

/** Every link event of interest across a group, in the order they happened. */
function groupLog(group: LinkGroup) {
  const log: string[] = [];
  const restarts: GroupRestart[] = [];
  const reasons = new Map<string, Reason[]>();
  for (const link of group.links) {
    link.on('lost', ({ reason }) => {
      log.push(`lost ${link.id} ${reason.kind}`);
      reasons.set(link.id, [...(reasons.get(link.id) ?? []), reason]);
    });
    link.on('ready', () => log.push(`ready ${link.id}`));
  }
  group.on('up', () => log.push('group up'));
  group.on('down', () => log.push('group down'));
  group.on('restart', (restart) => {
    log.push(`group restart ${restart.cause} -> ${restart.members.join(',')}`);
    restarts.push(restart);
  });
  return { log, restarts, reasons };
}

/** Drops member `server`'s live sockets (the server stays up: the member reconnects). */
function drop(server: WsTestServer): void {
  for (const ws of server.clients) ws.terminate();
}

const allReady = (group: LinkGroup) => group.links.every((link) => link.state === 'ready');

describe('group strategies (real ws servers)', () => {
  const h = useHarness();

  async function servers(n: number): Promise<WsTestServer[]> {
    return Promise.all(Array.from({ length: n }, () => h.wsServer()));
  }

  /** `n` servers and a group of `n` members, one on each. */
  async function start(n: number, id: string, strategy?: GroupStrategy) {
    const s = await servers(n);
    const supervisor = h.supervisor(FAST);
    const group = supervisor.connectGroup(
      s.map((x) => x.url),
      { id, ...(strategy ? { strategy } : {}) },
    );
    return { s, supervisor, group };
  }

  it('one-for-all: one member lost → every other member restarts (lost with reason kind group, a new socket each); up only while all are ready', async () => {
    const { s, supervisor, group } = await start(3, 'pair', 'one-for-all');
    expect(group.strategy).toBe('one-for-all');
    const { log, restarts, reasons } = groupLog(group);
    const first = await group.ready();
    expect(first.id).toBe('link:pair/0');
    expect(allReady(group)).toBe(true);
    expect(log.filter((l) => l.startsWith('group'))).toEqual(['group up']);
    expect(group.status()).toMatchObject({ id: 'pair', strategy: 'one-for-all', up: true });
    expect(supervisor.status().groups).toEqual([
      { id: 'pair', strategy: 'one-for-all', up: true, degraded: false },
    ]);

    drop(s[1] as WsTestServer);
    await waitFor(() => log.filter((l) => l === 'group up').length === 2 && allReady(group), {
      message: 'the group restarted and is whole again',
    });
    expect(restarts).toEqual([
      { strategy: 'one-for-all', cause: 'link:pair/1', members: ['link:pair/0', 'link:pair/2'] },
    ]);
    for (const id of ['link:pair/0', 'link:pair/2']) {
      expect(reasons.get(id)).toEqual([
        {
          kind: 'group',
          cause: 'link:pair/1',
          message: 'restarted with group pair: link:pair/1 was lost',
        },
      ]);
    }
    expect(reasons.get('link:pair/1')?.map((r) => r.kind)).toEqual(['close']);
    // Each server saw exactly one new connection: the restart closed the old socket and opened one.
    expect(s.map((x) => x.connections)).toEqual([2, 2, 2]);
    // A server learns of a socket the client terminated a few loop turns later, on its own
    // schedule: no ordering against the new socket's open is promised, so settle on a deadline.
    await waitFor(() => s.every((x) => x.clients.size <= 1), { message: 'the old sockets closed' });
    expect(s.map((x) => x.clients.size)).toEqual([1, 1, 1]);
    // The group went down once (when the first member left ready) and up once (all back).
    expect(log.filter((l) => l.startsWith('group')).slice(1)).toEqual([
      'group down',
      'group restart link:pair/1 -> link:pair/0,link:pair/2',
      'group up',
    ]);
    // The restarted members attempted at once: no backoff wait, and it did not count as a restart
    // of their own (the lost member's own loss is what the intensity counts).
    await sleep(200); // room for a second restart
    expect(restarts).toHaveLength(1);
    expect(s.map((x) => x.connections)).toEqual([2, 2, 2]);
    await supervisor.close();
  });

  it('one-for-all: ready() waits for every member; a member that is down keeps the group down', async () => {
    const [a, b] = await servers(2);
    const supervisor = h.supervisor(FAST);
    // b refuses nothing but is stopped before the group connects: member 1 cannot be ready.
    await (b as WsTestServer).stop();
    const group = supervisor.connectGroup([(a as WsTestServer).url, (b as WsTestServer).url], {
      id: 'g',
      strategy: 'one-for-all',
    });
    let resolved = false;
    void group.ready().then(
      () => (resolved = true),
      () => {},
    );
    await waitFor(() => group.links[0]?.state === 'ready', { message: 'member 0 ready' });
    await sleep(150);
    expect(group.up).toBe(false);
    expect(group.pick()?.id).toBe('link:g/0');
    expect(resolved).toBe(false);
    // A member of a one-for-all group that ends: the group can never be whole, ready() rejects.
    const pending = group.ready();
    await group.links[1]?.close();
    await expect(pending).rejects.toMatchObject({ code: 'LV_ERR_LINK_CLOSED' });
    await supervisor.close();
  });

  it('rest-for-one: the members after the lost one restart with it, in order; the ones before do not', async () => {
    const { s, supervisor, group } = await start(3, 'chain', 'rest-for-one');
    const { log, restarts } = groupLog(group);
    await waitFor(() => allReady(group), { message: 'all members ready' });

    // The middle member: only the last restarts.
    drop(s[1] as WsTestServer);
    await waitFor(() => restarts.length === 1 && allReady(group) && s[2]?.connections === 2, {
      message: 'members 1 and 2 back',
    });
    expect(restarts[0]).toEqual({
      strategy: 'rest-for-one',
      cause: 'link:chain/1',
      members: ['link:chain/2'],
    });
    expect(s.map((x) => x.connections)).toEqual([1, 2, 2]);

    // The last member: nobody after it, no group restart.
    drop(s[2] as WsTestServer);
    await waitFor(() => s[2]?.connections === 3 && allReady(group), { message: 'member 2 back' });
    await sleep(100);
    expect(restarts).toHaveLength(1);
    expect(s.map((x) => x.connections)).toEqual([1, 2, 3]);

    // The first member: the rest restart with it, told in member order.
    log.length = 0;
    drop(s[0] as WsTestServer);
    await waitFor(() => restarts.length === 2 && allReady(group) && s[2]?.connections === 4, {
      message: 'every member back',
    });
    expect(restarts[1]?.members).toEqual(['link:chain/1', 'link:chain/2']);
    expect(log.filter((l) => l.startsWith('lost'))).toEqual([
      'lost link:chain/0 close',
      'lost link:chain/1 group',
      'lost link:chain/2 group',
    ]);
    expect(s.map((x) => x.connections)).toEqual([2, 3, 4]);
    await supervisor.close();
  });

  it('one-for-all: members lost together restart at most once each (a group restart restarts nobody)', async () => {
    const { s, supervisor, group } = await start(3, 'all', 'one-for-all');
    const { log, restarts } = groupLog(group);
    await waitFor(() => allReady(group), { message: 'all members ready' });
    for (const server of s) drop(server);
    // Every member reports its loss (its own or its group's) before it can be ready again: right
    // after the drop the links still read ready, so waiting on allReady alone returned at once.
    const lost = (id: string) => log.some((l) => l.startsWith(`lost ${id} `));
    await waitFor(() => group.links.every((link) => lost(link.id)) && allReady(group), {
      message: 'all members lost and back',
    });
    await sleep(300); // room for a storm
    // Each genuine loss restarts at most the members still ready when it is reported.
    expect(restarts.length).toBeGreaterThanOrEqual(1);
    expect(restarts.length).toBeLessThanOrEqual(3);
    for (const server of s) expect(server.connections).toBeLessThanOrEqual(3);
    expect(allReady(group)).toBe(true);
    await supervisor.close();
  });

  it('one-for-one (the default) restarts nobody', async () => {
    const { s, supervisor, group } = await start(2, 'solo');
    expect(group.strategy).toBe('one-for-one');
    const { restarts } = groupLog(group);
    await waitFor(() => allReady(group), { message: 'all members ready' });
    drop(s[0] as WsTestServer);
    await waitFor(() => s[0]?.connections === 2 && allReady(group), { message: 'member 0 back' });
    await sleep(100);
    expect(restarts).toEqual([]);
    expect(s[1]?.connections).toBe(1);
    await supervisor.close();
  });

  it('a bad strategy is refused with LV_ERR_INVALID_OPTION naming the option; nothing is created', () => {
    const supervisor = h.supervisor(FAST);
    for (const strategy of ['one_for_all', 'ONE-FOR-ALL', 1, null, {}]) {
      let error: unknown;
      try {
        supervisor.connectGroup(['ws://127.0.0.1:1'], { id: 'bad', strategy: strategy as never });
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ code: 'LV_ERR_INVALID_OPTION', option: 'strategy' });
      expect((error as Error).message).toMatch(
        /^strategy: must be 'one-for-one', 'one-for-all', 'rest-for-one'/,
      );
    }
    expect(supervisor.list()).toEqual([]);
    // The id is still free.
    const group = supervisor.connectGroup(['ws://127.0.0.1:1'], { id: 'bad', autoConnect: false });
    expect(group.links).toHaveLength(1);
  });
});
