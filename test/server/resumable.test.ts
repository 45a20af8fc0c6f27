/**
 * linkvisor/server's `resumable(wss)` on real `ws` servers on 127.0.0.1 port 0, with clients
 * built from the pure core: sessions start, resume across drops with replay in both directions,
 * expire after their TTL, overflow into a reset, survive a restart only with a durable store,
 * and refuse clients that do not speak the protocol. Nothing is left after close().
 */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { memoryStore, type ResumableSession, resumable } from '../../src/server/index.js';
import { TestClock } from '../../src/testing/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { connectedSession } from './connected-session.js';
import { fileStore, forgetfulStore, tempDir } from './file-store.js';
import { RawResumeClient } from './raw-resume-client.js';

function record(session: ResumableSession) {
  const seen = { got: [] as string[], events: [] as string[], dropped: [] as string[] };
  session.on('message', (data) =>
    seen.got.push(typeof data === 'string' ? data : new TextDecoder().decode(data)),
  );
  session.on('resumed', ({ replayedOut }) => seen.events.push(`resumed ${replayedOut}`));
  session.on('reset', ({ reason }) => seen.events.push(`reset ${reason}`));
  session.on('away', () => seen.events.push('away'));
  session.on('dropped', ({ data, reason }) => seen.dropped.push(`${String(data)} ${reason}`));
  session.on('close', ({ reason }) => seen.events.push(`close ${reason}`));
  return seen;
}

