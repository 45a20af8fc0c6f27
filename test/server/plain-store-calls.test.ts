/**
 * A plain store (no `deleteOwned`: one process uses it) gets exactly the calls it got before
 * servers could share a store: no `get` before a copy's end or `close()`, nor for a hello naming
 * a live session (only a shared store's record is read then: ./shared-store-back.test.ts).
 * The session TTL runs on a simulated clock: a busy machine's slow reconnect cannot expire the
 * session before its client resumes it (it did with a real 200 ms TTL), and the expiry comes
 * only when the test advances the clock.
 */
import { describe, expect, it } from 'vitest';
import { memoryStore, type ResumableSession, resumable, type SessionStore } from '../../src/server/index.js';
import { TestClock } from '../../src/testing/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { RawResumeClient } from './raw-resume-client.js';

describe('a plain store (no deleteOwned)', () => {
  const h = useHarness();

  it.each([false, true])(
    'gets no extra call (durable %s)',
    async (durable) => {
      const clock = new TestClock();
      const inner = memoryStore({ clock });
      const calls: string[] = [];
      const store: SessionStore = {
        durable,
        get: (id) => {
          calls.push('get');
          return inner.get(id);
        },
        put: (id, record, ttlMs) => {
          calls.push('put');
          inner.put(id, record, ttlMs);
        },
        delete: (id) => {
          calls.push('delete');
          inner.delete(id);
        },
      };
      const server = await h.wsServer();
      const a = resumable(server.wss, { store, sessionTtlMs: 5_000, clock });
      h.defer(() => a.close());
      const ends: string[] = [];
      const sessions: ResumableSession[] = [];
      a.on('session', (session) => {
        sessions.push(session);
        session.on('close', ({ reason }) => ends.push(reason));
      });
      const client = new RawResumeClient();
      h.defer(() => client.close());
      expect(await client.connect(server.url)).toEqual({ outcome: 'new' });
      const onA = sessions[0] as ResumableSession;
      client.drop();
      await waitFor(() => calls.includes('put'), { message: 'away put' });
      // Resumed while live here: no read.
      expect(await client.connect(server.url)).toMatchObject({ outcome: 'resumed' });
      client.drop();
      await waitFor(() => onA.status().connected === false, { message: 'away again' });
      await clock.advance(4_999);
      expect(ends).toEqual([]);
      await clock.advance(1);
      expect(ends).toEqual(['expired']);
      await a.close();
      // Each hello's `get` is of the new id it offers (a lost welcome's session), never of the
      // live session it names; each away a `put`; the expiry a `delete` (no `get` first).
      expect(calls).toEqual(['get', 'put', 'get', 'put', 'delete']);
    },
    20_000,
  );
});
