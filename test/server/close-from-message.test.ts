/**
 * A session's `message` listener that closes the server (a shutdown command from a client) on a
 * durable store: close() stops the session and writes it once. Before the fix, the frame's
 * handling carried on after the listener: the ack its message was due (`ackEveryMessages`) asked
 * the store for a second write of a session already left to it, a store call close() had not
 * made (and a second `error` when the store failed). Real `ws` server on 127.0.0.1 port 0.
 */
import { describe, expect, it } from 'vitest';
import { type ResumableSession, resumable, type SessionStore } from '../../src/server/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { RawResumeClient } from './raw-resume-client.js';

describe('a message listener that closes the server, on a durable store', () => {
  const h = useHarness();

  for (const fails of [false, true]) {
    it(`the session is written once${fails ? ' (the write fails: one error)' : ''}`, async () => {
      const server = await h.wsServer();
      const calls: string[] = [];
      const store: SessionStore = {
        durable: true,
        get: () => undefined,
        put: async (_id, record) => {
          calls.push(`put ${record.kind}`);
          if (fails) throw new Error('disk full');
        },
        delete: () => {
          calls.push('delete');
        },
      };
      const rs = resumable(server.wss, { store, ackEveryMessages: 1 });
      h.defer(() => rs.close());
      const errors: string[] = [];
      rs.on('error', (error) => errors.push(error.message));
      let closed: Promise<void> | null = null;
      const sessions: ResumableSession[] = [];
      rs.on('session', (s) => {
        sessions.push(s);
        s.on('message', () => {
          closed = rs.close();
        });
      });
      const client = new RawResumeClient();
      h.defer(() => client.close());
      expect(await client.connect(server.url)).toEqual({ outcome: 'new' });
      client.send('shut down');
      await waitFor(() => closed !== null, { message: 'the listener closed the server' });
      await closed;
      expect(calls).toEqual(fails ? ['put session', 'delete'] : ['put session']);
      expect(errors).toEqual(fails ? ['the session store failed to put'] : []);
      expect((sessions[0] as ResumableSession).ended).toBe(true);
    });
  }
});
