/**
 * A user clock whose `clearTimeout` or `now()` throws, met by a `resumable` server (real `ws`
 * server on 127.0.0.1, port 0; a raw client). Neighbours of test/server/clock-throws.test.ts
 * (a `setTimeout` that throws).
 * - `clearTimeout` throws: the TTL timer of a session whose client came back stays set on the
 *   clock. Before the fix it fired at its time into the session's next `away` (the same delayed
 *   event of the same state), and the session expired before its TTL, its messages dropped.
 *   Now it does nothing: the session waits its whole TTL; the throw is reported once.
 * - `now()` throws: before the fix it threw out of the socket's `message` event (an uncaught
 *   exception: it ends the process), and the server's own store (the same clock) failed each write;
 *   now it is reported once, the message delivered, acknowledged, the session stored as it leaves.
 */
import { describe, expect, it } from 'vitest';
import type { LinkvisorError } from '../../src/index.js';
import { type ResumableSession, resumable } from '../../src/server/index.js';
import { TestClock } from '../../src/testing/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { RawResumeClient } from './raw-resume-client.js';

/** A simulated clock that cannot clear a timer. */
class ClearThrowsClock extends TestClock {
  override clearTimeout(): void {
    throw new Error('this clock cannot clear');
  }
}

describe('a clock whose clearTimeout or now() throws, met by a resumable server', () => {
  const h = useHarness();

  it('clearTimeout: a TTL timer it could not clear never expires the session before its TTL', async () => {
    const server = await h.wsServer();
    const clock = new ClearThrowsClock();
    const rs = resumable(server.wss, { clock, sessionTtlMs: 1_000 });
    h.defer(() => rs.close());
    const errors: LinkvisorError[] = [];
    rs.on('error', (error) => errors.push(error));
    const sessions: ResumableSession[] = [];
    const events: string[] = [];
    rs.on('session', (s) => {
      sessions.push(s);
      s.on('close', ({ reason }) => events.push(`close ${reason}`));
    });
    const client = new RawResumeClient();
    h.defer(() => client.close());
    expect(await client.connect(server.url)).toEqual({ outcome: 'new' });
    client.drop();
    await waitFor(() => rs.status().away === 1, { message: 'away' });
    await clock.advance(400);
    // Back at 400 ms: its TTL timer (due at 1,000) is cleared, and the clock throws.
    expect(await client.connect(server.url)).toMatchObject({ outcome: 'resumed' });
    await clock.advance(400);
    client.drop();
    await waitFor(() => rs.status().away === 1, { message: 'away again' });
    // 1,200 ms: the first TTL timer's time; the second away (from 800) waits until 1,800.
    await clock.advance(400);
    expect(events).toEqual([]);
    expect((sessions[0] as ResumableSession).ended).toBe(false);
    await clock.advance(700);
    await waitFor(() => events.length === 1, { message: 'expired' });
    expect(events).toEqual(['close expired']);
    expect(errors.map((e) => [e.code, e.option])).toEqual([['LV_ERR_LISTENER', 'clock']]);
    await rs.close();
    // What the clock could not clear (each socket's hello timeout) fires into nothing.
    await clock.advance(20_000);
    expect(errors).toHaveLength(1);
  });

  it('now(): reported once; the message is delivered and acknowledged', async () => {
    const server = await h.wsServer();
    const clock = new TestClock();
    clock.now = () => {
      throw new Error('this clock cannot tell the time');
    };
    const rs = resumable(server.wss, { clock, ackEveryMessages: 1 });
    h.defer(() => rs.close());
    const errors: LinkvisorError[] = [];
    rs.on('error', (error) => errors.push(error));
    const got: string[] = [];
    const ids: string[] = [];
    rs.on('session', (s) => {
      ids.push(s.id);
      s.on('message', (data) => got.push(String(data)));
    });
    const client = new RawResumeClient();
    h.defer(() => client.close());
    expect(await client.connect(server.url)).toEqual({ outcome: 'new' });
    client.send('one');
    client.send('two');
    await waitFor(() => client.core.stream.bufferedMessages === 0, { message: 'acknowledged' });
    expect(got).toEqual(['one', 'two']);
    // Its client gone: the server's own store keeps the session (its records' deadlines on the
    // same clock, as the server reads it: no store failure at each departure).
    client.drop();
    await waitFor(() => rs.status().away === 1, { message: 'away' });
    expect(errors.map((e) => [e.code, e.option])).toEqual([['LV_ERR_LISTENER', 'clock']]);
    // The session id is a bearer secret: never in the error.
    expect(ids).toHaveLength(1);
    expect(`${errors[0]?.message} ${String(errors[0]?.cause)}`).not.toContain(ids[0]);
    await rs.close();
  });
});
