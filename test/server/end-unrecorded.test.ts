/**
 * A session ended on this server whose end the store failed to record (its record's delete, or
 * the overflow note, failed: reported as an `error`): the store still holds the record written
 * as its client went away. Before the fix, its client's next hello was answered from that record:
 * the session the server had ended (its messages reported `dropped`) was resumed, those messages
 * sent again. Now, for the session's TTL, the hello gets what the end left: a reset,
 * `unknown-session` (or `overflow`). Real `ws` server on 127.0.0.1 port 0, a raw client.
 */
import { describe, expect, it } from 'vitest';
import { resumable, type SessionRecord, type SessionStore } from '../../src/server/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { firstAwayStored } from './first-away-stored.js';

describe('a session ended here, its end not recorded by the store', () => {
  const h = useHarness();

  for (const [how, end, reason] of [
    ['evicted (its delete fails)', 'evicted', 'unknown-session'],
    ['overflowed (its note fails)', 'overflow', 'overflow'],
  ] as const) {
    it(`${how}: its client's hello is a reset (${reason}), nothing replayed`, async () => {
      const server = await h.wsServer();
      const records = new Map<string, SessionRecord>();
      const store: SessionStore = {
        get: (id) => records.get(id),
        put: (id, record) => {
          if (record.kind === 'overflowed') throw new Error('disk full');
          records.set(id, record);
        },
        delete: () => {
          throw new Error('disk full');
        },
      };
      const rs = resumable(server.wss, { store, maxAwaySessions: 1, maxMessages: 2 });
      h.defer(() => rs.close());
      const errors: string[] = [];
      rs.on('error', (error) => errors.push(error.message));
      const { first, second, session, events } = await firstAwayStored(h, server.url, rs, records);
      if (end === 'evicted') second.drop();
      else for (const m of ['two', 'three']) session.send(m);
      await waitFor(() => session.ended, { message: 'the session ended' });
      expect(events[events.length - 1]).toBe(`0 close ${end}`);
      expect(errors).toEqual([`the session store failed to ${end === 'evicted' ? 'delete' : 'put'}`]);

      const back = await first.connect(server.url);
      expect(back).toMatchObject({ outcome: 'reset', reason });
      expect(first.got).toEqual(['once']);
      await rs.close();
    });
  }
});