describe('resumable(wss)', () => {
  const h = useHarness();

  it('a new session carries messages both ways; a drop is resumed with replay both ways, once and in order', async () => {
    const server = await h.wsServer();
    const rs = resumable(server.wss, { ackDelayMs: 20 });
    h.defer(() => rs.close());
    const sessions: ResumableSession[] = [];
    rs.on('session', (s) => sessions.push(s));
    const client = new RawResumeClient({ ackDelayMs: 20 });
    h.defer(() => client.close());

    expect(await client.connect(server.url)).toEqual({ outcome: 'new' });
    await waitFor(() => sessions.length === 1, { message: 'session' });
    const session = sessions[0] as ResumableSession;
    expect(session.outcome).toBe('new');
    const seen = record(session);
    client.send('c1');
    session.send('s1');
    await waitFor(() => seen.got.length === 1 && client.got.length === 1, { message: 'both delivered' });
    client.ack();
    await waitFor(() => session.status().buffered.messages === 0, { message: 's1 acknowledged' });

    // Down: the client's sends wait in its queue, the server's in the session's replay buffer.
    client.drop();
    await waitFor(() => !session.connected, { message: 'server saw the drop' });
    session.send('s2');
    session.send('s3');
    client.send('c2');
    expect(session.status()).toMatchObject({ connected: false, buffered: { messages: 2 } });

    expect(await client.connect(server.url)).toMatchObject({ outcome: 'resumed', replayedIn: 2 });
    await waitFor(() => seen.got.length === 2 && client.got.length === 3, { message: 'replayed' });
    expect(client.got).toEqual(['s1', 's2', 's3']);
    expect(seen.got).toEqual(['c1', 'c2']);
    expect(seen.events).toEqual(['away', 'resumed 2']);
    expect(sessions).toHaveLength(1);
    // Acks drain both buffers (this raw client has no ack timer: it acknowledges by hand).
    client.ack();
    await waitFor(
      () => session.status().buffered.messages === 0 && client.core.stream.bufferedMessages === 0,
      {
        message: 'acks drained the buffers',
      },
    );
  });

  it('a client that does not speak the protocol is closed with 1002 and a reason on its first message', async () => {
    const server = await h.wsServer();
    const rs = resumable(server.wss);
    h.defer(() => rs.close());
    const ws = new WebSocket(server.url);
    const closed = new Promise<[number, string]>((resolve) =>
      ws.on('close', (c, r) => resolve([c, String(r)])),
    );
    ws.on('open', () => ws.send('hello?'));
    const [code, reason] = await closed;
    expect(code).toBe(1002);
    expect(reason).toBe(
      'linkvisor resume: expected a linkvisor resume hello as the first message, got application data',
    );
    expect(rs.size).toBe(0);
  });

  it('a session whose client stays away past the TTL expires: undelivered messages reported, no timer left', async () => {
    const clock = new TestClock();
    const server = await h.wsServer();
    const store = memoryStore({ clock });
    const rs = resumable(server.wss, { sessionTtlMs: 5_000, clock, store });
    h.defer(() => rs.close());
    h.defer(() => store.close());
    const sessions: ResumableSession[] = [];
    rs.on('session', (s) => sessions.push(s));
    const client = new RawResumeClient();
    await client.connect(server.url);
    await waitFor(() => sessions.length === 1, { message: 'session' });
    const seen = record(sessions[0] as ResumableSession);
    client.drop();
    await waitFor(() => seen.events.includes('away'), { message: 'away' });
    sessions[0]?.send('late');
    await clock.advance(4_999);
    expect(seen.events).toEqual(['away']);
    await clock.advance(1);
    expect(seen.events).toEqual(['away', 'close expired']);
    expect(seen.dropped).toEqual(['late expired']);
    expect(rs.size).toBe(0);
    expect(store.size).toBe(0);
    expect(clock.pending).toBe(0);
    // The client comes back too late: reset, its session unknown.
    expect(await client.connect(server.url)).toMatchObject({ outcome: 'reset', reason: 'unknown-session' });
    await client.close();
  });

  it('a replay buffer that overflows while the client is away ends the session; the client is reset (overflow)', async () => {
    const server = await h.wsServer();
    const rs = resumable(server.wss, { maxMessages: 3 });
    h.defer(() => rs.close());
    const sessions: ResumableSession[] = [];
    rs.on('session', (s) => sessions.push(s));
    const client = new RawResumeClient();
    await client.connect(server.url);
    await waitFor(() => sessions.length === 1, { message: 'session' });
    const session = sessions[0] as ResumableSession;
    const seen = record(session);
    client.drop();
    await waitFor(() => !session.connected, { message: 'away' });
    expect(['a', 'b', 'c'].map((m) => session.send(m))).toEqual(['buffered', 'buffered', 'buffered']);
    expect(session.send('d')).toBe('dropped');
    expect(seen.dropped).toEqual(['a overflow', 'b overflow', 'c overflow', 'd overflow']);
    expect(seen.events).toEqual(['away', 'close overflow']);
    expect(() => session.send('e')).toThrow(expect.objectContaining({ code: 'LV_ERR_LINK_CLOSED' }));
    expect(await client.connect(server.url)).toMatchObject({ outcome: 'reset', reason: 'overflow' });
    await waitFor(() => sessions.length === 2, { message: 'the new session' });
    expect(sessions[1]).toMatchObject({ outcome: 'reset', resetReason: 'overflow' });
    await client.close();
  });

  it('a server restart with a store that loses everything: reset, unconfirmed messages reported, no corruption', async () => {
    const first = await h.wsServer();
    let rs = resumable(first.wss, { store: forgetfulStore, ackEveryMessages: 1000, ackDelayMs: 60_000 });
    const client = new RawResumeClient({ ackEveryMessages: 1000, ackDelayMs: 60_000 });
    h.defer(() => client.close());
    const got: string[] = [];
    rs.on('session', (s) => s.on('message', (d) => got.push(String(d))));
    await client.connect(first.url);
    client.send('x1');
    client.send('x2');
    await waitFor(() => got.length === 2, { message: 'delivered, never acknowledged' });
    await rs.close();
    await first.stop();

    const second = await h.wsServer();
    rs = resumable(second.wss, { store: forgetfulStore });
    h.defer(() => rs.close());
    const sessions: ResumableSession[] = [];
    rs.on('session', (s) => sessions.push(s));
    expect(await client.connect(second.url)).toMatchObject({ outcome: 'reset', reason: 'unknown-session' });
    expect(client.dropped).toEqual(['x1', 'x2']);
    await waitFor(() => sessions.length === 1, { message: 'session' });
    const seen = record(sessions[0] as ResumableSession);
    client.send('y1');
    await waitFor(() => seen.got.length === 1, { message: 'the new session works' });
    expect(seen.got).toEqual(['y1']);
  });

  it('a server restart with a durable store: resumed, what each side missed is replayed', async () => {
    const tmp = tempDir();
    h.defer(() => tmp.remove());
    const first = await h.wsServer();
    let rs = resumable(first.wss, { store: fileStore(tmp.dir) });
    const client = new RawResumeClient();
    h.defer(() => client.close());
    let session: ResumableSession | undefined;
    rs.on('session', (s) => {
      session = s;
    });
    await client.connect(first.url);
    await waitFor(() => session !== undefined, { message: 'session' });
    const seen = record(session as ResumableSession);
    client.send('before');
    await waitFor(() => seen.got.length === 1, { message: 'delivered' });
    client.drop();
    await waitFor(() => !session?.connected, { message: 'away' });
    session?.send('while away');
    await rs.close();
    await first.stop();
    expect(seen.dropped).toEqual([]); // kept in the store, not lost
    client.send('after restart');

    const second = await h.wsServer();
    rs = resumable(second.wss, { store: fileStore(tmp.dir) });
    h.defer(() => rs.close());
    const restored: ResumableSession[] = [];
    const got: string[] = [];
    rs.on('session', (s) => {
      restored.push(s);
      s.on('message', (d) => got.push(String(d)));
    });
    expect(await client.connect(second.url)).toMatchObject({ outcome: 'resumed', replayedIn: 1 });
    await waitFor(() => client.got.length === 1 && got.length === 1, {
      message: 'replayed after the restart',
    });
    expect(client.got).toEqual(['while away']);
    expect(got).toEqual(['after restart']);
    expect(restored[0]).toMatchObject({ outcome: 'resumed', id: session?.id });
  });

  it('a server restart with a durable store, then a reset: the stored session ends as a live one would (its unacknowledged messages dropped, its record deleted)', async () => {
    const tmp = tempDir();
    h.defer(() => tmp.remove());
    const disk = fileStore(tmp.dir);
    const first = await h.wsServer();
    let rs = resumable(first.wss, { store: disk });
    const client = new RawResumeClient();
    h.defer(() => client.close());
    let session: ResumableSession | undefined;
    rs.on('session', (s) => {
      session = s;
    });
    await client.connect(first.url);
    await waitFor(() => session !== undefined, { message: 'session' });
    const oldId = session?.id as string;
    client.drop();
    await waitFor(() => !session?.connected, { message: 'away' });
    session?.send('while away');
    await rs.close();
    await first.stop();
    expect(await disk.get(oldId)).toMatchObject({ kind: 'session' });
    // The client claims a message the server never sent: its session cannot be resumed.
    client.core.stream.receivedSeq = 99;

    const second = await h.wsServer();
    rs = resumable(second.wss, { store: disk });
    h.defer(() => rs.close());
    const sessions: { id: string; seen: ReturnType<typeof record> }[] = [];
    rs.on('session', (s) => sessions.push({ id: s.id, seen: record(s) }));
    expect(await client.connect(second.url)).toMatchObject({ outcome: 'reset' });
    const old = sessions.find((s) => s.id === oldId);
    expect(old?.seen.dropped).toEqual(['while away reset']);
    expect(old?.seen.events).toEqual(['reset protocol', 'close reset']);
    await waitFor(async () => (await disk.get(oldId)) === undefined, { message: 'the old record deleted' });
    // The client goes on in a new session.
    expect(sessions.filter((s) => s.id !== oldId)).toHaveLength(1);
  });

  it('close() with a durable store: a message arriving while the final write is pending is not delivered; the restarted server gets it once', async () => {
    const tmp = tempDir();
    h.defer(() => tmp.remove());
    const disk = fileStore(tmp.dir);
    // The final writes wait for the test: frames keep arriving meanwhile.
    let release: () => void = () => {};
    let gate: Promise<void> | null = null;
    const slow = {
      ...disk,
      put: async (...args: Parameters<typeof disk.put>) => {
        await gate;
        return disk.put(...args);
      },
    };
    const first = await h.wsServer();
    const rs = resumable(first.wss, { store: slow });
    const { client, session } = await connectedSession(h, rs, first.url);
    const seen = record(session as ResumableSession);
    client.send('a');
    await waitFor(() => seen.got.length === 1, { message: 'a delivered' });
    let framesIn = 0;
    for (const ws of first.wss.clients) ws.on('message', () => framesIn++);

    gate = new Promise((resolve) => {
      release = resolve;
    });
    const closing = rs.close();
    const framesBefore = framesIn;
    client.send('b');
    // b reaches the server's socket, or the socket was closed before it could.
    await waitFor(() => framesIn > framesBefore || first.wss.clients.size === 0, {
      message: 'b arrived or the socket closed',
    });
    release();
    await closing;
    await first.stop();
    expect(seen.got).toEqual(['a']);

    const second = await h.wsServer();
    const again = resumable(second.wss, { store: fileStore(tmp.dir) });
    h.defer(() => again.close());
    const got: string[] = [];
    again.on('session', (s) => s.on('message', (d) => got.push(String(d))));
    expect(await client.connect(second.url)).toMatchObject({ outcome: 'resumed' });
    await waitFor(() => got.length >= 1, { message: 'b replayed after the restart' });
    expect([...seen.got, ...got]).toEqual(['a', 'b']);
  });

  it('close(): sessions end (server-closed), their messages reported, sockets closed, timers and store cleared', async () => {
    const server = await h.wsServer();
    const rs = resumable(server.wss);
    const sessions: ResumableSession[] = [];
    rs.on('session', (s) => sessions.push(s));
    const clients = [new RawResumeClient(), new RawResumeClient()];
    for (const c of clients) await c.connect(server.url);
    await waitFor(() => sessions.length === 2, { message: 'sessions' });
    const seen = sessions.map(record);
    clients[0]?.drop();
    await waitFor(() => !sessions[0]?.connected, { message: 'away (TTL timer running)' });
    sessions[0]?.send('never');
    await rs.close();
    await rs.close();
    expect(seen.map((s) => s.events.at(-1))).toEqual(['close server-closed', 'close server-closed']);
    expect(seen[0]?.dropped).toEqual(['never server-closed']);
    expect(rs.size).toBe(0);
    await waitFor(() => server.wss.clients.size === 0, { message: 'sockets closed' });
  });

  it('bad options are LV_ERR_INVALID_OPTION naming the option', async () => {
    const server = await h.wsServer();
    expect(() => resumable(server.wss, { maxBytes: -1 })).toThrow(
      expect.objectContaining({ option: 'maxBytes' }),
    );
    expect(() => resumable(server.wss, { sessionTtlMs: Number.NaN })).toThrow(
      expect.objectContaining({ code: 'LV_ERR_INVALID_OPTION', option: 'sessionTtlMs' }),
    );
    expect(() => resumable(server.wss, { store: {} as never })).toThrow(
      expect.objectContaining({ option: 'store.get' }),
    );
    expect(() => resumable(server.wss, { sesionTtlMs: 1 } as never)).toThrow(
      expect.objectContaining({ code: 'LV_ERR_UNKNOWN_OPTION' }),
    );
    // A clock without timers was taken, and threw out of the ws 'connection' handler at each
    // connection (an uncaught exception); something not a WebSocketServer threw a TypeError.
    for (const clock of [5, {}, { now: () => 0 }]) {
      expect(() => resumable(server.wss, { clock: clock as never })).toThrow(
        expect.objectContaining({ code: 'LV_ERR_INVALID_OPTION', option: 'clock' }),
      );
    }
    for (const wss of [null, {}, 'ws://127.0.0.1']) {
      expect(() => resumable(wss as never)).toThrow(
        expect.objectContaining({ code: 'LV_ERR_INVALID_OPTION', option: 'wss' }),
      );
    }
    expect(() => memoryStore({ clock: 5 as never })).toThrow(expect.objectContaining({ option: 'clock' }));
    expect(() => memoryStore({ clok: {} } as never)).toThrow(
      expect.objectContaining({ code: 'LV_ERR_UNKNOWN_OPTION', option: 'clok' }),
    );
    expect(server.wss.listenerCount('connection')).toBe(0);
  });
});
