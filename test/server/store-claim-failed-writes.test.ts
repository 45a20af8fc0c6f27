/**
 * A running session's writes that failed, with a shared store that claims (`claimOwned`): the
 * store may have made a failed write anyway (a timeout after its commit), so the next write
 * claims it too (./last-writes.ts, "failed since"): the record it left is still this session's.
 * And a long run of failures (the store down while the client comes and goes) is remembered only
 * as its newest few (`UNSURE_WRITES_KEPT`): before, every failed write was kept, and the first
 * write after the store came back made one `claimOwned` per failure (11 for 10), a list growing
 * with the outage. Real `ws` server on 127.0.0.1 port 0.
 */
import { describe, expect, it } from 'vitest';
import { UNSURE_WRITES_KEPT } from '../../src/server/last-writes.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { flakyClaimStore } from './flaky-claim-store.js';
import { oneSessionOnA } from './one-session-on-a.js';

describe("a session's failed writes with claimOwned", () => {
  const h = useHarness();

  it('a write the store made though it failed (timeout after commit) is claimed by the next', async () => {
    const { inner, calls, state, store } = flakyClaimStore();
    const { server, id, client, errors, events } = await oneSessionOnA(h, { store, sessionTtlMs: 60_000 });
    state.mode = 'timeout';
    client.drop();
    await waitFor(() => errors.length === 1, { message: 'the failed away write' });
    const made = inner.get(id);
    expect(made).toMatchObject({ kind: 'session', stream: { sentSeq: 1 } });
    state.mode = 'ok';
    expect(await client.connect(server.url)).toMatchObject({ outcome: 'resumed' });
    calls.length = 0;
    client.drop();
    await waitFor(() => inner.get(id) !== made, { message: 'the next away write' });
    // The failed write claimed first (it is the record): written, the session still A's.
    expect(calls).toEqual(['claimOwned']);
    expect(inner.get(id)).toMatchObject({ kind: 'session', version: (made?.version ?? 0) + 1 });
    expect(events).toEqual([]);
    expect(errors).toHaveLength(1);
  });

  it('after a long run of failed writes, the next claims only the newest few (and none there)', async () => {
    const { inner, calls, state, store } = flakyClaimStore();
    const { server, id, client, errors, events } = await oneSessionOnA(h, { store, sessionTtlMs: 60_000 });
    state.mode = 'lost';
    for (let i = 0; i < 10; i++) {
      const before = calls.length;
      client.drop();
      await waitFor(() => calls.length > before, { message: `failed away write ${i}` });
      expect(await client.connect(server.url)).toMatchObject({ outcome: 'resumed' });
    }
    // One error for the run of failures.
    await waitFor(() => errors.length === 1, { message: 'the failures reported' });
    expect(inner.get(id)).toBeUndefined();
    state.mode = 'ok';
    calls.length = 0;
    client.drop();
    await waitFor(() => inner.get(id) !== undefined, { message: 'the away write after the outage' });
    // The newest failed writes (none made), then none there: written.
    expect(calls).toEqual(Array(UNSURE_WRITES_KEPT + 1).fill('claimOwned'));
    expect(events).toEqual([]);
    expect(errors).toHaveLength(1);
  });
});
