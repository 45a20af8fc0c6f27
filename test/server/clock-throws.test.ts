/**
 * A user clock whose setTimeout throws, met by a `resumable` server's charts (real `ws` server on
 * 127.0.0.1, port 0): a session's `sessionTtl` and `ackDelay`, a socket's `helloTimeout`. No chart
 * ends in XState's `error` status; the throw is reported once on the server's `error` event
 * (LV_ERR_LISTENER, option `clock`); the timer runs at once: the away session expires (its
 * messages reported `dropped`), the ack goes out, the socket without a session is closed (1013).
 * Before, the chart failed: an uncaught exception (unhandled, it ends the process), nothing
 * reported, and the away session was kept for ever (no TTL), warned about at close().
 */
import { describe, expect, it } from 'vitest';
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

  it('sessionTtl: the away session expires at once, its messages reported; the throw reported once', async () => {
    const server = await h.wsServer();
    const rs = resumable(server.wss, { clock: clockFailingAt(7_777), sessionTtlMs: 7_777 });
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
    await waitFor(() => session.ended, { message: 'the session ended' });
    expect(events).toEqual(['dropped held expired', 'close expired']);
    expect(chartStatus(session)).not.toBe('error');
    expect(errors.map((e) => [e.code, e.option])).toEqual([['LV_ERR_LISTENER', 'clock']]);
    expect(rs.status()).toMatchObject({ sessions: 0, away: 0 });
    await rs.close();
  });

  it('ackDelay: the ack goes out at once; helloTimeout: the socket is closed with 1013 and counted', async () => {
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
    client.send('one');
    // The server's ack (its timer could not be set: at once) frees the client's replay buffer.
    await waitFor(() => client.core.stream.bufferedMessages === 0, { message: 'acknowledged' });
    const session = sessions[0] as ResumableSession;
    expect(chartStatus(session)).not.toBe('error');
    expect(session.status()).toMatchObject({ connected: true, unacknowledged: 0 });
    expect(errors.map((e) => [e.code, e.option])).toEqual([['LV_ERR_LISTENER', 'clock']]);
    await rs.close();

    const hello = resumable(server.wss, { clock: clockFailingAt(444), helloTimeoutMs: 444 });
    h.defer(() => hello.close());
    const helloErrors: LinkvisorError[] = [];
    hello.on('error', (error) => helloErrors.push(error));
    const late = new RawResumeClient();
    h.defer(() => late.close());
    const refused = await late.connect(server.url).then(
      () => 'welcomed',
      (error: { code: number }) => error.code,
    );
    // Closed at once, before or as its hello arrived: never a session, never a failed chart.
    expect([1013, 'welcomed']).toContain(refused);
    await waitFor(() => hello.status().helloTimeouts === 1, { message: 'counted' });
    expect(helloErrors.map((e) => [e.code, e.option])).toEqual([['LV_ERR_LISTENER', 'clock']]);
    await hello.close();
  });
});
