/**
 * A session A resumed from B's record (one shared store) whose marking write failed (reported):
 * the record still carries B's mark, yet A's live copy is the newest. Its client leaving A and
 * coming back must resume A's copy: a hello back reads the record, but B's mark on it means a
 * move only for a copy A's own write marked (./shared-store-back.test.ts). Else A's copy ended
 * `moved`, reported what A sent `dropped`, and the client resumed from B's older record.
 */
import { describe, expect, it } from 'vitest';
import {
  memoryStore,
  type ResumableSession,
  resumable,
  type SessionRecord,
  type SessionStore,
} from '../../src/server/index.js';
import { useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { watchTwoServers } from './watch-two-servers.js';

/** The record a sync store holds (a memoryStore answers at once). */
const got = (store: SessionStore, id: string) => store.get(id) as SessionRecord | undefined;

function view(shared: SessionStore, failPuts: { on: boolean }): SessionStore {
  return {
    durable: true,
    get: (id) => shared.get(id),
    put: (id, record, ttlMs) => {
      if (failPuts.on) throw new Error('store down');
      shared.put(id, record, ttlMs);
    },
    delete: (id) => shared.delete(id),
    deleteOwned: (id, owner) => shared.deleteOwned?.(id, owner),
  };
}

describe('a copy on A whose marking write failed', () => {
  const h = useHarness();

  it('its client back on A resumes it, nothing reported dropped', async () => {
    const shared = memoryStore();
    const failA = { on: false };
    const [serverA, serverB] = [await h.wsServer(), await h.wsServer()];
    const b = resumable(serverB.wss, { store: view(shared, { on: false }) });
    const a = resumable(serverA.wss, { store: view(shared, failA) });
    h.defer(() => a.close());
    h.defer(() => b.close());
    const { errors, events, sessions, client } = watchTwoServers(h, a, b);
    expect(await client.connect(serverB.url)).toEqual({ outcome: 'new' });
    const id = (sessions[0] as ResumableSession).id;
    client.drop();
    await waitFor(() => shared.get(id) !== undefined, { message: "B's record" });
    const ownerB = got(shared, id)?.owner;
    failA.on = true;
    expect(await client.connect(serverA.url)).toMatchObject({ outcome: 'resumed' });
    const onA = sessions[1] as ResumableSession;
    expect(onA.send('a1')).toBe('sent');
    await waitFor(() => client.got.length === 1, { message: 'a1' });
    client.drop();
    await waitFor(() => onA.status().connected === false, { message: 'away on A' });
    expect(got(shared, id)?.owner).toBe(ownerB);
    expect(onA.send('a2')).toBe('buffered');
    expect(await client.connect(serverA.url)).toMatchObject({ outcome: 'resumed' });
    await sleep(100);
    expect(client.got).toEqual(['a1', 'a2']);
    expect(events).toEqual([]);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((error) => error.includes('the session store failed to put'))).toBe(true);
  }, 20_000);
});
