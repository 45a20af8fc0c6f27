/**
 * The supervisor against real `ws` servers on 127.0.0.1, port 0: first-up / last-down edges,
 * status, removing a link in backoff, close with drain, terminate mid-handshake, the reconnect
 * switch and groups of endpoints. Every test ends with nothing left open (the harness checks).
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import type { Link, Supervisor } from '../../src/index.js';
import { type EventLog, recordEvents } from '../helpers/events.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { captureBaseline, expectNoLeaks } from '../helpers/leaks.js';
import { BEHIND_HOST, OPCODE } from '../helpers/servers.js';
import { sleep, waitFor } from '../helpers/wait.js';

/** Longer than several retries of FAST's backoff (20 ms doubling to 150 ms): room for attempts. */
const QUIET_MS = 600;

/** Counts the supervisor's `up` and `down` edges, in order. */
function recordEdges(supervisor: Supervisor) {
  const edges: ('up' | 'down')[] = [];
  supervisor.on('up', () => edges.push('up'));
  supervisor.on('down', () => edges.push('down'));
  return {
    edges,
    count: (kind: 'up' | 'down') => edges.filter((e) => e === kind).length,
  };
}

describe('supervisor (real ws servers)', () => {
  const h = useHarness();

  it('three links, one server down: `up` fires exactly once; status() names the link that is not ready', async () => {
    const a = await h.wsServer();
    const b = await h.wsServer();
    const { port: downPort } = await h.keptPort();
    const supervisor = h.supervisor(FAST);
    const edges = recordEdges(supervisor);

    const la = supervisor.connect(a.url, { id: 'a' });
    const lb = supervisor.connect(b.url, { id: 'b' });
    const lc = supervisor.connect(`ws://${BEHIND_HOST}:${downPort}`, { id: 'c' });
    await supervisor.whenUp();
    await Promise.all([la.ready(), lb.ready()]);
    await waitFor(() => lc.status().lastError !== null, { message: 'link c saw its first failure' });
    await sleep(100); // room for a duplicate edge

    expect(edges.edges).toEqual(['up']);
    expect(supervisor.up).toBe(true);
    const status = supervisor.status();
    expect(status.up).toBe(true);
    expect(status.closed).toBe(false);
    const byId = Object.fromEntries(status.links.map((l) => [l.id, l]));
    expect(Object.keys(byId).sort()).toEqual(['link:a', 'link:b', 'link:c']);
    expect(byId['link:a']?.ready).toBe(true);
    expect(byId['link:b']?.ready).toBe(true);
    expect(byId['link:c']?.ready).toBe(false);
    expect(['connecting', 'reconnecting']).toContain(byId['link:c']?.state);
    expect(byId['link:c']?.lastError?.errorCode).toBe('ECONNREFUSED');
    expect(status.links.filter((l) => !l.ready).map((l) => l.id)).toEqual(['link:c']);
    // Status is plain data.
    expect(JSON.parse(JSON.stringify(status))).toEqual(status);
  });

  it('every server bounced: `down` exactly once, then `up` exactly once again', async () => {
    // Each server restarts on a kept port: no other process can take it in between.
    const [pa, pb] = [await h.keptPort(), await h.keptPort()];
    const a = await h.wsServer(pa.behind);
    const b = await h.wsServer(pb.behind);
    const supervisor = h.supervisor(FAST);
    const edges = recordEdges(supervisor);
    const la = supervisor.connect(pa.url(), { id: 'a' });
    const lb = supervisor.connect(pb.url(), { id: 'b' });
    await Promise.all([la.ready(), lb.ready()]);
    expect(edges.edges).toEqual(['up']);

    // Both servers go away (one after the other: the edge is the LAST ready link going down).
    await a.stop();
    await b.stop();
    await waitFor(() => edges.count('down') === 1, { message: 'the down edge' });
    await waitFor(() => la.state === 'reconnecting' && lb.state === 'reconnecting', {
      message: 'both links retrying',
    });
    expect(supervisor.up).toBe(false);

    // Both come back on the same ports.
    const a2 = await h.wsServer(pa.behind);
    const b2 = await h.wsServer(pb.behind);
    await Promise.all([la.ready(), lb.ready()]);
    await waitFor(() => a2.connections === 1 && b2.connections === 1, { message: 'both reconnected' });
    await sleep(100); // room for a duplicate edge

    expect(edges.edges).toEqual(['up', 'down', 'up']);
    expect(supervisor.up).toBe(true);
  });

  it('removing a link while it is in backoff: no later attempt, no handle left', async () => {
    // Nothing listens on the kept port yet (refused); a server comes there later.
    const kept = await h.keptPort();
    const supervisor = h.supervisor({
      ...FAST,
      backoff: { initialDelayMs: 200, maxDelayMs: 300, multiplier: 2, jitter: 'none' },
    });
    const baseline = captureBaseline();
    const link = supervisor.connect(kept.url(), { id: 'gone' });
    await waitFor(() => link.state === 'reconnecting', { message: 'the link waits for its retry' });

    await link.close();
    expect(link.state).toBe('closed');
    expect(supervisor.list()).toEqual([]);
    expect(supervisor.get('gone')).toBeUndefined();
    // The retry timer and the failed socket are gone with the link.
    await expectNoLeaks(baseline);

    // A server comes back on the port: nobody knocks.
    const server = await h.wsServer(kept.behind);
    await sleep(QUIET_MS);
    expect(server.upgrades).toBe(0);
    expect(server.connections).toBe(0);
  });

  it('close() drains: every message sent before it reaches slow servers within lingerMs', async () => {
    const count = 120;
    const body = 'x'.repeat(64 * 1024);
    const paused: Socket[] = [];
    const received = new Map<string, number[]>();
    const closeFrames = new Map<string, number>();
    const onConnection = (name: string) => (ws: WebSocket, request: IncomingMessage) => {
      // A slow reader: nothing is read until the test resumes the socket.
      paused.push(request.socket.pause());
      const got: number[] = [];
      received.set(name, got);
      ws.on('message', (data) => got.push(Number.parseInt(String(data).slice(0, 8), 10)));
      ws.on('close', () => closeFrames.set(name, got.length));
    };
    const a = await h.wsServer({ tapFrames: true, onConnection: onConnection('a') });
    const b = await h.wsServer({ tapFrames: true, onConnection: onConnection('b') });
    const supervisor = h.supervisor({ ...FAST, closeTimeoutMs: 15_000, lingerMs: 15_000 });
    const la = supervisor.connect(a.url, { id: 'a' });
    const lb = supervisor.connect(b.url, { id: 'b' });
    await Promise.all([la.ready(), lb.ready()]);
    await waitFor(() => paused.length === 2, { message: 'both servers accepted' });

    for (let i = 0; i < count; i++) {
      const data = `${String(i).padStart(8, '0')}${body}`;
      expect(la.send(data)).toBe('sent');
      expect(lb.send(data)).toBe('sent');
    }
    const closing = supervisor.close();
    expect(supervisor.status().closed).toBe(true);
    expect(() => supervisor.connect(a.url)).toThrow(
      expect.objectContaining({ code: 'LV_ERR_SUPERVISOR_CLOSED' }),
    );
    await sleep(200);
    // Still draining into servers that do not read.
    expect(la.state).toBe('closing');
    expect(lb.state).toBe('closing');
    for (const socket of paused) socket.resume();
    await closing;

    const all = Array.from({ length: count }, (_, i) => i);
    expect(received.get('a')).toEqual(all);
    expect(received.get('b')).toEqual(all);
    await waitFor(() => closeFrames.size === 2, { message: 'both servers saw the close' });
    expect(closeFrames.get('a')).toBe(count);
    expect(closeFrames.get('b')).toBe(count);
    for (const server of [a, b]) {
      const frames = [...server.frames.values()][0] ?? [];
      expect(frames.filter((f) => f.opcode === OPCODE.text)).toHaveLength(count);
      expect(frames.at(-1)?.opcode).toBe(OPCODE.close);
    }
    expect(la.state).toBe('closed');
    expect(lb.state).toBe('closed');
    expect(supervisor.list()).toEqual([]);
  });

  it('close() against a server that never reads: bounded by lingerMs, then everything is ended', async () => {
    const paused: Socket[] = [];
    const server = await h.wsServer({
      onConnection: (_ws, request) => {
        paused.push(request.socket.pause());
      },
    });
    // closeTimeoutMs far beyond lingerMs: only the linger can end the drain.
    const supervisor = h.supervisor({ ...FAST, closeTimeoutMs: 60_000, lingerMs: 300 });
    const link = supervisor.connect(server.url, { id: 'stuck' });
    await link.ready();
    const body = 'y'.repeat(64 * 1024);
    for (let i = 0; i < 160; i++) link.send(body);

    await supervisor.close();
    expect(supervisor.list()).toEqual([]);
    await link.ended();
    expect(() => link.send('late')).toThrow(expect.objectContaining({ code: 'LV_ERR_LINK_CLOSED' }));
    for (const socket of paused) socket.resume();
    await waitFor(() => server.clients.size === 0, { message: 'the server saw the socket end' });
  });

  it('terminate() mid-handshake: everything ends at once, no handle left', async () => {
    // A server that accepts the upgrade request and never answers it (the ws handshake hangs)...
    const stalled = await h.upgradeServer(() => {});
    // ...and one that completes the ws handshake, where the application handshake never ends.
    const server = await h.wsServer();
    const timeouts = { connectTimeoutMs: 60_000, handshakeTimeoutMs: 60_000, closeTimeoutMs: 60_000 };
    const supervisor = h.supervisor({ ...FAST, ...timeouts, lingerMs: 60_000 });
    const connecting = supervisor.connect(stalled.url, { id: 'upgrade' });
    const handshaking = supervisor.connect(server.url, {
      id: 'app',
      handshake: () => new Promise<void>(() => {}),
    });
    await waitFor(() => stalled.upgrades === 1 && server.connections === 1, {
      message: 'both handshakes under way',
    });
    await waitFor(() => handshaking.state === 'handshaking', { message: 'the app handshake started' });
    expect(connecting.state).toBe('connecting');

    // Ends well before any of the 60 s timeouts could have fired.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tooLate = new Promise<'too late'>((resolve) => {
      timer = setTimeout(() => resolve('too late'), 5_000);
    });
    const outcome = await Promise.race([supervisor.terminate().then(() => 'ended' as const), tooLate]);
    clearTimeout(timer);
    expect(outcome).toBe('ended');
    await Promise.all([connecting.ended(), handshaking.ended()]);
    expect(supervisor.list()).toEqual([]);
    await expect(connecting.ready()).rejects.toMatchObject({ code: 'LV_ERR_LINK_CLOSED' });
    expect(supervisor.status().closed).toBe(true);
    await waitFor(() => server.clients.size === 0, { message: 'the ws server saw the socket end' });
  });

  it('links ended by terminate() or by the linger report `closed` (state, status, one closed event)', async () => {
    const stalled = await h.upgradeServer(() => {});
    const paused: Socket[] = [];
    const slow = await h.wsServer({ onConnection: (_ws, request) => paused.push(request.socket.pause()) });
    const timeouts = { connectTimeoutMs: 60_000, closeTimeoutMs: 60_000 };

    // Ended by terminate() while connecting.
    const first = h.supervisor({ ...FAST, ...timeouts });
    const connecting = first.connect(stalled.url, { id: 'connecting' });
    const connectingLog = recordEvents(connecting);
    await waitFor(() => stalled.upgrades === 1, { message: 'the upgrade request arrived' });
    await first.terminate();

    // Ended by the linger while draining into a server that never reads.
    const second = h.supervisor({ ...FAST, ...timeouts, lingerMs: 200 });
    const draining = second.connect(slow.url, { id: 'draining' });
    const drainingLog = recordEvents(draining);
    await draining.ready();
    const body = 'z'.repeat(64 * 1024);
    for (let i = 0; i < 160; i++) draining.send(body);
    await second.close();
    for (const socket of paused) socket.resume();

    const ended: [Link, EventLog][] = [
      [connecting, connectingLog],
      [draining, drainingLog],
    ];
    const seen = ended.map(([link, log]) => ({
      id: link.id,
      state: link.state,
      status: link.status().state,
      lastStateEvent: log.states().at(-1),
      closedEvents: log.count('closed'),
    }));
    const closed = { state: 'closed', status: 'closed', lastStateEvent: 'closed', closedEvents: 1 };
    expect(seen).toEqual([
      { id: 'link:connecting', ...closed },
      { id: 'link:draining', ...closed },
    ]);
  });

  it('setReconnect(false): a dropped link waits in `suspended`, makes no attempt; setReconnect(true): it reconnects', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    const edges = recordEdges(supervisor);
    const link = supervisor.connect(server.url, { id: 'feed' });
    await link.ready();

    supervisor.setReconnect(false);
    expect(supervisor.status().reconnectEnabled).toBe(false);
    expect(link.state).toBe('ready'); // a ready link stays up
    for (const ws of server.clients) ws.terminate();
    await waitFor(() => link.state === 'suspended', { message: 'the link is suspended' });
    await sleep(QUIET_MS);
    expect(link.state).toBe('suspended');
    expect(server.upgrades).toBe(1);
    expect(edges.edges).toEqual(['up', 'down']);

    supervisor.setReconnect(true);
    expect(supervisor.status().reconnectEnabled).toBe(true);
    await link.ready();
    expect(server.connections).toBe(2);
    expect(edges.edges).toEqual(['up', 'down', 'up']);
  });

  it('setReconnect(false) holds a link already waiting for its retry', async () => {
    const kept = await h.keptPort();
    const supervisor = h.supervisor({
      ...FAST,
      backoff: { initialDelayMs: 100, maxDelayMs: 200, multiplier: 2, jitter: 'none' },
    });
    const link = supervisor.connect(kept.url(), { id: 'later' });
    await waitFor(() => link.state === 'reconnecting', { message: 'the link waits for its retry' });
    supervisor.setReconnect(false);
    expect(link.state).toBe('suspended');

    const server = await h.wsServer(kept.behind);
    await sleep(QUIET_MS);
    expect(server.upgrades).toBe(0);
    supervisor.setReconnect(true);
    await link.ready();
    expect(server.connections).toBe(1);
  });

  it('connectGroup with one endpoint down: group `up` once, pick() returns the live link', async () => {
    const live = await h.wsServer();
    const { port: downPort } = await h.keptPort();
    const supervisor = h.supervisor(FAST);
    const group = supervisor.connectGroup([`ws://${BEHIND_HOST}:${downPort}`, live.url], { id: 'api' });
    const groupEdges: string[] = [];
    group.on('up', () => groupEdges.push('up'));
    group.on('down', () => groupEdges.push('down'));
    expect(group.links.map((l) => l.id)).toEqual(['link:api/0', 'link:api/1']);

    const picked = await group.ready();
    expect(picked.id).toBe('link:api/1');
    await waitFor(() => group.links[0]?.status().lastError !== null, { message: 'the dead endpoint failed' });
    await sleep(100); // room for a duplicate edge

    expect(groupEdges).toEqual(['up']);
    expect(group.pick()).toBe(group.links[1]);
    expect(group.up).toBe(true);
    const status = group.status();
    expect(status.up).toBe(true);
    expect(status.links.map((l) => [l.id, l.ready])).toEqual([
      ['link:api/0', false],
      ['link:api/1', true],
    ]);
    expect(supervisor.get('api/1')).toBe(group.links[1]);

    // The live endpoint drops: the group goes down once.
    for (const ws of live.clients) ws.terminate();
    await waitFor(() => groupEdges.length === 2, { message: 'the group down edge' });
    expect(groupEdges).toEqual(['up', 'down']);
    expect(group.pick()).toBeUndefined();
    await group.close();
    expect(supervisor.list()).toEqual([]);
  });
});
