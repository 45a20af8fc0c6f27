/**
 * A durable store that fails to write a session: the server must not acknowledge what it could
 * not keep (the client keeps its copies for the next write, or for the restarted server), and the
 * failure is reported once as an `error`.
 */
import { describe, expect, it } from 'vitest';
import { resumable, type SessionStore } from '../../src/server/index.js';
import { useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { connectedSession } from './connected-session.js';
import { RawResumeClient } from './raw-resume-client.js';

/**
 * A resumable server on `store` and one raw client in session with it, both acking by count
 * (every message), so the tests wait for no timer: what the session received, the server's errors.
 */
async function sessionOver(h: ReturnType<typeof useHarness>, store: SessionStore) {
  const server = await h.wsServer();
  const rs = resumable(server.wss, { store, ackEveryMessages: 1 });
  h.defer(() => rs.close());
  const errors: string[] = [];
  rs.on('error', (error) => errors.push(error.message));
  const { client, session } = await connectedSession(
    h,
    rs,
    server.url,
    new RawResumeClient({ ackEveryMessages: 1 }),
  );
  const got: string[] = [];
  session.on('message', (data) => got.push(String(data)));
  return { client, got, errors };
}

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
    const { client, got, errors } = await sessionOver(h, store);
    client.send('one');
    await waitFor(() => got.length === 1 && errors.length >= 1, { message: 'delivered, put failed' });
    // A round trip through the server (a second message) so a wrongly sent ack would be here.
    client.send('two');
    await waitFor(() => got.length === 2 && puts >= 2, { message: 'second delivered' });
    // Room for a wrongly sent ack to reach the client (not a timing assertion).
    await sleep(200);
    // The second failure is of the same run: reported once (test/server/ack-write-failures.test.ts).
    expect(errors).toHaveLength(1);
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

describe('resumable(wss) with a slow durable store', () => {
  const h = useHarness();

  it('an ack covers only what the write held: messages received during the write wait for the next one', async () => {
    const writes: { receivedSeq: number; done: () => void }[] = [];
    const store: SessionStore = {
      durable: true,
      get: () => undefined,
      put: (_id, record) =>
        new Promise<void>((resolve) => {
          const stream = (record as { stream?: { receivedSeq: number } }).stream;
          writes.push({ receivedSeq: stream?.receivedSeq ?? -1, done: resolve });
        }),
      delete: () => {},
    };
    const { client, got } = await sessionOver(h, store);

    client.send('one');
    await waitFor(() => writes.length === 1, { message: 'the first write' });
    expect(writes[0]?.receivedSeq).toBe(1);
    // Two more arrive while the first write is pending.
    client.send('two');
    client.send('three');
    await waitFor(() => got.length === 3, { message: 'all three delivered' });
    writes[0]?.done();
    await waitFor(() => client.core.stream.bufferedMessages === 2, { message: 'the first one acknowledged' });
    // Room for a wrong ack of two and three to reach the client (not a timing assertion).
    await sleep(200);
    expect(client.core.stream.bufferedMessages).toBe(2);
    // They get a write of their own, then their ack.
    await waitFor(() => writes.length === 2, { message: 'the second write' });
    expect(writes[1]?.receivedSeq).toBe(3);
    writes[1]?.done();
    await waitFor(() => client.core.stream.bufferedMessages === 0, { message: 'all acknowledged' });
  });
});
