/**
 * `close()` of a session whose write is refused by a store that claims (`claimOwned`) and whose
 * record then cannot be read (every read after the refusal fails): another server B may hold it
 * (its client resumed there), replaying what it held. Before round 42 A's copy ended as when its
 * write fails, every unacknowledged message `dropped` (`server-closed`) though B's record held
 * them and B replays them (reported AND delivered). Now its end compares the record as an
 * expiry's does (`deleteOwned`, then a read): B's mark, it ends `moved`, reporting only what A
 * sent after its last write (none here). Real `ws` server on 127.0.0.1 port 0; B's claim made on
 * the store directly.
 */
import { describe, expect, it } from 'vitest';
import { SESSION_CLAIM_TRIES } from '../../machines/policy/session-claim.js';
import type { SessionRecord } from '../../src/server/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { flakyClaimStore } from './flaky-claim-store.js';
import { oneSessionOnA } from './one-session-on-a.js';

const sentSeq = (record: SessionRecord | undefined) =>
  record?.kind === 'session' ? record.stream.sentSeq : undefined;

describe('close() whose write is refused and the record unread', () => {
  const h = useHarness();

  it("B's record held m1: A's copy ends moved, m1 not reported (B replays it)", async () => {
    const { inner, calls, state, store } = flakyClaimStore();
    const { a, server, id, client, events, errors, onA } = await oneSessionOnA(h, {
      store,
      sessionTtlMs: 60_000,
      ackDelayMs: 0,
    });
    client.drop();
    await waitFor(() => sentSeq(inner.get(id)) === 1, { message: "A's away write" });
    expect(await client.connect(server.url)).toMatchObject({ outcome: 'resumed' });
    expect(onA.send('m1')).toBe('sent');
    await waitFor(() => client.got.includes('m1'), { message: 'm1' });
    // The client's c1: A's write before its ack holds m1.
    client.send('c1');
    await waitFor(() => sentSeq(inner.get(id)) === 2, { message: "A's ack write" });
    // B claims it (its client's hello there): B's mark, one version on.
    const read = inner.get(id) as SessionRecord;
    inner.put(id, { ...read, owner: 'server-b', version: (read.version ?? 0) + 1 }, 60_000);
    state.getFails = SESSION_CLAIM_TRIES;
    calls.length = 0;
    await a.close();
    expect(events).toEqual(['close moved']);
    expect(calls.filter((call) => call === 'get')).toHaveLength(SESSION_CLAIM_TRIES + 1);
    expect(inner.get(id)).toMatchObject({ owner: 'server-b', stream: { sentSeq: 2 } });
    expect(errors.map((e) => e.message)).toEqual(['the session store failed to get']);
  });
});
