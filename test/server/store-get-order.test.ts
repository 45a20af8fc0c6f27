/**
 * The store's contract (src/server/session-store.ts): "the server never has two calls about one
 * session in flight". A hello's `get` of a session id is one of them: it waits for the session's
 * calls before it. Before the fix it did not: a client back just as its session was evicted
 * (its record's delete still in flight on an async store) had its `get` answered with the record
 * the delete was removing, and resumed the session the server had just ended, its messages
 * already reported `dropped` (`evicted`) sent to it again. Now the `get` follows the delete: the
 * client's next hello is a reset (`unknown-session`). Real `ws` server on 127.0.0.1 port 0.
 */
import { describe, expect, it } from 'vitest';
import { resumable, type SessionRecord, type SessionStore } from '../../src/server/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { firstAwayStored } from './first-away-stored.js';

describe("a hello's store get, as the session's delete is in flight", () => {
  const h = useHarness();

  it('waits for the delete: the evicted session is not resumed', async () => {
    const server = await h.wsServer();
    const records = new Map<string, SessionRecord>();
    const calls: string[] = [];
    /** Each session's calls in flight: never two at once (the store's contract). */
    const inFlight = new Set<string>();
    let overlapped = false;
    /** A write takes 100 ms on the store (an async store under load), a read answers at once. */
    const slow = async <T>(id: string, what: string, call: () => T): Promise<T> => {
      calls.push(what);
      if (inFlight.has(id)) overlapped = true;
      inFlight.add(id);
      await new Promise((resolve) => setTimeout(resolve, what === 'get' ? 0 : 100));
      inFlight.delete(id);
      return call();
    };
    const store: SessionStore = {
      get: (id) => slow(id, 'get', () => records.get(id)),
      put: (id, record) => slow(id, `put ${record.kind}`, () => void records.set(id, record)),
      delete: (id) => slow(id, 'delete', () => void records.delete(id)),
    };
    const rs = resumable(server.wss, { store, maxAwaySessions: 1 });
    h.defer(() => rs.close());
    const { first, second, events } = await firstAwayStored(h, server.url, rs, records);
    // The second leaves: beyond maxAwaySessions 1, the first is evicted (its delete in flight).
    second.drop();
    await waitFor(() => events.includes('0 close evicted'), { message: 'evicted' });
    expect(events).toEqual(['0 dropped once evicted', '0 close evicted']);
    const back = await first.connect(server.url);
    expect(back).toMatchObject({ outcome: 'reset', reason: 'unknown-session' });
    await rs.close();
    expect(overlapped).toBe(false);
  });
});
