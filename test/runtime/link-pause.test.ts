/**
 * `link.pause()` / `link.resume()` on the memory network under the simulated clock: while the
 * application holds reading paused, the peer's messages and pongs wait and the heartbeat judges
 * nothing, however long; reading again delivers what waited, in order, and gives the heartbeat a
 * whole window, so a peer that is really gone is found one window (interval + timeout + an I/O
 * turn) after the resume. The hold is the link's: a new socket enters ready paused
 * (test/runtime/pause-across-reconnect.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { HEARTBEAT_DEFAULTS, livenessWindowMs } from '../../machines/policy/heartbeat.js';
import { IO_TURN_MS } from '../../machines/policy/timeouts.js';
import { createSupervisor, type Link, type Supervisor, type Transport } from '../../src/index.js';
import { createMemoryNetwork, type MemoryServer, settle, TestClock } from '../../src/testing/index.js';
import { closeOnClock, runClock } from '../helpers/clock-run.js';

const URL = 'mem://pause';
const heartbeat = { intervalMs: 1_000, timeoutMs: 500 };
/** Interval + timeout: the longest a healthy link goes without a sign of its peer. */
const WINDOW_MS = livenessWindowMs({ ...HEARTBEAT_DEFAULTS, ...heartbeat });

let open: { supervisor: Supervisor; clock: TestClock } | null = null;
afterEach(async () => {
  if (open) await closeOnClock(open.supervisor, open.clock);
  open = null;
});

/** A ready link whose peer has answered a ping (heartbeat 1 s + 0.5 s), and what it received. */
async function answeredLink(): Promise<{
  link: Link;
  server: MemoryServer;
  clock: TestClock;
  got: string[];
}> {
  const clock = new TestClock();
  const net = createMemoryNetwork({ clock, inProcess: false });
  const server = net.listen(URL);
  const supervisor = createSupervisor({ transport: net.transport, clock, networkSignals: false });
  open = { supervisor, clock };
  const link = supervisor.connect(URL, { heartbeat, backoff: { jitter: 'none', stableAfterMs: 100 } });
  const got: string[] = [];
  link.on('message', (data) => got.push(String(data)));
  await runClock(clock, 1_000, () => link.state === 'ready', 10);
  await runClock(clock, 2_000, () => link.status().rttMs !== null, 10);
  expect(link.status().rttMs).not.toBeNull();
  return { link, server, clock, got };
}

const stateOf = (link: Link) => link.actor.getSnapshot().value;

