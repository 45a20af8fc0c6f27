/**
 * `maxSessions` of `resumable(wss)` on real `ws` servers (127.0.0.1, port 0) with real clients
 * (the pure core on raw sockets, and linkvisor links): the cap holds under a churn of fresh
 * sessions; a full server evicts the session away the longest first (its client is reset,
 * `unknown-session`, as after an expiry) and, with every session attached, refuses a new one
 * with 1013 and a reason the link reports; every eviction and refusal is an event and a count in
 * `status()`; nothing is left after close() (timers, sockets, store records); a bad value throws
 * LV_ERR_INVALID_OPTION naming it.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import type { Reason } from '../../machines/policy/close-reason.js';
import { memoryStore, type ResumableSession, resumable, type SessionRecord } from '../../src/server/index.js';
import { TestClock } from '../../src/testing/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { unreachableUrl } from '../helpers/servers.js';
import { waitFor } from '../helpers/wait.js';
import { fileStore, tempDir } from './file-store.js';
import { RawResumeClient } from './raw-resume-client.js';

describe('resumable(wss, { maxSessions })', () => {
  const h = useHarness();

  it('a churn of fresh sessions (connect, drop, start afresh) never holds more than maxSessions; every eviction is reported; nothing is left after close()', async () => {
    const server = await h.wsServer();
    const clock = new TestClock();
    const store = memoryStore({ clock });
    const rs = resumable(server.wss, { maxSessions: 5, clock, store });
    h.defer(() => rs.close());
    const closes: string[] = [];
    const evicted: ResumableSession[] = [];
    const sessions: ResumableSession[] = [];
    rs.on('session', (s) => {
      sessions.push(s);
      s.on('close', ({ reason }) => closes.push(reason));
    });
    rs.on('evicted', (s) => evicted.push(s));
    let most = 0;
    for (let i = 0; i < 30; i++) {
      // A client that forgets its session each time: a new one per connection.
      const client = new RawResumeClient();
      expect(await client.connect(server.url)).toEqual({ outcome: 'new' });
      const session = sessions[i] as ResumableSession;
      session.send(`held ${i}`);
      client.drop();
      await waitFor(() => !session.connected, { message: `session ${i} away` });
      most = Math.max(most, rs.size, store.size);
    }
    expect(most).toBe(5);
    expect(rs.size).toBe(5);
    expect(store.size).toBe(5);
    // Evicted in the order they left: the first 25, each once.
    expect(evicted).toEqual(sessions.slice(0, 25));
    expect(closes).toEqual(Array(25).fill('evicted'));
    expect(rs.status()).toEqual({
      sessions: 5,
      attached: 0,
      away: 5,
      maxSessions: 5,
      maxAwaySessions: 10_000,
      evicted: 25,
      refused: 0,
      brokenHandshakes: 0,
      helloTimeouts: 0,
      buffered: { messages: 5, bytes: 5 * 'held 0'.length + 5 },
    });
    // One TTL timer per session held, none for the evicted ones.
    expect(clock.pending).toBe(5);
    await rs.close();
    expect(clock.pending).toBe(0);
    expect(rs.size).toBe(0);
    expect(rs.status()).toMatchObject({ sessions: 0, attached: 0, away: 0, evicted: 25 });
    expect(store.size).toBe(0);
    expect(server.wss.clients.size).toBe(0);
  });

  it('evicts the session away the longest (a return makes it attached again); with all attached the new one is refused (1013) until one is away', async () => {
    const server = await h.wsServer();
    const rs = resumable(server.wss, { maxSessions: 3 });
    h.defer(() => rs.close());
    const names = new Map<ResumableSession, string>();
    const order: string[] = [];
    const refused: number[] = [];
    rs.on('evicted', (s) => order.push(`evicted ${names.get(s)}`));
    rs.on('refused', ({ maxSessions, request }) => {
      refused.push(maxSessions);
      expect(request.socket.remoteAddress).toBe('127.0.0.1');
    });
    const clients = new Map<string, RawResumeClient>();
    const open = async (name: string) => {
      const client = new RawResumeClient();
      h.defer(() => client.close());
      clients.set(name, client);
      const started = new Promise<ResumableSession>((resolve) => {
        const off = rs.on('session', (s) => {
          off();
          resolve(s);
        });
      });
      expect(await client.connect(server.url)).toEqual({ outcome: 'new' });
      names.set(await started, name);
    };
    const sessionOf = (name: string) => [...names].find(([, n]) => n === name)?.[0] as ResumableSession;
    const away = async (name: string) => {
      clients.get(name)?.drop();
      await waitFor(() => !sessionOf(name).connected, { message: `${name} away` });
    };
    await open('a');
    await open('b');
    await open('c');
    // Away in the order b, a, c; then a comes back: b is away the longest, then c.
    await away('b');
    await away('a');
    await away('c');
    expect(await clients.get('a')?.connect(server.url)).toMatchObject({ outcome: 'resumed' });
    expect(rs.status()).toMatchObject({ sessions: 3, attached: 1, away: 2 });
    await open('d');
    expect(order).toEqual(['evicted b']);
    await open('e');
    expect(order).toEqual(['evicted b', 'evicted c']);
    expect(sessionOf('a').ended).toBe(false);

    // Full of attached sessions: b's client comes back to a reset, which needs a new session.
    const b = clients.get('b') as RawResumeClient;
    await expect(b.connect(server.url)).rejects.toMatchObject({
      code: 1013,
      reason: 'linkvisor resume: server full (maxSessions 3, all attached)',
    });
    expect(refused).toEqual([3]);
    expect(rs.status()).toMatchObject({ sessions: 3, attached: 3, away: 0, evicted: 2, refused: 1 });
    // A session away makes room: b is reset (its session is gone, as after an expiry).
    await away('d');
    expect(await b.connect(server.url)).toMatchObject({ outcome: 'reset', reason: 'unknown-session' });
    expect(order).toEqual(['evicted b', 'evicted c', 'evicted d']);
    expect(rs.status()).toMatchObject({ sessions: 3, attached: 3, away: 0, evicted: 3, refused: 1 });
  });

  it('a link whose session was evicted is refused while the server is full (reconnecting, 1013 and the reason), then starts afresh and says so (reset unknown-session)', async () => {
    const server = await h.wsServer();
    const rs = resumable(server.wss, { maxSessions: 1 });
    h.defer(() => rs.close());
    const sessions: ResumableSession[] = [];
    rs.on('session', (s) => sessions.push(s));
    const serverDropped: string[] = [];
    rs.on('evicted', (s) => serverDropped.push(`evicted ${s === sessions[0]}`));
    const deadUrl = await unreachableUrl(() => h.wsServer());
    let url = server.url;
    const supervisor = h.supervisor({ ...FAST });
    const link = supervisor.connect(() => url, { resume: true });
    const events: string[] = [];
    const reasons: Reason[] = [];
    link.on('reset', ({ reason }) => events.push(`reset ${reason}`));
    link.on('resumed', () => events.push('resumed'));
    link.on('dropped', ({ data, reason }) => events.push(`dropped ${String(data)} ${reason}`));
    link.on('reconnecting', ({ reason }) => reasons.push(reason));
    await link.ready();
    await waitFor(() => sessions.length === 1, { message: 'session' });
    const first = sessions[0] as ResumableSession;
    first.on('dropped', ({ data, reason }) => serverDropped.push(`${String(data)} ${reason}`));

    // The link is away (its server unreachable), and a fresh client takes the only room.
    url = deadUrl;
    for (const ws of server.wss.clients as Set<WebSocket>) ws.terminate();
    await waitFor(() => !first.connected, { message: 'away' });
    first.send('never delivered');
    const other = new RawResumeClient();
    h.defer(() => other.close());
    expect(await other.connect(server.url)).toEqual({ outcome: 'new' });
    expect(serverDropped).toEqual(['never delivered evicted', 'evicted true']);

    // Back while the server is full: refused with 1013 and the reason, and retried.
    const before = reasons.length;
    url = server.url;
    await waitFor(() => reasons.slice(before).some((r) => r.code === 1013), { message: 'refused' });
    const refusal = reasons.slice(before).find((r) => r.code === 1013) as Reason;
    expect(refusal).toMatchObject({ kind: 'close', code: 1013 });
    expect(refusal.message).toContain('server full (maxSessions 1');
    expect(events.filter((e) => e.startsWith('reset'))).toEqual([]);

    // Room again: the link starts a fresh session and says so.
    await other.close();
    await waitFor(() => events.includes('reset unknown-session'), { message: 'reset' });
    await link.ready();
    expect(events.filter((e) => !e.startsWith('dropped'))).toEqual(['reset unknown-session']);
    expect(rs.status()).toMatchObject({ sessions: 1, attached: 1, evicted: 1 });
    expect((rs.status().refused as number) >= 1).toBe(true);
  });

  it('with a durable store the cap counts live sessions: an evicted session is deleted from the store, one that the store keeps across a restart counts once back', async () => {
    const dir = tempDir();
    h.defer(() => dir.remove());
    const server = await h.wsServer();
    const store = fileStore(dir.dir);
    const stored = () => readdirSync(dir.dir).length;
    const rs = resumable(server.wss, { maxSessions: 1, store });
    const sessions: ResumableSession[] = [];
    rs.on('session', (s) => sessions.push(s));
    const a = new RawResumeClient();
    h.defer(() => a.close());
    expect(await a.connect(server.url)).toEqual({ outcome: 'new' });
    a.drop();
    await waitFor(() => !sessions[0]?.connected, { message: 'a away' });
    await waitFor(() => stored() === 1, { message: 'a stored' });
    const b = new RawResumeClient();
    h.defer(() => b.close());
    expect(await b.connect(server.url)).toEqual({ outcome: 'new' });
    await waitFor(() => stored() === 0, { message: 'a deleted from the store' });
    expect(rs.status()).toMatchObject({ sessions: 1, evicted: 1 });
    // A restart: b's session is written to the store and resumes on the next server, where it
    // counts against that server's cap as it becomes live again.
    await rs.close();
    expect(stored()).toBe(1);
    const next = resumable(server.wss, { maxSessions: 1, store });
    h.defer(() => next.close());
    expect(await b.connect(server.url)).toMatchObject({ outcome: 'resumed' });
    expect(next.status()).toMatchObject({ sessions: 1, attached: 1 });
    await expect(a.connect(server.url)).rejects.toMatchObject({ code: 1013 });
    expect(next.status()).toMatchObject({ refused: 1 });
  });

  it('a session evicted while the hello of its client waits for a slow store is not brought back: the client is reset', async () => {
    const server = await h.wsServer();
    const memory = memoryStore();
    let gate: Promise<void> | null = null;
    let open = () => {};
    let held = 0;
    // The store answers at once, except while the gate is shut.
    const store = {
      get: async (id: string) => {
        if (gate) {
          held++;
          await gate;
        }
        return memory.get(id);
      },
      put: (id: string, record: SessionRecord, ttlMs: number) => memory.put(id, record, ttlMs),
      delete: (id: string) => memory.delete(id),
    };
    const rs = resumable(server.wss, { maxSessions: 2, store });
    h.defer(() => rs.close());
    const evicted: ResumableSession[] = [];
    rs.on('evicted', (s) => evicted.push(s));
    const sessions: ResumableSession[] = [];
    rs.on('session', (s) => sessions.push(s));
    const a = new RawResumeClient();
    const d = new RawResumeClient();
    const b = new RawResumeClient();
    h.defer(() => Promise.all([a.close(), b.close(), d.close()]));
    expect(await a.connect(server.url)).toEqual({ outcome: 'new' });
    expect(await d.connect(server.url)).toEqual({ outcome: 'new' });
    a.drop();
    await waitFor(() => !sessions[0]?.connected, { message: 'a away' });
    d.drop();
    await waitFor(() => !sessions[1]?.connected, { message: 'd away' });
    // a comes back, but the store's answer (for the id of a session it would start) is slow…
    gate = new Promise((resolve) => {
      open = resolve;
    });
    const back = a.connect(server.url);
    // The hello's lookup is held at the gate (not a guess of how long the hello takes to arrive).
    await waitFor(() => held === 1, { message: "a's hello waiting for the store" });
    gate = null;
    // …and meanwhile a fresh client takes a's room (a is away the longest).
    expect(await b.connect(server.url)).toEqual({ outcome: 'new' });
    expect(evicted).toEqual([sessions[0]]);
    open();
    // a's session is gone: a is reset (taking d's room), never resumed into a session that ended.
    expect(await back).toMatchObject({ outcome: 'reset', reason: 'unknown-session' });
    expect(evicted).toEqual([sessions[0], sessions[1]]);
    expect(rs.status()).toMatchObject({ sessions: 2, attached: 2, away: 0 });
  });

  it.each([
    [0, 'must be between 1'],
    [1.5, 'must be a whole number'],
    [-1, 'must be between 1'],
    [Number.NaN, 'must be a finite number'],
    ['10', 'must be a finite number'],
  ])('maxSessions %s throws LV_ERR_INVALID_OPTION naming it', async (value, message) => {
    const server = await h.wsServer();
    expect(() => resumable(server.wss, { maxSessions: value as number })).toThrow(
      expect.objectContaining({
        code: 'LV_ERR_INVALID_OPTION',
        message: expect.stringContaining('maxSessions'),
      }),
    );
    expect(() => resumable(server.wss, { maxSessions: value as number })).toThrow(message);
  });

  it('a misspelt maxSessions is LV_ERR_UNKNOWN_OPTION with a hint; Infinity turns the cap off', async () => {
    const server = await h.wsServer();
    expect(() => resumable(server.wss, { maxSesions: 5 } as never)).toThrow(
      expect.objectContaining({
        code: 'LV_ERR_UNKNOWN_OPTION',
        message: expect.stringContaining("'maxSessions'"),
      }),
    );
    const rs = resumable(server.wss, { maxSessions: Number.POSITIVE_INFINITY });
    h.defer(() => rs.close());
    expect(rs.status().maxSessions).toBe(Number.POSITIVE_INFINITY);
    // One resumable() per server at a time (test/server/resumable-twice.test.ts).
    await rs.close();
    // By default no cap on live sessions (attached clients are never refused for their number);
    // the away ones are bounded (test/server/away-cap.test.ts).
    const byDefault = resumable(server.wss);
    h.defer(() => byDefault.close());
    expect(byDefault.status()).toMatchObject({
      maxSessions: Number.POSITIVE_INFINITY,
      maxAwaySessions: 10_000,
    });
  });
});
