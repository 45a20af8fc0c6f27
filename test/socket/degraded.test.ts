/**
 * The supervisor's degraded / recovered edges (restart intensity at the socket level): when more
 * than `degradedShare` of the live links are escalated (and not stable again), the supervisor and
 * each group report `degraded` once, `recovered` once when the share falls back; status() and the
 * health report say so. Memory transport under the simulated clock; loops bounded in simulated time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSupervisor, healthReport, type Supervisor } from '../../src/index.js';
import { createMemoryNetwork, type MemoryServer, TestClock } from '../../src/testing/index.js';
import { closeOnClock, runClock as run } from '../helpers/clock-run.js';

const HOLD_MS = 6_000;

interface Rig {
  clock: TestClock;
  supervisor: Supervisor;
  /** Servers by URL, each flapping until `calm()`. */
  servers: Map<string, MemoryServer>;
  calm(url: string): void;
  edges: string[];
  timers: number[];
}

const rigs: Rig[] = [];

afterEach(async () => {
  for (const { supervisor, clock, timers } of rigs.splice(0)) {
    await closeOnClock(supervisor, clock);
    for (const timer of timers) clock.clearTimeout(timer);
    expect(clock.pending).toBe(0);
  }
});

/** A supervisor whose servers at `urls` accept, hold 6 s and drop, until calmed. */
function rig(urls: string[], degradedShare?: number): Rig {
  const clock = new TestClock();
  const network = createMemoryNetwork({ clock });
  const servers = new Map<string, MemoryServer>();
  const flapping = new Set(urls);
  const timers: number[] = [];
  for (const url of urls) {
    const server = network.listen(url);
    servers.set(url, server);
    server.onConnection((peer) => {
      if (flapping.has(url)) timers.push(clock.setTimeout(() => peer.terminate(), HOLD_MS));
    });
  }
  const supervisor = createSupervisor({
    transport: network.transport,
    clock,
    seed: 3,
    heartbeat: false,
    ...(degradedShare === undefined ? {} : { degradedShare }),
  });
  const edges: string[] = [];
  supervisor.on('degraded', () => edges.push(`degraded@${supervisor.status().degraded}`));
  supervisor.on('recovered', () => edges.push(`recovered@${supervisor.status().degraded}`));
  const r: Rig = { clock, supervisor, servers, calm: (url) => flapping.delete(url), edges, timers };
  rigs.push(r);
  return r;
}

describe('degraded / recovered', () => {
  it('one escalated link of one: degraded; stable again: recovered; status and health follow', async () => {
    const r = rig(['mem://a']);
    const link = r.supervisor.connect('mem://a', { id: 'a' });
    expect(r.supervisor.status().degraded).toBe(false);
    await run(r.clock, 5 * 60_000, () => r.supervisor.degraded);
    expect(r.edges).toEqual(['degraded@true']);
    expect(link.state).toBe('coolingDown');
    expect(healthReport(r.supervisor)).toMatchObject({ healthy: false, degraded: true });

    // The server stops flapping: after the cool-down the link is ready, still sick until stable.
    r.calm('mem://a');
    await run(r.clock, 5 * 60_000, () => link.state === 'ready');
    expect(r.supervisor.degraded).toBe(true);
    expect(healthReport(r.supervisor).healthy).toBe(false);
    expect(healthReport(r.supervisor, { allowDegraded: true }).healthy).toBe(true);
    await run(r.clock, 60_000, () => !r.supervisor.degraded);
    expect(r.edges).toEqual(['degraded@true', 'recovered@false']);
    expect(healthReport(r.supervisor)).toMatchObject({ healthy: true, degraded: false });
  });

  it('a minority of escalated links is not degraded (default share: more than half)', async () => {
    const r = rig(['mem://bad', 'mem://good']);
    r.calm('mem://good');
    const bad = r.supervisor.connect('mem://bad', { id: 'bad' });
    r.supervisor.connect('mem://good', { id: 'good' });
    await run(r.clock, 5 * 60_000, () => bad.state === 'coolingDown');
    expect(bad.state).toBe('coolingDown');
    expect(r.supervisor.degraded).toBe(false);
    expect(r.edges).toEqual([]);
  });

  it('a sick link that is closed counts no more', async () => {
    const r = rig(['mem://a', 'mem://b'], 0.4);
    r.calm('mem://b');
    const a = r.supervisor.connect('mem://a', { id: 'a' });
    r.supervisor.connect('mem://b', { id: 'b' });
    await run(r.clock, 5 * 60_000, () => r.supervisor.degraded);
    expect(r.edges).toEqual(['degraded@true']);
    await a.close();
    expect(r.edges).toEqual(['degraded@true', 'recovered@false']);
  });

  it('a group has its own edges and status', async () => {
    const r = rig(['mem://g0', 'mem://g1', 'mem://solo']);
    r.calm('mem://solo');
    r.supervisor.connect('mem://solo', { id: 'solo' });
    const group = r.supervisor.connectGroup(['mem://g0', 'mem://g1'], { id: 'svc' });
    const groupEdges: string[] = [];
    group.on('degraded', () => groupEdges.push('degraded'));
    group.on('recovered', () => groupEdges.push('recovered'));
    await run(r.clock, 10 * 60_000, () => group.degraded);
    expect(groupEdges).toEqual(['degraded']);
    expect(group.status().degraded).toBe(true);
    // Two of three links: the supervisor is degraded too.
    expect(r.supervisor.degraded).toBe(true);
  });

  it('bad degradedShare and allowDegraded name the option', () => {
    expect(() => createSupervisor({ degradedShare: 1 })).toThrow(/degradedShare/);
    expect(() => createSupervisor({ degradedShare: -0.1 })).toThrow(/degradedShare/);
    expect(() => createSupervisor({ degradedShare: Number.NaN })).toThrow(/degradedShare/);
  });
});
