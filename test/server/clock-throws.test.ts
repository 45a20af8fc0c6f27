/**
 * A user clock whose setTimeout throws, met by a `resumable` server's charts (real `ws` server on
 * 127.0.0.1, port 0): a session's `sessionTtl` and `ackDelay`, a socket's `helloTimeout`. No chart
 * ends in XState's `error` status; the throw is reported once on the server's `error` event
 * (LV_ERR_LISTENER, option `clock`); the timer is set on the system clock with its delay: the away
 * session lives its TTL, then expires (its messages reported `dropped`), the ack goes out after its
 * delay, a client that says hello gets its session and a silent socket is closed (1013) after the
 * hello timeout. Before, the chart failed: an uncaught exception (unhandled, it ends the process),
 * nothing reported, and the away session was kept for ever (no TTL), warned about at close(); then
 * (round 31) the timer ran at once: every away session expired as it left and every new socket was
 * closed before its hello arrived.
 */
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Clock, LinkvisorError } from '../../src/index.js';
import { type ResumableSession, resumable } from '../../src/server/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { RawResumeClient } from './raw-resume-client.js';

/** The real timers, but `setTimeout` throws for one delay: `bad` ms. */
function clockFailingAt(bad: number): Clock {
  return {
    now: () => performance.now(),
    setTimeout: (fn, ms) => {
      if (ms === bad) throw new Error(`this clock cannot count to ${bad}`);
      return setTimeout(fn, ms);
    },
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
}

/** A session's chart status (not public: read as the tests of the charts do). */
const chartStatus = (session: ResumableSession) =>
  (session as unknown as { chart: { getSnapshot(): { status: string } } }).chart.getSnapshot().status;

describe("a clock that throws, met by a resumable server's charts", () => {
  const h = useHarness();

  it('sessionTtl: the away session lives its TTL, then expires, its messages reported; the throw reported once', async () => {
    const server = await h.wsServer();
    const rs = resumable(server.wss, { clock: clockFailingAt(600), sessionTtlMs: 600 });
    h.defer(() => rs.close());
    const errors: LinkvisorError[] = [];
    rs.on('error', (error) => errors.push(error));
    const sessions: ResumableSession[] = [];
    const events: string[] = [];
    rs.on('session', (s) => {
      sessions.push(s);
      // Sent as its client leaves (the TTL timer was just asked for): kept, then reported.
      s.on('away', () => s.send('held'));
      s.on('dropped', ({ data, reason }) => events.push(`dropped ${String(data)} ${reason}`));
      s.on('close', ({ reason }) => events.push(`close ${reason}`));
    });
    const client = new RawResumeClient();
    h.defer(() => client.close());
    expect(await client.connect(server.url)).toEqual({ outcome: 'new' });
    client.drop();
    const session = sessions[0] as ResumableSession;
    await waitFor(() => events.length > 0 || rs.status().away === 1, { message: 'the session away' });
    const leftAt = performance.now();
    await waitFor(() => session.ended, { message: 'the session ended' });
    // A timer never fires early: the system clock counted the TTL (600 ms) from its leaving.
    expect(performance.now() - leftAt).toBeGreaterThanOrEqual(450);
    expect(events).toEqual(['dropped held expired', 'close expired']);
    expect(chartStatus(session)).not.toBe('error');
    expect(errors.map((e) => [e.code, e.option])).toEqual([['LV_ERR_LISTENER', 'clock']]);
    expect(rs.status()).toMatchObject({ sessions: 0, away: 0 });
    await rs.close();
  });

  it('ackDelay: the ack goes out after its delay; helloTimeout: a hello is welcomed, a silent socket closed with 1013 and counted', async () => {
    const server = await h.wsServer();
    const rs = resumable(server.wss, { clock: clockFailingAt(333), ackDelayMs: 333 });
    h.defer(() => rs.close());
    const errors: LinkvisorError[] = [];
    rs.on('error', (error) => errors.push(error));
    const sessions: ResumableSession[] = [];
    rs.on('session', (s) => sessions.push(s));
    const client = new RawResumeClient();
    h.defer(() => client.close());
    expect(await client.connect(server.url)).toEqual({ outcome: 'new' });
    const sentAt = performance.now();
    client.send('one');
    // The server's ack (its timer set on the system clock) frees the client's replay buffer.
    await waitFor(() => client.core.stream.bufferedMessages === 0, { message: 'acknowledged' });
    expect(performance.now() - sentAt).toBeGreaterThanOrEqual(250);
    const session = sessions[0] as ResumableSession;
    expect(chartStatus(session)).not.toBe('error');
    expect(session.status()).toMatchObject({ connected: true, unacknowledged: 0 });
    expect(errors.map((e) => [e.code, e.option])).toEqual([['LV_ERR_LISTENER', 'clock']]);
    await rs.close();

    const hello = resumable(server.wss, { clock: clockFailingAt(444), helloTimeoutMs: 444 });
    h.defer(() => hello.close());
    const helloErrors: LinkvisorError[] = [];
    hello.on('error', (error) => helloErrors.push(error));
    const greeted = new RawResumeClient();
    h.defer(() => greeted.close());
    // Its hello arrives within the timeout: a session (before: closed at once, 1013, or a race).
    expect(await greeted.connect(server.url)).toEqual({ outcome: 'new' });
    const silent = new WebSocket(server.url);
    h.defer(() => silent.terminate());
    const openedAt = await new Promise<number>((resolve) =>
      silent.once('open', () => resolve(performance.now())),
    );
    const code = await new Promise<number>((resolve) => silent.once('close', (c: number) => resolve(c)));
    expect(code).toBe(1013);
    expect(performance.now() - openedAt).toBeGreaterThanOrEqual(300);
    await waitFor(() => hello.status().helloTimeouts === 1, { message: 'counted' });
    expect(helloErrors.map((e) => [e.code, e.option])).toEqual([['LV_ERR_LISTENER', 'clock']]);
    await hello.close();
  });
});
