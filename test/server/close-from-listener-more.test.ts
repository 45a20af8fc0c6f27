/**
 * Neighbours of test/server/close-from-listener.test.ts and test/server/away-listener-ends.test.ts:
 * other listeners that close the server while it is in the middle of something (real `ws`
 * servers on 127.0.0.1 port 0, a raw client). Nothing is left after close(): no session, no
 * timer, no store record, no store call after close() resolved.
 * - an `away` listener that closes the server: the session close() ended is not counted away
 *   (before i31server's fix of the away listener it was, and its record written after its delete);
 * - the `session` listener of a session back from a durable store that cannot be resumed (it
 *   ends at once as a reset): no new session for its client after close().
 */
import { describe, expect, it } from 'vitest';
import {
  memoryStore,
  type ResumableSession,
  resumable,
  type SessionRecord,
  type SessionStore,
} from '../../src/server/index.js';
import { TestClock } from '../../src/testing/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { RawResumeClient } from './raw-resume-client.js';

describe('server.close() from other listeners', () => {
  const h = useHarness();

  it('an away listener: the session ends server-closed, nothing counted away, stored or timed', async () => {
    const server = await h.wsServer();
    const clock = new TestClock();
    const store = memoryStore({ clock });
    const rs = resumable(server.wss, { clock, store });
    h.defer(() => rs.close());
    let closing: Promise<void> | null = null;
    const events: string[] = [];
    rs.on('session', (s) => {
      s.on('away', () => {
        closing = rs.close();
      });
      s.on('close', ({ reason }) => events.push(`close ${reason}`));
    });
    const client = new RawResumeClient();
    h.defer(() => client.close());
    expect(await client.connect(server.url)).toEqual({ outcome: 'new' });
    client.drop();
    await waitFor(() => closing !== null, { message: 'the away listener closed the server' });
    await closing;
    expect(events).toEqual(['close server-closed']);
    expect(rs.status()).toMatchObject({ sessions: 0, attached: 0, away: 0 });
    expect(store.size).toBe(0);
    expect(clock.pending).toBe(0);
  });

  it("a restored session's session listener, as a reset ends it: no new session after close()", async () => {
    const server = await h.wsServer();
    const clock = new TestClock();
    const records = new Map<string, SessionRecord>();
    const calls: string[] = [];
    const store: SessionStore = {
      durable: true,
      get: (id) => records.get(id),
      put: (id, record) => {
        calls.push(`put ${record.kind}`);
        records.set(id, record);
      },
      delete: (id) => {
        calls.push('delete');
        records.delete(id);
      },
    };
    const first = resumable(server.wss, { clock, store });
    const client = new RawResumeClient();
    h.defer(() => client.close());
    expect(await client.connect(server.url)).toEqual({ outcome: 'new' });
    await first.close();
    expect(records.size).toBe(1);

    const rs = resumable(server.wss, { clock, store });
    h.defer(() => rs.close());
    let closing: Promise<void> | null = null;
    const events: string[] = [];
    rs.on('session', (s: ResumableSession) => {
      events.push(`session ${s.outcome}`);
      s.on('close', ({ reason }) => events.push(`close ${reason}`));
      closing ??= rs.close();
    });
    // The client claims more than the server sent: the stored session cannot be resumed.
    (client.core.stream as { receivedSeq: number }).receivedSeq = 5;
    const refused = await client.connect(server.url).then(
      () => 'welcomed',
      (error: { code: number }) => error.code,
    );
    expect(refused).toBe(1001);
    await closing;
    expect(events).toEqual(['session resumed', 'close reset']);
    expect(rs.status()).toMatchObject({ sessions: 0, attached: 0, away: 0 });
    expect(records.size).toBe(0);
    expect(calls).toEqual(['put session', 'delete']);
    expect(clock.pending).toBe(0);
  });
});
