/**
 * `server.close()` called from a listener that runs while the server answers a hello (an
 * `evicted` listener as a new session makes room, the `close` of the session a reset ends) on real
 * `ws` servers (127.0.0.1, port 0): close() has ended every session, so the hello being answered
 * must not make one after it. Before the fix it did: a session was made and attached after close()
 * had begun, its socket left open, its chart (and the TTL timer once its client left) running after
 * close() resolved, and `size` 1 on a closed server.
 */
import { describe, expect, it } from 'vitest';
import { memoryStore, type ResumableServer, resumable } from '../../src/server/index.js';
import { TestClock } from '../../src/testing/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { RawResumeClient } from './raw-resume-client.js';

/** Connects and resolves with how the socket ended (it must end: the server is closing). */
async function refusedClose(client: RawResumeClient, url: string): Promise<number | 'welcomed'> {
  try {
    await client.connect(url);
    return 'welcomed';
  } catch (error) {
    return (error as { code: number }).code;
  }
}

describe('server.close() from a listener during a hello', () => {
  const h = useHarness();

  async function expectNothingLeft(rs: ResumableServer, clock: TestClock, closing: Promise<void>) {
    await closing;
    expect(rs.size).toBe(0);
    expect(rs.status()).toMatchObject({ sessions: 0, attached: 0, away: 0 });
    expect(clock.pending).toBe(0);
  }

  it('an evicted listener that closes the server: no session is made for the new client, its socket closes', async () => {
    const server = await h.wsServer();
    const clock = new TestClock();
    const rs = resumable(server.wss, { maxSessions: 1, clock, store: memoryStore({ clock }) });
    h.defer(() => rs.close());
    let closing: Promise<void> | null = null;
    const made: string[] = [];
    rs.on('session', (s) => made.push(s.outcome));
    rs.on('evicted', () => {
      closing = rs.close();
    });
    const first = new RawResumeClient();
    h.defer(() => first.close());
    expect(await first.connect(server.url)).toEqual({ outcome: 'new' });
    first.drop();
    await waitFor(() => rs.status().away === 1, { message: 'first away' });

    const second = new RawResumeClient();
    h.defer(() => second.close());
    expect(await refusedClose(second, server.url)).toBe(1001);
    expect(made).toEqual(['new']);
    expect(closing).not.toBeNull();
    await expectNothingLeft(rs, clock, closing as unknown as Promise<void>);
  });

  it('the close listener of a session a reset ends, closing the server: no new session after it', async () => {
    const server = await h.wsServer();
    const clock = new TestClock();
    const rs = resumable(server.wss, { clock, store: memoryStore({ clock }) });
    h.defer(() => rs.close());
    let closing: Promise<void> | null = null;
    const made: string[] = [];
    rs.on('session', (s) => {
      made.push(s.outcome);
      s.on('close', ({ reason }) => {
        if (reason === 'reset') closing = rs.close();
      });
    });
    const client = new RawResumeClient();
    h.defer(() => client.close());
    expect(await client.connect(server.url)).toEqual({ outcome: 'new' });
    client.drop();
    await waitFor(() => rs.status().away === 1, { message: 'away' });
    // The client claims more than the server sent: its numbers do not fit, the session is reset.
    (client.core.stream as { receivedSeq: number }).receivedSeq = 5;
    expect(await refusedClose(client, server.url)).toBe(1001);
    expect(made).toEqual(['new']);
    await expectNothingLeft(rs, clock, closing as unknown as Promise<void>);
  });
});
