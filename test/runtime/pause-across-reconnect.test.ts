/**
 * Pausing and the attempts after it: the hold is the LINK's (docs/links.md, "Pausing"). An
 * application that paused for backpressure stays paused until it calls `resume()`, across
 * reconnects: a new socket of a paused link reads its handshake (it cannot time out for a peer it
 * could not read), then enters ready paused (`ready.paused`: no pong judged), and no message is
 * delivered until the resume; what a paused socket had read and not delivered is delivered on the
 * resume, in order, before the new socket's (or reported `dropped`, reason `unread`, if the link
 * ends first). What a paused socket never read goes with it, as any unread data of a dropped
 * socket (only a resumable link, docs/resume.md, gets it again).
 * First on the memory network under the simulated clock, then on a real `ws` server on loopback.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { createSupervisor, type Link, type Supervisor } from '../../src/index.js';
import { createMemoryNetwork, settle, TestClock } from '../../src/testing/index.js';
import { closeOnClock, runClock } from '../helpers/clock-run.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';

const URL = 'mem://pause-reconnect';
const PAUSED = { attempt: { ready: 'paused' } };

let open: { supervisor: Supervisor; clock: TestClock } | null = null;
afterEach(async () => {
  if (open) await closeOnClock(open.supervisor, open.clock);
  open = null;
});

const stateOf = (link: Link) => link.actor.getSnapshot().value;

/** A link on the memory network whose every connection answers the handshake's hello. */
function memoryLink() {
  const clock = new TestClock();
  const net = createMemoryNetwork({ clock, inProcess: false });
  const server = net.listen(URL);
  server.onConnection((peer) => peer.onMessage((data) => data === 'hello' && peer.send('welcome')));
  const supervisor = createSupervisor({ transport: net.transport, clock, networkSignals: false });
  open = { supervisor, clock };
  const handshakes: string[] = [];
  const link = supervisor.connect(URL, {
    heartbeat: { intervalMs: 1_000, timeoutMs: 500 },
    backoff: { jitter: 'none', initialDelayMs: 100 },
    handshake: async (session) => {
      session.send('hello');
      handshakes.push(String(await session.next()));
    },
  });
  const got: string[] = [];
  const dropped: string[] = [];
  link.on('message', (data) => got.push(String(data)));
  link.on('dropped', ({ data, reason }) => dropped.push(`${reason}:${String(data)}`));
  return { clock, server, supervisor, link, handshakes, got, dropped };
}

describe('link.pause() across a reconnect (the hold is the link’s)', () => {
  it('the next socket’s handshake reads, then it stays paused: nothing is delivered until resume()', async () => {
    const { clock, server, link, handshakes, got } = memoryLink();
    await runClock(clock, 1_000, () => link.state === 'ready', 10);
    expect(link.pause()).toBe(true);
    expect(link.status().paused).toBe(true);
    server.peers[0]?.send('unread 1');
    await settle();
    server.peers[0]?.terminate();
    await settle();
    expect(link.state).toBe('reconnecting');
    // Between sockets the link is still paused; pausing again says so.
    expect(link.status().paused).toBe(true);
    expect(link.pause()).toBe(true);
    await runClock(clock, 5_000, () => link.state === 'ready', 10);
    // The new socket read its handshake: no handshake timeout for a peer it could not read.
    expect(handshakes).toEqual(['welcome', 'welcome']);
    expect(stateOf(link)).toEqual(PAUSED);
    expect(link.status()).toMatchObject({ state: 'ready', paused: true });
    server.peers.at(-1)?.send('new 1');
    server.peers.at(-1)?.send('new 2');
    // However long: no message, and the heartbeat judges nothing (no timer runs).
    await runClock(clock, 60_000);
    expect(got).toEqual([]);
    expect(link.state).toBe('ready');
    expect(link.resume()).toBe(true);
    await settle();
    // The memory socket held what it had not read (it never reads while paused): the dropped
    // socket's went with it; the new socket's arrive in order.
    expect(got).toEqual(['new 1', 'new 2']);
    expect(link.status().paused).toBeUndefined();
    expect(stateOf(link)).not.toEqual(PAUSED);
    server.peers.at(-1)?.send('new 3');
    await settle();
    expect(got).toEqual(['new 1', 'new 2', 'new 3']);
  });

  it('resumed between sockets: the next socket reads as usual', async () => {
    const { clock, server, link, got } = memoryLink();
    await runClock(clock, 1_000, () => link.state === 'ready', 10);
    link.pause();
    server.peers[0]?.terminate();
    await settle();
    expect(link.resume()).toBe(true);
    expect(link.resume()).toBe(false);
    await runClock(clock, 5_000, () => link.state === 'ready', 10);
    expect(stateOf(link)).not.toEqual(PAUSED);
    server.peers.at(-1)?.send('read');
    await settle();
    expect(got).toEqual(['read']);
  });

  it('paused before its first socket (and before its start): that socket enters ready paused', async () => {
    const { clock, server, link, got } = memoryLink();
    expect(link.pause()).toBe(true);
    await runClock(clock, 1_000, () => link.state === 'ready', 10);
    expect(stateOf(link)).toEqual(PAUSED);
    server.peers[0]?.send('held');
    await settle();
    expect(got).toEqual([]);
    link.resume();
    await settle();
    expect(got).toEqual(['held']);
  });
});

