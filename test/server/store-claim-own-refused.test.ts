/**
 * A session's write refused by a store that claims (`claimOwned`), whose record reads as this
 * server's OWN each time, while every claim of it as read is refused too (a store whose
 * comparison never matches what it answers to `get`, or A's own record changing under each
 * claim): after `SESSION_CLAIM_TRIES` reads and claims nothing is known, and the write failed.
 * Before this test (round 42 review) that end was silent: no ack, no `error`, no `dropped`, the
 * session going on as if written. Now it is reported as a failed `put` (once per run), the
 * record left as it was, nothing dropped. Real `ws` server on 127.0.0.1 port 0.
 */
import { describe, expect, it } from 'vitest';
import { SESSION_CLAIM_TRIES } from '../../machines/policy/session-claim.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { flakyClaimStore } from './flaky-claim-store.js';
import { oneSessionOnA } from './one-session-on-a.js';

describe("a refused claim whose record reads as A's own, every claim of it refused", () => {
  const h = useHarness();

  it('the write is reported failed (once), not silent; nothing dropped', async () => {
    const { inner, calls, state, store } = flakyClaimStore();
    const { id, client, events, errors, a, server } = await oneSessionOnA(h, { store, sessionTtlMs: 60_000 });
    // A's away write lands (the record A's own), then its client is back.
    client.drop();
    await waitFor(() => inner.get(id) !== undefined, { message: 'the first away write' });
    expect(await client.connect(server.url)).toMatchObject({ outcome: 'resumed' });
    const before = inner.get(id);
    expect(before).toMatchObject({ kind: 'session', owner: expect.any(String) });
    calls.length = 0;
    state.mode = 'refused';
    client.drop();
    const gets = () => calls.filter((call) => call === 'get').length;
    await waitFor(() => gets() === SESSION_CLAIM_TRIES && calls.at(-1) === 'get', {
      message: 'the away write: refused, read, claimed as read (refused), until the tries ran out',
    });
    await waitFor(() => errors.length > 0, { message: 'the failed write reported' });
    expect(errors.map((e) => e.message)).toEqual(['the session store failed to put']);
    expect(errors.map((e) => `${e.message} ${String(e.cause)}`).join(' ')).not.toContain(id);
    expect(events).toEqual([]);
    expect(inner.get(id)).toBe(before);
    // close()'s write fails the same way: reported (a close() write's failure always is), the
    // session ends as when its write fails.
    await a.close();
    expect(errors.map((e) => e.message)).toEqual([
      'the session store failed to put',
      'the session store failed to put',
    ]);
    // m0 acknowledged by the resume's hello: nothing to drop; A's own record deleted.
    expect(events).toEqual(['close server-closed']);
    expect(inner.get(id)).toBeUndefined();
  });
});
