/**
 * `close()` with a durable store whose final write of a session fails reports the session's
 * unacknowledged messages `dropped` (test/server/close-durable-failed.test.ts): it ends as
 * without a durable store, whose end deletes the session's record. Before the fix the record the
 * store held from before (written as its client went away) stayed: the restarted server resumed
 * the session from that older state, a message reported `dropped` by the first server back in its
 * replay buffer (reported lost, then replayed or confirmed), what its client sent since that
 * record delivered again. Now the record is deleted: the client's next hello is a reset
 * (`unknown-session`). Real `ws` servers on 127.0.0.1 port 0.
 */
import { describe, expect, it } from 'vitest';
import type { SessionRecord, SessionStore } from '../../src/server/index.js';
import { type ResumableSession, resumable } from '../../src/server/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { RawResumeClient } from './raw-resume-client.js';

describe('close() with a durable store whose final write fails, the session stored before', () => {
  const h = useHarness();

  it('deletes the older record: the restarted server resets the client, nothing replayed', async () => {
    const server = await h.wsServer();
    const records = new Map<string, SessionRecord>();
    let failing = false;
    const calls: string[] = [];
    const store: SessionStore = {
      durable: true,
      get: (id) => records.get(id),
      put: async (id, record) => {
        calls.push(`put ${record.kind}${failing ? ' (fails)' : ''}`);
        if (failing) throw new Error('disk full');
        records.set(id, record);
      },
      delete: (id) => {
        calls.push('delete');
        records.delete(id);
      },
    };
    const rs = resumable(server.wss, { store });
    h.defer(() => rs.close());
    const errors: string[] = [];
    rs.on('error', (error) => errors.push(error.message));
    const events: string[] = [];
    const sessions: ResumableSession[] = [];
    rs.on('session', (s) => {
      sessions.push(s);
      s.on('dropped', ({ data, reason }) => events.push(`dropped ${String(data)} ${reason}`));
      s.on('close', ({ reason }) => events.push(`close ${reason}`));
    });
    // The client never acknowledges on its own: 'kept' stays in the session's replay buffer.
    const client = new RawResumeClient({ ackDelayMs: 60_000, ackEveryMessages: 1000 });
    h.defer(() => client.close());
    expect(await client.connect(server.url)).toEqual({ outcome: 'new' });
    (sessions[0] as ResumableSession).send('kept');
    await waitFor(() => client.got.length === 1, { message: 'received' });
    client.drop();
    // Its client gone: the store holds the session, 'kept' in it.
    await waitFor(() => records.size === 1 && calls.length === 1, { message: 'stored as it went away' });

    failing = true;
    await rs.close();
    expect(events).toEqual(['dropped kept server-closed', 'close server-closed']);
    expect(errors).toEqual(['the session store failed to put']);
    expect(calls).toEqual(['put session', 'put session (fails)', 'delete']);
    expect(records.size).toBe(0);

    // The restarted server: the client's session is gone, 'kept' is not delivered after its drop.
    failing = false;
    const restarted = resumable(server.wss, { store });
    h.defer(() => restarted.close());
    const back = await client.connect(server.url);
    expect(back).toMatchObject({ outcome: 'reset', reason: 'unknown-session' });
    await restarted.close();
  });
});
