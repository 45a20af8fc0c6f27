/**
 * A shared async store (one `memoryStore()` behind two servers' async wrappers, as two processes
 * over one Redis): A's check of the record before its copy of a session expires is a `get` that
 * may answer late or fail.
 * - It answers after A's `close()` was called: close() resolves only once it did, the copy's end
 *   (`moved`, what B never had `dropped`) reported before, nothing pending after.
 * - It fails (its error quoting the session id): reported as a `get`'s, no form of the id in it;
 *   the copy ends as without the check (`expired`, its messages `dropped`), B's record kept.
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
import { idForms } from '../helpers/secret-forms.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { watchTwoServers } from './watch-two-servers.js';

/** The record a sync store holds (a memoryStore answers at once). */
const got = (store: SessionStore, id: string) => store.get(id) as SessionRecord | undefined;

/** An async view of `shared`; `hold.get`, when set, answers A's next gets instead. */
function asyncView(shared: SessionStore, hold: { get?: (id: string) => Promise<undefined> }): SessionStore {
  return {
    durable: true,
    get: (id) => (hold.get ? hold.get(id) : Promise.resolve(shared.get(id))),
    put: async (id, record, ttlMs) => shared.put(id, record, ttlMs),
    delete: async (id) => shared.delete(id),
    deleteOwned: async (id, owner) => shared.deleteOwned?.(id, owner),
  };
}

describe("A's async check of a shared record", () => {
  const h = useHarness();

  async function movedToB() {
    const shared = memoryStore();
    const hold: { get?: (id: string) => Promise<undefined> } = {};
    const [serverA, serverB] = [await h.wsServer(), await h.wsServer()];
    const a = resumable(serverA.wss, { store: asyncView(shared, hold), sessionTtlMs: 300 });
    const b = resumable(serverB.wss, { store: asyncView(shared, {}) });
    h.defer(() => a.close());
    h.defer(() => b.close());
    const { errors, events, sessions, client } = watchTwoServers(h, a, b);
    expect(await client.connect(serverA.url)).toEqual({ outcome: 'new' });
    const onA = sessions[0] as ResumableSession;
    const id = onA.id;
    client.drop();
    await waitFor(() => shared.get(id) !== undefined, { message: "A's record" });
    const ownerA = got(shared, id)?.owner;
    expect(onA.send('m1')).toBe('buffered');
    expect(await client.connect(serverB.url)).toMatchObject({ outcome: 'resumed' });
    await waitFor(() => got(shared, id)?.owner !== ownerA, { message: "B's mark" });
    return { a, id, hold, shared, events, errors };
  }

  it('a get answering after close() was called: close() waits for it, the end reported first', async () => {
    const { a, id, hold, shared, events, errors } = await movedToB();
    let answer: (() => void) | undefined;
    hold.get = (held) =>
      new Promise((resolve) => {
        answer = () => resolve(shared.get(held) as undefined);
      });
    await waitFor(() => answer !== undefined, { message: "A's get", timeoutMs: 5_000 });
    let closed = false;
    const closing = a.close().then(() => {
      closed = true;
    });
    await sleep(50);
    expect(closed).toBe(false);
    expect(events).toEqual([]);
    answer?.();
    await closing;
    expect(events).toEqual(['A dropped m1 moved', 'A moved']);
    expect(got(shared, id)?.kind).toBe('session');
    expect(errors).toEqual([]);
  }, 20_000);

  it("a get that fails: reported without the id, the copy ends expired, B's record kept", async () => {
    const { id, hold, shared, events, errors } = await movedToB();
    const ownerB = got(shared, id)?.owner;
    hold.get = (held) =>
      Promise.reject(new Error(`no route to shard for ${held} (${encodeURIComponent(held)})`));
    await waitFor(() => events.includes('A expired'), { message: 'A ended', timeoutMs: 5_000 });
    expect(events).toEqual(['A dropped m1 expired', 'A expired']);
    expect(got(shared, id)?.owner).toBe(ownerB);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('the session store failed to get');
    expect(idForms(id).every((form) => !(errors[0] as string).includes(form))).toBe(true);
  }, 20_000);
});
