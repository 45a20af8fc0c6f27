/**
 * A link with a resumable session (`resume`) whose socket a `message` listener ends or reconnects
 * mid-batch (several data frames the server wrote in one TCP write: its socket corked), or that
 * ends while paused with frames Node had read: every message of the read is delivered (in order,
 * once) or reported `dropped` (`unread`), none lost, nothing after `closed`. On a reconnect the
 * server replays what the client did not take, so nothing twice, nothing out of order; a link ended
 * after such a reconnect, before its session resumed, reports what it left to the replay. Real `ws`
 * server with `linkvisor/server` on loopback.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { createActor } from 'xstate';
import { defineLink } from '../../src/index.js';
import { type ResumableSession, resumable } from '../../src/server/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { batchServer, READS } from './one-read.js';

const N = 12;
const AT = 3;
const ALL = Array.from({ length: N }, (_, i) => i);

/** The session's messages 0..N-1 written to its socket in one TCP write: corked until ws has
 * framed them all (compressed ones are deflated on zlib's threads first). */
async function sendOneRead(ws: WebSocket | undefined, session: ResumableSession | undefined): Promise<void> {
  const inside = ws as unknown as {
    _socket: { cork(): void; uncork(): void };
    _sender: { _state: number; _queue: unknown[] };
  };
  inside._socket.cork();
  for (let i = 0; i < N; i++) session?.send(`${i}`);
  await waitFor(() => inside._sender._state === 0 && inside._sender._queue.length === 0, {
    message: 'every frame written (corked)',
  });
  inside._socket.uncork();
}

