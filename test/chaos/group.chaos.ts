/**
 * Group strategies against real `ws` servers on 127.0.0.1, real time, one server per member behind
 * a port the test keeps (../helpers/kept-port.ts), so the server can die and come back where the
 * member looks for it, and no other process can take the port in between:
 *
 * - one-for-all: one member's server dies for 1.5 s. The other members restart at once (each of
 *   their servers sees exactly one new connection, however many attempts the lost member makes
 *   against its dead server: failed attempts are not losses and restart nobody), the group is
 *   down until the server is back and every member is ready, then up once. Restart intensity is
 *   on (the defaults): the group restart is not counted against the restarted members.
 * - rest-for-one: the first member's server dies: the members after it restart, told in member
 *   order; the last member's server dies: nobody else restarts.
 */
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import type { GroupRestart, LinkGroup, Reason } from '../../src/index.js';
import { useHarness } from '../helpers/harness.js';
import { type KeptPort, keepPort } from '../helpers/kept-port.js';
import type { WsTestServer } from '../helpers/servers.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { figure } from './figures.js';
import { CHAOS } from './probes.js';

const OUTAGE_MS = 1_500;
const MEMBERS = 3;

/** The group's edges, restarts and every member's losses, in the order they happened. */
function watch(group: LinkGroup) {
  const log: string[] = [];
  const restarts: (GroupRestart & { at: number })[] = [];
  const losses: { id: string; reason: Reason; at: number }[] = [];
  const escalations: string[] = [];
  for (const link of group.links) {
    link.on('lost', ({ reason }) => {
      log.push(`lost ${link.id} ${reason.kind}`);
      losses.push({ id: link.id, reason, at: performance.now() });
    });
    link.on('escalated', () => escalations.push(link.id));
  }
  group.on('up', () => log.push('up'));
  group.on('down', () => log.push('down'));
  group.on('restart', (restart) => {
    log.push(`restart ${restart.cause}`);
    restarts.push({ ...restart, at: performance.now() });
  });
  return { log, restarts, losses, escalations };
}

const whole = (group: LinkGroup) => group.links.every((link) => link.state === 'ready');