describe('link.pause() / link.resume()', () => {
  it('paused: messages wait, the heartbeat judges nothing however long; resumed: they arrive in order', async () => {
    const { link, server, clock, got } = await answeredLink();
    const lost: string[] = [];
    link.on('lost', ({ reason }) => lost.push(reason.message));
    expect(link.pause()).toBe(true);
    expect(stateOf(link)).toEqual({ attempt: { ready: 'paused' } });
    expect(link.state).toBe('ready');
    server.stopPongs();
    for (const n of [1, 2, 3]) server.peers[0]?.send(`m${n}`);
    await runClock(clock, 50 * WINDOW_MS);
    expect(got).toEqual([]);
    expect(lost).toEqual([]);
    // One timer: the probe's (a ping written every interval, its pong awaited by nobody).
    expect(clock.pending).toBe(1);
    expect(link.pause()).toBe(true);
    expect(link.resume()).toBe(true);
    await settle();
    expect(got).toEqual(['m1', 'm2', 'm3']);
    expect(link.resume()).toBe(false);
  });

  it('tells its listeners: `reading` on pause and on resume (before what waited), once each', async () => {
    const { link, server, clock } = await answeredLink();
    const events: string[] = [];
    link.on('reading', ({ paused, unread }) => events.push(`reading:${paused}:${unread}`));
    link.on('message', (data) => events.push(`message:${String(data)}`));
    link.on('state', ({ to }) => events.push(`state:${to}`));
    expect(link.pause()).toBe(true);
    expect(link.pause()).toBe(true);
    for (const n of [1, 2]) server.peers[0]?.send(`m${n}`);
    await runClock(clock, 10 * WINDOW_MS);
    // The memory socket keeps its messages while paused: none was read, none is unread yet.
    expect(events).toEqual(['reading:true:0']);
    expect(link.resume()).toBe(true);
    expect(link.resume()).toBe(false);
    await settle();
    expect(events).toEqual(['reading:true:0', 'reading:false:0', 'message:m1', 'message:m2']);
    // Paused again: told again (a link that ends paused tells no resume: docs/links.md, Pausing).
    expect(link.pause()).toBe(true);
    expect(events.at(-1)).toBe('reading:true:0');
  });

  it('paused: a probe (a ping) every heartbeat interval, never judged; its pongs wait unread', async () => {
    const { link, server, clock } = await answeredLink();
    const lost: string[] = [];
    link.on('lost', ({ reason }) => lost.push(reason.message));
    server.holdPongs();
    expect(link.pause()).toBe(true);
    await runClock(clock, 10 * heartbeat.intervalMs + heartbeat.intervalMs / 2);
    expect(server.heldPings).toBe(10);
    // Answered: the pongs wait unread in the paused socket, and nobody awaits them.
    server.answerPings();
    await runClock(clock, 10 * heartbeat.intervalMs);
    expect(server.heldPings).toBe(10);
    server.stopPongs();
    await runClock(clock, 10 * WINDOW_MS);
    expect(lost).toEqual([]);
    expect(link.state).toBe('ready');
    expect(stateOf(link)).toEqual({ attempt: { ready: 'paused' } });
  });

  it('a paused socket ended by the link: its transport’s report of the end reaches no later attempt', async () => {
    const clock = new TestClock();
    const net = createMemoryNetwork({ clock, inProcess: false });
    const server = net.listen(URL);
    // A transport whose terminate() reports the close at once (allowed: terminate may be called any
    // time); the runtime takes a paused socket's last read first, and must not hear this report.
    const transport: Transport = {
      ...net.transport,
      connect(target, handlers, context) {
        const inner = net.transport.connect(target, handlers, context);
        return {
          send: (data) => inner.send(data),
          ping: () => inner.ping(),
          close: (code, reason) => inner.close(code, reason),
          terminate: () => {
            inner.terminate();
            handlers.closed({ kind: 'error', errorCode: 'ECONNRESET', message: 'terminated' });
          },
          get bufferedAmount() {
            return inner.bufferedAmount;
          },
          pause: () => inner.pause?.(),
          resume: () => inner.resume?.(),
        };
      },
    };
    const supervisor = createSupervisor({ transport, clock, networkSignals: false });
    open = { supervisor, clock };
    const link = supervisor.connect(URL, { heartbeat, backoff: { jitter: 'none' } });
    const reasons: string[] = [];
    link.on('reconnecting', ({ reason }) => reasons.push(reason.message));
    await runClock(clock, 1_000, () => link.state === 'ready', 10);
    expect(link.pause()).toBe(true);
    link.actor.send({ type: 'link.reconnect' });
    await runClock(clock, 5_000, () => link.state === 'ready', 10);
    await runClock(clock, 3 * WINDOW_MS);
    expect(link.state).toBe('ready');
    expect(server.attempts).toBe(2);
    expect(reasons).toEqual([]);
  });

  it('resumed: a peer really gone is found one heartbeat window after the resume, not before', async () => {
    const { link, server, clock } = await answeredLink();
    const lostAt: number[] = [];
    link.on('lost', () => lostAt.push(clock.now()));
    link.pause();
    await runClock(clock, 10_000);
    server.stopPongs();
    const resumedAt = clock.now();
    link.resume();
    await runClock(clock, 3 * WINDOW_MS, () => lostAt.length > 0, 10);
    expect(lostAt).toHaveLength(1);
    const after = (lostAt[0] ?? 0) - resumedAt;
    expect(after).toBeGreaterThanOrEqual(WINDOW_MS);
    expect(after).toBeLessThanOrEqual(WINDOW_MS + IO_TURN_MS + 10);
  });

  it('the hold is the link’s: it lasts across a reconnect until resume(), then the new socket reads', async () => {
    const { link, server, clock, got } = await answeredLink();
    expect(link.pause()).toBe(true);
    server.peers[0]?.terminate();
    await settle();
    expect(link.state).toBe('reconnecting');
    expect(link.pause()).toBe(true);
    await runClock(clock, 5_000, () => link.state === 'ready', 10);
    expect(stateOf(link)).toEqual({ attempt: { ready: 'paused' } });
    server.peers.at(-1)?.send('on the new socket');
    await settle();
    expect(got).toEqual([]);
    expect(link.resume()).toBe(true);
    expect(link.resume()).toBe(false);
    await settle();
    expect(got).toEqual(['on the new socket']);
    expect(stateOf(link)).not.toEqual({ attempt: { ready: 'paused' } });
  });

  it('a closing or closed link does not pause, and a link closed while paused has nothing to resume', async () => {
    const { link, clock } = await answeredLink();
    expect(link.pause()).toBe(true);
    void link.close();
    expect(link.pause()).toBe(false);
    await runClock(clock, 5_000, () => link.state === 'closed', 10);
    expect(link.pause()).toBe(false);
    expect(link.resume()).toBe(false);
  });

  it('heartbeat off: reading pauses all the same, the chart has nothing to hold', async () => {
    const clock = new TestClock();
    const net = createMemoryNetwork({ clock, inProcess: false });
    const server = net.listen(URL);
    const supervisor = createSupervisor({ transport: net.transport, clock, networkSignals: false });
    open = { supervisor, clock };
    const link = supervisor.connect(URL, { heartbeat: { mode: 'off' } });
    const got: string[] = [];
    link.on('message', (data) => got.push(String(data)));
    await runClock(clock, 1_000, () => link.state === 'ready', 10);
    expect(link.pause()).toBe(true);
    expect(stateOf(link)).toEqual({ attempt: { ready: 'unmonitored' } });
    server.peers[0]?.send('held');
    await settle();
    expect(got).toEqual([]);
    expect(link.resume()).toBe(true);
    await settle();
    expect(got).toEqual(['held']);
  });
});
