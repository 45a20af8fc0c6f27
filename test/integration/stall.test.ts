/**
 * An event-loop stall longer than a timeout (a CPU-bound job, a long GC, a busy host) must not
 * lose a link whose answer arrived during the stall. After the stall Node runs the expired timers
 * (timers phase) before it reads the socket (poll phase): the timeout fires first, with the answer
 * already waiting in the socket's buffer. The chart gives the answer one I/O turn in a grace state
 * (`ready.graceTurn` after the pong timeout, `connectGrace` after the connect timeout,
 * `handshakeGrace` after the handshake's, `resumeGrace` after the resume's) before it gives up.
 *
 * The server is a real `ws` server in a child process (its own event loop keeps answering while
 * this one is blocked); it tells the test each upgrade, ping and message it receives and answers
 * it a little later (a resumable one, linkvisor/server, for the resume).
 */
import { describe, expect, it } from 'vitest';
import { type AnswerServer, busyWait, startAnswerServer } from '../helpers/answer-server.js';
import { recordEvents } from '../helpers/events.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

const HEARTBEAT = { intervalMs: 200, timeoutMs: 300, maxMissed: 1 } as const;
/** The child answers each upgrade and ping this late: well within the timeouts. */
const ANSWER_DELAY_MS = 100;
/** Shorter than the stall, so it expires during it whenever the stall starts before it (the stall
 * begins when the child's upgrade line arrives, always after the connect began); long enough for a
 * busy host to get that line first (300 ms was not: a retry at load 8 on 2 cores). */
const CONNECT_TIMEOUT_MS = 1_000;
/** The handshake's and the resume's timeouts: shorter than the stall, so each expires during it
 * (the round trip asserted ≥ STALL_MS proves the answer was read after), and long enough for a
 * busy host to start the stall (the child's line read) before they expire. */
const HANDSHAKE_TIMEOUT_MS = 1_000;
const RESUME_TIMEOUT_MS = 1_000;
/** The stall: longer than the heartbeat timeout plus the pong's delay, with room for a busy host
 * (the child must have sent its pong before the stall ends). */
const STALL_MS = 1_500;

describe('integration: an event-loop stall longer than a timeout', () => {
  const h = useHarness();

  it('a pong that arrived during the stall keeps the link ready (no false loss, no reconnect)', async () => {
    const server = await startAnswerServer(ANSWER_DELAY_MS);
    h.defer(() => server.stop());
    const supervisor = h.supervisor({ ...FAST, heartbeat: HEARTBEAT });
    const link = supervisor.connect(server.url);
    const log = recordEvents(link);
    await link.ready();
    // A first ping answered normally: the peer is known to speak ping, so a missed pong counts.
    await waitFor(() => link.status().rttMs !== null, { message: 'a first pong', timeoutMs: 10_000 });

    // The next ping: block the event loop right after it went out, while its pong arrives.
    let stalled = false;
    server.on('ping', () => {
      if (stalled) return;
      stalled = true;
      busyWait(STALL_MS);
    });
    await waitFor(() => stalled, { message: 'a ping during which the loop stalled', timeoutMs: 10_000 });
    // The pong read after the stall answers that ping: its round trip spans the stall. (A smaller
    // one would mean the pong was read before the stall began: the scenario did not happen.)
    await waitFor(() => (link.status().rttMs ?? 0) >= STALL_MS || log.count('lost') > 0, {
      message: 'the pong of the stalled ping, or a loss',
      timeoutMs: 10_000,
    });
    expect(log.of<{ reason: { kind: string; message: string } }>('lost')).toEqual([]);
    expect(log.count('reconnecting')).toBe(0);
    expect(link.state).toBe('ready');
    expect(link.status().rttMs).toBeGreaterThanOrEqual(STALL_MS);
  });

  it('an upgrade answered during the stall opens the link (no connect timeout, no retry)', async () => {
    const server = await startAnswerServer(ANSWER_DELAY_MS);
    h.defer(() => server.stop());
    let stalled = false;
    server.on('upgrade', () => {
      if (stalled) return;
      stalled = true;
      busyWait(STALL_MS);
    });
    const supervisor = h.supervisor({ ...FAST, connectTimeoutMs: CONNECT_TIMEOUT_MS });
    const link = supervisor.connect(server.url);
    const log = recordEvents(link);
    await waitFor(() => log.count('ready') > 0 || log.count('reconnecting') > 0, {
      message: 'ready, or a retry',
      timeoutMs: 10_000,
    });
    expect(stalled).toBe(true);
    expect(log.of<{ reason: { kind: string } }>('reconnecting')).toEqual([]);
    expect(link.state).toBe('ready');
  });

  /** Stalls this loop once, in the stdout callback of the first `line` the server prints. */
  function stallOnce(server: AnswerServer, line: 'message'): { readonly done: boolean } {
    const state = { done: false };
    server.on(line, () => {
      if (state.done) return;
      state.done = true;
      busyWait(STALL_MS);
    });
    return state;
  }

  it('a handshake answered during the stall opens the link (no handshake timeout, no retry)', async () => {
    const server = await startAnswerServer(ANSWER_DELAY_MS);
    h.defer(() => server.stop());
    const stall = stallOnce(server, 'message');
    let answeredAfterMs = 0;
    const supervisor = h.supervisor({
      ...FAST,
      handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS,
      handshake: async (session) => {
        const sent = performance.now();
        session.send('hello');
        const echo = String(await session.next());
        if (echo !== 'hello') throw new Error(`the echo was ${echo}`);
        answeredAfterMs = performance.now() - sent;
      },
    });
    const link = supervisor.connect(server.url);
    const log = recordEvents(link);
    await waitFor(() => log.count('ready') > 0 || log.count('reconnecting') > 0, {
      message: 'ready, or a retry',
      timeoutMs: 10_000,
    });
    expect(stall.done).toBe(true);
    expect(log.of<{ reason: { kind: string; message: string } }>('reconnecting')).toEqual([]);
    expect(link.state).toBe('ready');
    // The answer was read after the stall (a smaller round trip: read before it, no scenario).
    expect(answeredAfterMs).toBeGreaterThanOrEqual(STALL_MS);
  });

  it('a resume answered during the stall opens the link (no resume timeout, no retry)', async () => {
    const server = await startAnswerServer(ANSWER_DELAY_MS, 'resume');
    h.defer(() => server.stop());
    // The client's first message is its hello: the stall starts once the server has it.
    const stall = stallOnce(server, 'message');
    const supervisor = h.supervisor({ ...FAST });
    const link = supervisor.connect(server.url, { resume: { resumeTimeoutMs: RESUME_TIMEOUT_MS } });
    const log = recordEvents(link);
    const states: string[] = [];
    let resumingSince = 0;
    let resumedAfterMs = 0;
    link.on('state', ({ to }) => {
      states.push(to);
      if (to === 'resuming') resumingSince = performance.now();
      if (to === 'ready') resumedAfterMs = performance.now() - resumingSince;
    });
    await waitFor(() => log.count('ready') > 0 || log.count('reconnecting') > 0, {
      message: 'ready, or a retry',
      timeoutMs: 10_000,
    });
    expect(stall.done).toBe(true);
    expect(log.of<{ reason: { kind: string; message: string } }>('reconnecting')).toEqual([]);
    expect(states).toEqual(['connecting', 'resuming', 'ready']);
    expect(link.state).toBe('ready');
    // The welcome was read after the stall.
    expect(resumedAfterMs).toBeGreaterThanOrEqual(STALL_MS);
  });
});
