/**
 * `createInspector()`: inspection events of a real supervisor become one record per actor
 * (socket, links, watchers; not a watcher's probe) and a timeline of state changes
 * with the reason, attempt and next delay of a reconnect; one chart per machine; bounded memory;
 * late attachment when the supervisor was created without it.
 */
import { describe, expect, it } from 'vitest';
import { createInspector, startInspector } from '../../src/inspector/index.js';
import { readableEvent } from '../../src/inspector/inspected-actor.js';
import { createMemoryNetwork } from '../../src/testing/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { connectPage } from './page-client.js';

const h = useHarness();

describe('createInspector', () => {
  it('tracks machine actors as a tree and records a reconnect with its reason, attempt and delay', async () => {
    // The server restarts on a kept port: no other process can take it in between.
    const kept = await h.keptPort();
    let ws = await h.wsServer(kept.behind);
    const inspector = createInspector();
    const supervisor = h.supervisor({ ...FAST, inspect: inspector.inspect });
    const link = supervisor.connect(ws.url, { id: 'feed' });
    supervisor.watch({ name: 'db', probe: async () => {}, pollIntervalMs: 60_000 });
    supervisor.watch({ name: 'cache', probe: async () => {}, pollIntervalMs: 60_000 });
    await link.ready();
    const actors = inspector.actors();
    expect(actors.map((a) => a.id).sort()).toEqual(['link:feed', 'socket', 'watcher:cache', 'watcher:db']);
    expect(actors.find((a) => a.id === 'link:feed')).toMatchObject({
      machine: 'connection',
      group: 'links',
      parent: 'socket',
      state: 'ready',
      status: 'active',
    });
    expect(actors.find((a) => a.id === 'link:feed')?.active).toEqual(
      expect.arrayContaining(['attempt', 'attempt.ready']),
    );
    // One chart per machine: the two watchers share theirs.
    expect(
      inspector
        .charts()
        .map((c) => c.key)
        .sort(),
    ).toEqual(['connection', 'socket', 'watcher']);

    await ws.stop();
    await waitFor(() => inspector.records().some((r) => r.actor === 'link:feed' && r.to === 'reconnecting'), {
      message: 'a reconnecting record',
    });
    const lost = inspector.records().find((r) => r.actor === 'link:feed' && r.to === 'reconnecting');
    expect(lost).toMatchObject({ event: 'transport.closed', attempt: 1, nextDelayMs: 20 });
    expect(lost?.from).toMatch(/^attempt\.ready/);
    expect(lost?.reason).toMatch(/closed with code 1006/);
    ws = await h.wsServer(kept.behind);
    await waitFor(() => link.status().readyCount === 2, { message: 'ready again' });
    const events = inspector
      .records()
      .filter((r) => r.actor === 'link:feed')
      .map((r) => r.event);
    expect(events[0]).toBe('start');
    expect(events).toContain('after reconnectDelay');
    const seqs = inspector.records().map((r) => r.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('keeps a bounded timeline and a bounded number of ended actors', async () => {
    const ws = await h.wsServer();
    const inspector = createInspector({ maxRecordsPerActor: 3, maxEndedActors: 1 });
    const supervisor = h.supervisor({ ...FAST, inspect: inspector.inspect });
    for (const id of ['a', 'b', 'c']) {
      const link = supervisor.connect(ws.url, { id });
      await link.ready();
      link.actor.send({ type: 'link.reconnect' });
      await waitFor(() => link.status().readyCount === 2, { message: `${id} reconnected` });
      await link.close();
    }
    const links = inspector.actors().filter((a) => a.group === 'links');
    expect(links.map((a) => a.id)).toEqual(['link:c']);
    expect(links[0]?.status).toBe('done');
    expect(inspector.records().filter((r) => r.actor === 'link:c')).toHaveLength(3);
  });

  it('keeps at most maxRecords records in all, dropping the oldest of any actor first', async () => {
    const network = createMemoryNetwork();
    const server = network.listen('mem://cap');
    const inspector = createInspector({ maxRecords: 30, maxRecordsPerActor: 20 });
    const supervisor = h.supervisor({
      transport: network.transport,
      inspect: inspector.inspect,
      heartbeat: false,
      backoff: { initialDelayMs: 1, maxDelayMs: 2, jitter: 'none' },
    });
    const links = Array.from({ length: 10 }, (_, i) => supervisor.connect('mem://cap', { id: `c${i}` }));
    for (let round = 1; round <= 4; round++) {
      await waitFor(() => links.every((link) => link.status().readyCount === round), {
        message: `round ${round}`,
      });
      if (round < 4) server.dropAll(1006);
    }
    const records = inspector.records();
    expect(records.length).toBe(30);
    // The newest 30 of all, each actor's still in order and its newest kept.
    const all = records.map((r) => r.seq);
    expect(all).toEqual([...all].sort((a, b) => a - b));
    for (const link of links) {
      const own = inspector.recordsOf(link.actor.id);
      expect(own.every((r, i) => i === 0 || r.seq > (own[i - 1]?.seq ?? 0))).toBe(true);
    }
    // The newest record of all is kept: the last link back to ready.
    expect(records.at(-1)?.to).toMatch(/^attempt\.ready/);
  });

  it('attaches late to what startInspector can see when it was not given the collector', async () => {
    const ws = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    const link = supervisor.connect(ws.url, { id: 'late' });
    supervisor.watch({ name: 'db', probe: async () => {}, pollIntervalMs: 60_000 });
    await link.ready();
    const server = await startInspector(supervisor, { statusIntervalMs: 20 });
    h.defer(() => server.close());
    const page = await connectPage(server.url);
    h.defer(() => page.close());
    const hello = await page.next('hello');
    expect(hello.server.lateAttach).toBe(true);
    expect(hello.actors.map((a) => a.id).sort()).toEqual(['link:late', 'socket', 'watcher:db']);
    const later = supervisor.connect(ws.url, { id: 'later' });
    await later.ready();
    await page.nextActor((a) => a.id === 'link:later' && a.state === 'ready');
    page.select('link:later');
    await waitFor(() => page.details().some((d) => d.actor.id === 'link:later'), { message: 'followed' });
    later.actor.send({ type: 'link.reconnect' });
    await page.nextRecord((r) => r.actor === 'link:later' && r.event === 'link.reconnect');
  });

  it('a collector given that follows no supervisor is attached late, with a warning, and left to its owner on close', async () => {
    const ws = await h.wsServer();
    const supervisor = h.supervisor(FAST); // no inspect: the collector below never saw it
    const link = supervisor.connect(ws.url, { id: 'stray' });
    await link.ready();
    const inspector = createInspector();
    const warnings: string[] = [];
    const server = await startInspector(supervisor, {
      inspector,
      statusIntervalMs: 20,
      warn: (message) => warnings.push(message),
    });
    const page = await connectPage(server.url);
    h.defer(() => page.close());
    const hello = await page.next('hello');
    expect(hello.server.lateAttach).toBe(true);
    // Not an empty page: the link and its socket are there.
    expect(hello.actors.map((a) => a.id).sort()).toEqual(['link:stray', 'socket']);
    expect(warnings).toEqual([
      expect.stringMatching(/collector given follows no supervisor.*createSupervisor\(\{ inspect \}\)/),
    ]);
    // The collector is the application's: close() leaves its listeners in place.
    const updates: unknown[] = [];
    inspector.subscribe((update) => updates.push(update));
    await page.close();
    await server.close();
    link.actor.send({ type: 'link.reconnect' });
    await waitFor(() => updates.length > 0, { message: 'the collector still tells its own listener' });
    inspector.dispose();
  });

  it('a collector given that follows its supervisor is used as it is: no warning, no late attaching', async () => {
    const ws = await h.wsServer();
    const inspector = createInspector();
    const supervisor = h.supervisor({ ...FAST, inspect: inspector.inspect });
    await supervisor.connect(ws.url, { id: 'own' }).ready();
    const warnings: string[] = [];
    const server = await startInspector(supervisor, { inspector, warn: (message) => warnings.push(message) });
    h.defer(() => server.close());
    const page = await connectPage(server.url);
    h.defer(() => page.close());
    const hello = await page.next('hello');
    expect(hello.server.lateAttach).toBe(false);
    expect(hello.actors.map((a) => a.id).sort()).toEqual(['link:own', 'socket']);
    expect(warnings).toEqual([]);
  });

  it("records the socket's edges in its timeline: first up, last down, the reconnect switch", async () => {
    // The server restarts on a kept port: no other process can take it in between.
    const kept = await h.keptPort();
    let ws = await h.wsServer(kept.behind);
    const inspector = createInspector();
    const supervisor = h.supervisor({ ...FAST, inspect: inspector.inspect });
    const a = supervisor.connect(ws.url, { id: 'a' });
    const b = supervisor.connect(ws.url, { id: 'b' });
    await Promise.all([a.ready(), b.ready()]);
    await ws.stop();
    await waitFor(() => inspector.recordsOf('socket').some((r) => r.event === 'socket.down'), {
      message: 'socket.down',
    });
    supervisor.setReconnect(false);
    supervisor.setReconnect(true);
    ws = await h.wsServer(kept.behind);
    await waitFor(() => inspector.recordsOf('socket').filter((r) => r.event === 'socket.up').length === 2, {
      message: 'socket.up again',
    });
    const edges = inspector
      .recordsOf('socket')
      .filter((r) => r.event !== 'start')
      .map((r) => r.event);
    expect(edges).toEqual(['socket.up', 'socket.down', 'reconnect.disable', 'reconnect.enable', 'socket.up']);
    const down = inspector.recordsOf('socket').find((r) => r.event === 'socket.down');
    expect(down).toMatchObject({ from: 'open', to: 'open', note: 'last link down (0 of 2 ready)' });
    expect(inspector.recordsOf('socket')[1]?.note).toBe('first link ready (1 of 2 ready)');
  });

  it("records a one-for-all group's edges (all members ready) and its restart, with the strategy", async () => {
    const a = await h.wsServer();
    const b = await h.wsServer();
    const inspector = createInspector();
    const supervisor = h.supervisor({ ...FAST, inspect: inspector.inspect });
    const group = supervisor.connectGroup([a.url, b.url], { id: 'pair', strategy: 'one-for-all' });
    await group.ready();
    for (const ws of b.clients) ws.terminate();
    const socketRecords = () => inspector.recordsOf('socket').filter((r) => r.event.startsWith('group.'));
    await waitFor(() => socketRecords().filter((r) => r.event === 'group.up').length === 2, {
      message: 'the group up again',
    });
    expect(socketRecords().map((r) => [r.event, r.note])).toEqual([
      ['group.up', 'pair (one-for-all): all 2 endpoints ready'],
      ['group.down', 'pair (one-for-all): 1 of 2 endpoints ready'],
      ['group.restart', 'pair (one-for-all): link:pair/1 lost, restarting link:pair/0'],
      ['group.up', 'pair (one-for-all): all 2 endpoints ready'],
    ]);
  });

  it('names delayed and internal events readably', () => {
    expect(readableEvent('xstate.after.reconnectDelay.connection.reconnecting')).toBe('after reconnectDelay');
    expect(readableEvent('xstate.init')).toBe('start');
    expect(readableEvent('transport.closed')).toBe('transport.closed');
  });
});
