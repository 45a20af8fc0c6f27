/**
 * A durable store that fails to write a session: the server must not acknowledge what it could
 * not keep (the client keeps its copies for the next write, or for the restarted server), and the
 * failure is reported once as an `error`.
 */
import { describe, expect, it } from 'vitest';
import { type ResumableSession, resumable, type SessionStore } from '../../src/server/index.js';
import { useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { RawResumeClient } from './raw-resume-client.js';

describe('resumable(wss) with a failing durable store', () => {
  const h = useHarness();

  it('a put that rejects sends no ack: the client keeps its copies until a put succeeds', async () => {
    let failing = true;
    let puts = 0;
    const store: SessionStore = {
      durable: true,
      get: () => undefined,
      put: async () => {
        puts++;
        if (failing) throw new Error('disk full');
      },
      delete: () => {},
    };
    const server = await h.wsServer();
    // Ack by count (every message), so the test waits for no timer.
    const rs = resumable(server.wss, { store, ackEveryMessages: 1 });
    h.defer(() => rs.close());
    const errors: string[] = [];
    rs.on('error', (error) => errors.push(error.message));
    let session: ResumableSession | undefined;
    rs.on('session', (s) => {
      session = s;
    });
    const client = new RawResumeClient({ ackEveryMessages: 1 });
    h.defer(() => client.close());
    await client.connect(server.url);
    await waitFor(() => session !== undefined, { message: 'session' });
    const got: string[] = [];
    session?.on('message', (data) => got.push(String(data)));
    client.send('one');
    await waitFor(() => got.length === 1 && errors.length >= 1, { message: 'delivered, put failed' });
    // A round trip through the server (a second message) so a wrongly sent ack would be here.
    client.send('two');
    await waitFor(() => got.length === 2 && puts >= 2, { message: 'second delivered' });
    await waitFor(() => errors.length >= 2, { message: 'second put failed' });
    // Room for a wrongly sent ack to reach the client (not a timing assertion).
    await sleep(200);
    expect(errors[0]).toMatch(/store failed to put/);
    // Not written, not acknowledged: the client still holds both for replay.
    expect(client.core.stream.bufferedMessages).toBe(2);

    failing = false;
    client.send('three');
    await waitFor(() => client.core.stream.bufferedMessages === 0, {
      message: 'acknowledged once a put succeeded',
    });
    expect(got).toEqual(['one', 'two', 'three']);
  });
});