describe('link.pause() across a reconnect, on a real ws server', () => {
  const h = useHarness();

  it('a paused link stays paused on its new socket; what was read is delivered on resume, in order', async () => {
    const sockets: WebSocket[] = [];
    const server = await h.wsServer({
      onConnection: (ws) => {
        sockets.push(ws);
        ws.on('message', (data) => String(data) === 'hello' && ws.send('welcome'));
      },
    });
    const supervisor = h.supervisor({ ...FAST, networkSignals: false });
    const link = supervisor.connect(server.url, {
      heartbeat: { intervalMs: 200, timeoutMs: 300 },
      handshake: async (session) => {
        session.send('hello');
        await session.next();
      },
    });
    const got: string[] = [];
    link.on('message', (data) => got.push(String(data)));
    const reading: string[] = [];
    link.on('reading', ({ paused, unread }) => reading.push(`${paused}:${unread}:${got.length}`));
    await link.ready();
    sockets[0]?.send('read 1');
    await waitFor(() => got.length === 1);
    expect(link.pause()).toBe(true);
    // A paused Node socket still fills its stream buffer: ws reads this one when the socket ends.
    sockets[0]?.send('read while paused');
    await sleep(50);
    expect(got).toEqual(['read 1']);
    // The server resets the socket; a paused socket reads nothing, so a write notices the reset.
    sockets[0]?.terminate();
    await waitFor(() => {
      if (link.state === 'ready' && sockets.length === 1) link.send('anyone there?');
      return sockets.length === 2 && link.state === 'ready';
    });
    expect(stateOf(link)).toEqual(PAUSED);
    expect(link.status().paused).toBe(true);
    sockets[1]?.send('new 1');
    sockets[1]?.send('new 2');
    // Well past the heartbeat's interval + timeout: no message, no judgement of the peer.
    await sleep(1_500);
    expect(got).toEqual(['read 1']);
    expect(link.state).toBe('ready');
    expect(server.connections).toBe(2);
    expect(link.resume()).toBe(true);
    await waitFor(() => got.length === 4);
    // What the dropped socket had read comes first, kept across the reconnect.
    expect(got).toEqual(['read 1', 'read while paused', 'new 1', 'new 2']);
    // Told once each, the resume before what was kept (one message, read by the dropped socket).
    expect(reading).toEqual(['true:0:1', 'false:1:1']);
  });

  it('a link that ends while paused reports what it had read and not delivered (dropped, unread)', async () => {
    const sockets: WebSocket[] = [];
    const server = await h.wsServer({ onConnection: (ws) => sockets.push(ws) });
    const supervisor = h.supervisor({ ...FAST, networkSignals: false });
    const link = supervisor.connect(server.url, { heartbeat: { intervalMs: 200, timeoutMs: 300 } });
    const events: string[] = [];
    link.on('message', (data) => events.push(`message:${String(data)}`));
    link.on('dropped', ({ data, reason }) => events.push(`dropped:${reason}:${String(data)}`));
    link.on('closed', () => events.push('closed'));
    await link.ready();
    expect(link.pause()).toBe(true);
    sockets[0]?.send('read while paused');
    await sleep(50);
    sockets[0]?.terminate();
    await waitFor(() => {
      if (link.state === 'ready' && sockets.length === 1) link.send('anyone there?');
      return sockets.length === 2 && link.state === 'ready';
    });
    await link.close();
    expect(events).toEqual(['dropped:unread:read while paused', 'closed']);
  });
});
