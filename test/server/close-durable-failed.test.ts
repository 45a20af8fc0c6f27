/**
 * `close()` on a durable store leaves each session to the store (its client resumes on the
 * restarted server) and reports nothing `dropped`. When that final write fails, nothing keeps the
 * session: its messages never acknowledged are lost, and must be reported `dropped`
 * (`server-closed`) before its `close`, as without a durable store. Real `ws` server on
 * 127.0.0.1 port 0, a raw client. Before the fix they vanished: the store's failure was reported
 * as an `error`, the messages nowhere.
 */
import { describe, expect, it } from 'vitest';
import { type ResumableSession, resumable, type SessionStore } from '../../src/server/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { RawResumeClient } from './raw-resume-client.js';

describe('close() with a durable store whose final write fails', () => {
  const h = useHarness();

  for (const how of ['rejects', 'throws'] as const) {
    it(`a put that ${how}: the session's unacknowledged messages are reported dropped, then close`, async () => {
      const server = await h.wsServer();
      let closing = false;
      const store: SessionStore = {
        durable: true,
        get: () => undefined,
        put: (): void | Promise<void> => {
          if (!closing) return;
          if (how === 'throws') throw new Error('disk full');
          return Promise.reject(new Error('disk full'));
        },
        delete: () => {},
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
      const kept = new RawResumeClient();
      const away = new RawResumeClient();
      h.defer(() => kept.close());
      h.defer(() => away.close());
      await kept.connect(server.url);
      await away.connect(server.url);
      away.drop();
      await waitFor(() => rs.status().away === 1, { message: 'away' });
      (sessions[1] as ResumableSession).send('while away');

      closing = true;
      await rs.close();
      expect(errors).toEqual(['the session store failed to put', 'the session store failed to put']);
      expect(events).toEqual([
        'close server-closed',
        'dropped while away server-closed',
        'close server-closed',
      ]);
    });
  }

  it('a put that succeeds: no drop reported, the sessions are the store’s', async () => {
    const server = await h.wsServer();
    const puts: string[] = [];
    const store: SessionStore = {
      durable: true,
      get: () => undefined,
      put: async (_id, record) => {
        puts.push(record.kind);
      },
      delete: () => {},
    };
    const rs = resumable(server.wss, { store });
    h.defer(() => rs.close());
    const events: string[] = [];
    rs.on('session', (s) => {
      s.on('dropped', ({ data }) => events.push(`dropped ${String(data)}`));
      s.on('close', ({ reason }) => events.push(`close ${reason}`));
      s.send('kept');
    });
    const client = new RawResumeClient({ ackDelayMs: 60_000, ackEveryMessages: 1000 });
    h.defer(() => client.close());
    await client.connect(server.url);
    await rs.close();
    expect(events).toEqual(['close server-closed']);
    expect(puts).toEqual(['session']);
  });
});