describe('chaos: group strategies', () => {
  const h = useHarness();

  /** One server per member, each behind a kept port. */
  async function memberServers(): Promise<{ ports: KeptPort[]; servers: WsTestServer[] }> {
    const ports = await Promise.all(Array.from({ length: MEMBERS }, () => keepPort()));
    for (const port of ports) h.defer(() => port.stop());
    const servers = await Promise.all(ports.map((port) => h.wsServer(port.behind)));
    return { ports, servers };
  }

  /** Stops `servers[i]` and starts a new one behind its kept port after `ms`. */
  async function outage(ports: KeptPort[], servers: WsTestServer[], i: number, ms: number): Promise<void> {
    await (servers[i] as WsTestServer).stop();
    await sleep(ms);
    servers[i] = await h.wsServer((ports[i] as KeptPort).behind);
  }

  it("one-for-all: one member's server dies; every member restarts, once; the group is up again only when all are", async () => {
    const SCENARIO = `one-for-all, ${MEMBERS} members, one server down ${OUTAGE_MS} ms`;
    const { ports, servers } = await memberServers();
    // Restart intensity on (its defaults): a group restart must not escalate anyone.
    const { intensity: _off, ...chaos } = CHAOS;
    const supervisor = h.supervisor({ ...chaos, heartbeat: false, seed: 14 });
    const group = supervisor.connectGroup(
      ports.map((p) => p.url()),
      { id: 'session', strategy: 'one-for-all' },
    );
    const seen = watch(group);
    await group.ready();
    expect(whole(group)).toBe(true);
    const before = servers.map((s) => s.connections);
    const downAt = performance.now();
    const down = outage(ports, servers, 1, OUTAGE_MS);

    await waitFor(() => seen.restarts.length === 1, { timeoutMs: 5_000, message: 'the group restart' });
    expect(seen.restarts[0]).toMatchObject({
      strategy: 'one-for-all',
      cause: 'link:session/1',
      members: ['link:session/0', 'link:session/2'],
    });
    // The others are back on their own servers long before the dead one returns; the group is not.
    // Members and group.up are read in one poll: read apart, the dead member could come back (and
    // the group go up) between the two reads.
    const apart = await waitFor(
      () => {
        const [m0, m1, m2] = group.links.map((link) => link.state);
        return m0 === 'ready' && m2 === 'ready' ? { m1, up: group.up } : null;
      },
      { timeoutMs: 5_000, message: 'members 0 and 2 back' },
    );
    expect(apart.m1).not.toBe('ready');
    expect(apart.up).toBe(false);
    await down;
    await waitFor(() => whole(group) && group.up, { timeoutMs: 10_000, message: 'the whole group back' });
    const upAt = performance.now();
    await sleep(500); // room for a late restart or a second edge

    const fresh = servers.map((s, i) => s.connections - (i === 1 ? 0 : (before[i] ?? 0)));
    // Survivors: exactly one new connection each. The dead member's server (a new one on the same
    // port): exactly one connection, the member's reconnect.
    expect(fresh).toEqual([1, 1, 1]);
    expect(seen.restarts).toHaveLength(1);
    expect(seen.losses.map((l) => `${l.id} ${l.reason.kind}`).sort()).toEqual([
      'link:session/0 group',
      'link:session/1 close',
      'link:session/2 group',
    ]);
    expect(seen.log.filter((l) => l === 'up' || l === 'down')).toEqual(['up', 'down', 'up']);
    expect(seen.escalations).toEqual([]);
    const restartMs = Math.round((seen.restarts[0]?.at ?? 0) - downAt);
    figure(SCENARIO, 'group restart after the server died', `${restartMs} ms`, '< 5,000 ms');
    figure(
      SCENARIO,
      'group up again after the outage began',
      `${Math.round(upAt - downAt)} ms`,
      `> ${OUTAGE_MS} ms`,
    );
    figure(SCENARIO, 'new connections per surviving server', `${fresh[0]}, ${fresh[2]}`, '1, 1');
    figure(SCENARIO, 'group restarts', seen.restarts.length, '1');
    await supervisor.close();
  });

  it('rest-for-one: the members after the lost one restart in order; the last one restarts nobody', async () => {
    const SCENARIO = `rest-for-one, ${MEMBERS} members`;
    const { ports, servers } = await memberServers();
    const supervisor = h.supervisor({ ...CHAOS, heartbeat: false, seed: 15 });
    const group = supervisor.connectGroup(
      ports.map((p) => p.url()),
      { id: 'chain', strategy: 'rest-for-one' },
    );
    const seen = watch(group);
    await waitFor(() => whole(group), { timeoutMs: 5_000, message: 'all members ready' });

    // The first member's server dies: members 1 and 2 restart with it, in member order.
    const first = outage(ports, servers, 0, OUTAGE_MS);
    await waitFor(() => seen.restarts.length === 1, { timeoutMs: 5_000, message: 'the group restart' });
    await first;
    await waitFor(() => whole(group), { timeoutMs: 10_000, message: 'every member back' });
    expect(seen.restarts[0]?.members).toEqual(['link:chain/1', 'link:chain/2']);
    expect(seen.log.filter((l) => l.startsWith('lost'))).toEqual([
      'lost link:chain/0 close',
      'lost link:chain/1 group',
      'lost link:chain/2 group',
    ]);
    const afterFirst = servers.map((s) => s.connections);

    // The last member's server dies: only it reconnects.
    seen.log.length = 0;
    const last = outage(ports, servers, 2, OUTAGE_MS);
    await last;
    await waitFor(() => whole(group), { timeoutMs: 10_000, message: 'the last member back' });
    await sleep(300);
    expect(seen.restarts).toHaveLength(1);
    expect(seen.log.filter((l) => l.startsWith('lost'))).toEqual(['lost link:chain/2 close']);
    expect([servers[0]?.connections, servers[1]?.connections]).toEqual([afterFirst[0], afterFirst[1]]);
    figure(
      SCENARIO,
      'restarted with member 0',
      (seen.restarts[0]?.members ?? []).join(', '),
      'chain/1, chain/2',
    );
    figure(SCENARIO, 'restarted with the last member', 'none', 'none');
    await supervisor.close();
  });
});
