/**
 * A resumable link that reconnected mid-read of compressed frames (ws inflates on zlib's threads,
 * held here: ./thread-pool.ts): the old socket's rest comes late, and the session's replay on the
 * next socket already delivered it. If the session is then reset on a later socket, before the old
 * socket's rest came, that rest was NOT lost: it must not be reported `reset` (it was delivered:
 * reported twice). The first exchange after the old socket decides (resumed: replayed; reset:
 * lost), not the latest one; so a reset followed by a resume (of the new session) reports the
 * rest `reset` (before: it was dropped silently, lost). Real `ws` server with `linkvisor/server` on loopback; only the first
 * socket compresses (the later ones' frames must not wait on the held pool).
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { type ResumableSession, resumable } from '../../src/server/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { holdThreadPool } from './thread-pool.js';

const N = 12;
const AT = 3;
const ALL = Array.from({ length: N }, (_, i) => i);
const BODY = 'y'.repeat(200);

/** The session's messages 0..N-1 in one TCP write (corked until ws framed them all). */
async function sendOneRead(ws: WebSocket | undefined, session: ResumableSession | undefined): Promise<void> {
  const inside = ws as unknown as {
    _socket: { cork(): void; uncork(): void };
    _sender: { _state: number; _queue: unknown[] };
  };
  inside._socket.cork();
  for (let i = 0; i < N; i++) session?.send(`${i} ${BODY}`);
  await waitFor(() => inside._sender._state === 0 && inside._sender._queue.length === 0, {
    message: 'every frame written (corked)',
  });
  inside._socket.uncork();
}

describe('a resumable link reconnected mid-read, two session exchanges before the old rest came', () => {
  const h = useHarness();

  async function open() {
    const sockets: WebSocket[] = [];
    const server = await h.wsServer({
      onConnection: (ws) => sockets.push(ws),
      perMessageDeflate: { threshold: 0 },
    });
    const rs = resumable(server.wss);
    h.defer(() => rs.close());
    const sessions: ResumableSession[] = [];
    rs.on('session', (s) => sessions.push(s));
    let opened = 0;
    const supervisor = h.supervisor({ ...FAST, networkSignals: false });
    const link = supervisor.connect(server.url, {
      resume: true,
      heartbeat: false,
      wsOptions: () => (++opened === 1 ? {} : { perMessageDeflate: false }),
    });
    await link.ready();
    await waitFor(() => sessions.length === 1, { message: 'the session' });
    const delivered: number[] = [];
    const dropped: string[] = [];
    link.on('message', (data) => delivered.push(Number.parseInt(String(data), 10)));
    link.on('dropped', ({ data, reason }) => dropped.push(`${reason} ${Number.parseInt(String(data), 10)}`));
    let pool: ReturnType<typeof holdThreadPool> | null = null;
    link.on('message', (data) => {
      if (Number.parseInt(String(data), 10) !== AT || sockets.length !== 1) return;
      pool = holdThreadPool();
      h.defer(() => pool?.release());
      link.actor.send({ type: 'link.reconnect' });
    });
    return { sockets, sessions, link, delivered, dropped, pool: () => pool };
  }

  it('resumed, then reset: the old rest is neither reported reset nor delivered twice', async () => {
    const { sockets, sessions, link, delivered, dropped, pool } = await open();
    await sendOneRead(sockets[0], sessions[0]);
    // The second socket resumed: the peer replayed the rest (uncompressed; held behind the old
    // socket's late read, which comes first, in order).
    await waitFor(() => sockets.length === 2 && link.state === 'ready', { message: 'the resume' });
    await sleep(100);
    // The server ends the session: the third socket's exchange is a reset.
    sessions[0]?.close();
    await waitFor(() => sessions.length === 2 && link.state === 'ready', { message: 'the new session' });
    const held = pool();
    expect(held?.held()).toBe(true);
    held?.release();
    // zlib's threads inflate on their own schedule: wait for every message, then room for extras.
    await waitFor(() => delivered.length + dropped.length >= ALL.length, { message: 'all accounted' });
    await sleep(100);
    expect({ delivered, dropped }).toEqual({ delivered: ALL, dropped: [] });
  }, 30_000);

  it('reset, then resumed: the old rest is reported reset, not lost', async () => {
    const { sockets, sessions, link, delivered, dropped, pool } = await open();
    link.on('message', (data) => {
      // The server ends the session as the link reconnects: the second socket's exchange is a reset.
      if (Number.parseInt(String(data), 10) === AT && sockets.length === 1) sessions[0]?.close();
    });
    await sendOneRead(sockets[0], sessions[0]);
    await waitFor(() => sessions.length === 2 && link.state === 'ready', { message: 'the new session' });
    // The new session's socket drops (not the session): the third socket resumes it.
    sockets[1]?.terminate();
    await waitFor(() => sockets.length === 3 && link.state === 'ready', { message: 'the resume' });
    await sleep(100);
    const held = pool();
    expect(held?.held()).toBe(true);
    held?.release();
    await waitFor(() => delivered.length + dropped.length >= ALL.length, { message: 'all accounted' });
    await sleep(100);
    const rest = ALL.slice(AT + 1);
    expect({ delivered, dropped }).toEqual({
      delivered: ALL.slice(0, AT + 1),
      dropped: rest.map((i) => `reset ${i}`),
    });
  }, 30_000);
});
