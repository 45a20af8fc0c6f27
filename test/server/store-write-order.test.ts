/**
 * A durable store whose writes may finish in any order (a pool of connections): the server never
 * has two writes of one session in flight, so the last record written is the last one made. Real
 * `ws` server on 127.0.0.1 port 0, a raw resume client; the store holds each write until the test
 * releases it, newest first (the order that loses data when writes overlap).
 */
import { describe, expect, it } from 'vitest';
import { memoryStore, resumable, type SessionRecord } from '../../src/server/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { connectedSession } from './connected-session.js';

/** A durable store over memory whose puts take effect when released. */
function heldStore() {
  const memory = memoryStore();
  const held: { id: string; record: SessionRecord; release: () => void }[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  return {
    memory,
    held,
    mostInFlight: () => mostInFlight,
    /** Releases every held write, the newest first. */
    releaseNewestFirst() {
      for (const write of held.splice(0).reverse()) write.release();
    },
    store: {
      durable: true,
      get: (id: string) => memory.get(id),
      delete: (id: string) => memory.delete(id),
      put(id: string, record: SessionRecord, ttlMs: number): Promise<void> {
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        return new Promise((resolve) => {
          held.push({
            id,
            record,
            release: () => {
              memory.put(id, record, ttlMs);
              inFlight--;
              resolve();
            },
          });
        });
      },
    },
  };
}

describe('resumable(wss): writes of one session to an async store', () => {
  const h = useHarness();

  it('never overlap: the record a restart finds holds what was sent while the client was away', async () => {
    const server = await h.wsServer();
    const held = heldStore();
    const rs = resumable(server.wss, { store: held.store });
    const { client, session } = await connectedSession(h, rs, server.url);
    client.drop();
    await waitFor(() => held.held.length === 1, { message: 'the away write' });
    session.send('while away');
    const closed = rs.close(); // writes the session again, now with the message
    let released = false;
    void closed.then(() => {
      released = true;
    });
    while (!released) {
      held.releaseNewestFirst();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(held.mostInFlight()).toBe(1);
    const record = (await held.memory.get(session.id)) as SessionRecord;
    expect(record.kind).toBe('session');
    expect((record as Extract<SessionRecord, { kind: 'session' }>).stream.unacked).toHaveLength(1);
  });
});
