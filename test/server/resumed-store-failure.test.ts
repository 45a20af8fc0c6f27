/**
 * A session resumed from a durable store after a restart (outcome `resumed`), whose store then
 * fails: its writes fail (no ack goes out: the client keeps its copies; reported, the session id
 * in no form), it recovers (the next write acknowledges everything it held), and the delete of its
 * end fails: the client's next hello naming it is a reset, never a resume from the stale record.
 */
import { describe, expect, it } from 'vitest';
import {
  type ResumableSession,
  resumable,
  type SessionRecord,
  type SessionStore,
} from '../../src/server/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { RawResumeClient } from './raw-resume-client.js';

/** A durable store in memory whose writes and deletes fail while told to, quoting their key. */
function flakyStore() {
  const records = new Map<string, SessionRecord>();
  const state = { failPut: false, failDelete: false, puts: 0 };
  const store: SessionStore = {
    durable: true,
    get: async (id) => records.get(id),
    put: async (id, record) => {
      state.puts++;
      if (state.failPut) throw new Error(`write of ${id} failed`);
      records.set(id, structuredClone(record));
    },
    delete: async (id) => {
      if (state.failDelete) throw new Error(`delete of ${id} failed`);
      records.delete(id);
    },
  };
  return { store, state, records };
}

describe('a session resumed from a durable store whose store then fails', () => {
  const h = useHarness();

  it('no ack while its writes fail; acked once one succeeds; a failed delete of its end is no resume', async () => {
    const { store, state, records } = flakyStore();
    const first = await h.wsServer();
    const rs1 = resumable(first.wss, { store, ackEveryMessages: 1 });
    const client = new RawResumeClient({ ackEveryMessages: 1 });
    h.defer(() => client.close());
    expect(await client.connect(first.url)).toEqual({ outcome: 'new' });
    client.send('c1');
    await waitFor(() => client.core.stream.bufferedMessages === 0, { message: 'c1 acknowledged' });
    await rs1.close();
    await first.stop();
    expect(records.size).toBe(1);
    const [sessionId] = [...records.keys()] as [string];

    const second = await h.wsServer();
    const rs2 = resumable(second.wss, { store, ackEveryMessages: 1 });
    h.defer(() => rs2.close());
    const errors: Error[] = [];
    rs2.on('error', (error) => errors.push(error));
    const got: string[] = [];
    const closes: string[] = [];
    const outcomes: string[] = [];
    let session: ResumableSession | undefined;
    rs2.on('session', (s) => {
      session = s;
      outcomes.push(s.outcome);
      s.on('message', (d) => got.push(String(d)));
      s.on('close', ({ reason }) => closes.push(reason));
    });
    state.failPut = true;
    expect(await client.connect(second.url)).toMatchObject({ outcome: 'resumed' });
    expect(outcomes).toEqual(['resumed']);
    client.send('c2');
    await waitFor(() => got.length === 1 && errors.length > 0, { message: 'c2 delivered, write failed' });
    expect(got).toEqual(['c2']);
    // Not written, so not acknowledged: the client keeps c2.
    expect(client.core.stream.bufferedMessages).toBe(1);
    for (const error of errors) {
      const text = `${error.message} ${String((error as { cause?: unknown }).cause)} ${JSON.stringify(error)}`;
      expect(text).not.toContain(sessionId);
      expect(text).not.toContain(Buffer.from(sessionId).toString('base64'));
    }
    state.failPut = false;
    client.send('c3');
    await waitFor(() => client.core.stream.bufferedMessages === 0, { message: 'c2, c3 acknowledged' });
    expect(got).toEqual(['c2', 'c3']);

    // Its end's delete fails: the stale record stays in the store.
    state.failDelete = true;
    session?.close();
    await waitFor(() => closes.length === 1, { message: 'closed' });
    expect(closes).toEqual(['closed']);
    await waitFor(() => errors.some((e) => e.message.includes('delete')), { message: 'delete failed' });
    expect(records.has(sessionId)).toBe(true);
    // The client comes back naming it (as after a lost close frame): a reset, not a resume.
    const outcome = await client.connect(second.url);
    expect(outcome).toMatchObject({ outcome: 'reset' });
    expect(outcomes).toEqual(['resumed', 'reset']);
  });
});