describe.each(READS)('a resumable link, one read of %s frames', (_, compressed, synchronous) => {
  const h = useHarness();

  async function open() {
    const { server, sockets } = await batchServer(h, compressed);
    const rs = resumable(server.wss);
    h.defer(() => rs.close());
    const sessions: ResumableSession[] = [];
    rs.on('session', (s) => sessions.push(s));
    const supervisor = h.supervisor({ ...FAST, networkSignals: false });
    const link = supervisor.connect(server.url, {
      resume: true,
      heartbeat: false,
      wsOptions: { allowSynchronousEvents: synchronous },
    });
    await link.ready();
    await waitFor(() => sessions.length === 1, { message: 'the session' });
    const delivered: number[] = [];
    const unread: number[] = [];
    const events: string[] = [];
    link.on('message', (data) => delivered.push(Number(String(data))));
    /** Reported `reset` (any other reason than `unread` or `reset` fails the test). */
    const reset: number[] = [];
    link.on('dropped', ({ data, reason }) => {
      if (reason === 'reset') reset.push(Number(String(data)));
      else {
        expect(reason).toBe('unread');
        unread.push(Number(String(data)));
      }
      events.push('dropped');
    });
    link.on('closed', () => events.push('closed'));
    return { sockets, sessions, supervisor, link, delivered, unread, reset, events };
  }

  it('a listener terminates: the rest reported unread, in order, before closed', async () => {
    const { sockets, sessions, supervisor, link, delivered, unread, events } = await open();
    link.on('message', (data) => {
      if (Number(String(data)) === AT) void supervisor.terminate();
    });
    await sendOneRead(sockets[0], sessions[0]);
    await waitFor(() => events.includes('closed'), { message: 'closed' });
    await sleep(50);
    expect({ all: [...delivered, ...unread], closedLast: events.at(-1) }).toEqual({
      all: ALL,
      closedLast: 'closed',
    });
    expect(delivered).toEqual(ALL.slice(0, AT + 1));
  }, 30_000);

  it('a listener reconnects: every message delivered once, in order (the rest replayed)', async () => {
    const { sockets, sessions, link, delivered, unread } = await open();
    link.on('message', (data) => {
      if (Number(String(data)) === AT && sockets.length === 1) link.actor.send({ type: 'link.reconnect' });
    });
    await sendOneRead(sockets[0], sessions[0]);
    await waitFor(() => delivered.length >= N, { message: 'every message' });
    await sleep(100);
    expect({ delivered, unread }).toEqual({ delivered: ALL, unread: [] });
  }, 30_000);

  it('a listener reconnects, the link is terminated while the old socket still hands over: none lost', async () => {
    const { sockets, sessions, supervisor, link, delivered, unread, events } = await open();
    link.on('message', (data) => {
      if (Number(String(data)) !== AT || sockets.length !== 1) return;
      link.actor.send({ type: 'link.reconnect' });
      // The end comes a turn later: the old socket may still hand over the rest of its read.
      setImmediate(() => void supervisor.terminate());
    });
    await sendOneRead(sockets[0], sessions[0]);
    await waitFor(() => events.includes('closed'), { message: 'closed' });
    await sleep(50);
    expect({ all: [...delivered, ...unread].sort((a, b) => a - b), closedLast: events.at(-1) }).toEqual({
      all: ALL,
      closedLast: 'closed',
    });
  }, 30_000);

  it('a listener reconnects, the server ends the session meanwhile: the rest reported reset', async () => {
    const { sockets, sessions, link, delivered, unread, reset } = await open();
    link.on('message', (data) => {
      if (Number(String(data)) !== AT || sockets.length !== 1) return;
      link.actor.send({ type: 'link.reconnect' });
      sessions[0]?.close();
    });
    await sendOneRead(sockets[0], sessions[0]);
    await waitFor(() => sockets.length === 2 && link.state === 'ready', {
      message: 'the new socket',
      timeoutMs: 20_000,
    });
    // Every message delivered or reported (a loaded host may report after 'ready'), then a while
    // for anything reported twice.
    await waitFor(() => delivered.length + reset.length + unread.length >= N, {
      message: 'every message delivered or reported',
      timeoutMs: 20_000,
    });
    await sleep(100);
    expect({ delivered, reset, unread }).toEqual({
      delivered: ALL.slice(0, AT + 1),
      reset: ALL.slice(AT + 1),
      unread: [],
    });
  }, 30_000);

  it('paused, the link terminated: what Node had read reported unread, in order', async () => {
    const { sockets, sessions, supervisor, link, delivered, unread, events } = await open();
    expect(link.pause()).toBe(true);
    await sendOneRead(sockets[0], sessions[0]);
    // In the client's socket buffer (a paused ws socket parses nothing).
    await sleep(100);
    await supervisor.terminate();
    await waitFor(() => events.includes('closed'), { message: 'closed' });
    await sleep(50);
    expect({ delivered, unread, closedLast: events.at(-1) }).toEqual({
      delivered: [],
      unread: ALL,
      closedLast: 'closed',
    });
  }, 30_000);

  it('paused, reconnected, then resumed: every message delivered once, in order', async () => {
    const { sockets, sessions, link, delivered, unread } = await open();
    expect(link.pause()).toBe(true);
    await sendOneRead(sockets[0], sessions[0]);
    await sleep(100);
    link.actor.send({ type: 'link.reconnect' });
    await waitFor(() => sockets.length === 2 && link.state === 'ready', { message: 'the new socket' });
    expect(link.resume()).toBe(true);
    await waitFor(() => delivered.length >= N, { message: 'every message' });
    await sleep(100);
    expect({ delivered, unread }).toEqual({ delivered: ALL, unread: [] });
  }, 30_000);

  it('a defineLink actor stopped by the listener: the rest reported unread before ended() resolves', async () => {
    const { server, sockets } = await batchServer(h, compressed);
    const rs = resumable(server.wss);
    h.defer(() => rs.close());
    const sessions: ResumableSession[] = [];
    rs.on('session', (s) => sessions.push(s));
    const feed = defineLink(server.url, {
      resume: true,
      heartbeat: false,
      wsOptions: { allowSynchronousEvents: synchronous },
    });
    const actor = createActor(feed.machine, { input: feed.input() }).start();
    h.defer(() => actor.stop());
    const link = feed.handle(actor);
    const delivered: number[] = [];
    const unread: number[] = [];
    link.on('message', (data) => {
      delivered.push(Number(String(data)));
      if (Number(String(data)) === AT) actor.stop();
    });
    link.on('dropped', ({ data, reason }) => {
      expect(reason).toBe('unread');
      unread.push(Number(String(data)));
    });
    await link.ready();
    await waitFor(() => sessions.length === 1, { message: 'the session' });
    await sendOneRead(sockets[0], sessions[0]);
    await link.ended();
    const atEnd = { delivered: [...delivered], unread: [...unread] };
    await sleep(100);
    expect({ delivered, unread }).toEqual({ delivered: ALL.slice(0, AT + 1), unread: ALL.slice(AT + 1) });
    expect(atEnd).toEqual({ delivered, unread });
  }, 30_000);
});
