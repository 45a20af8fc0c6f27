/**
 * A claim that succeeded for a hello that then makes no session (its server full, or closing):
 * server B gives the record back as it read it (its owner and version, only while it is still
 * B's claim), so the server that wrote it (A) still holds it and reports what it never delivers.
 * Before: the record stayed marked as B's with no session on B holding it; A's expiry found B's
 * mark and ended its copy `moved`, reporting nothing of what its last write held (m0, m1): lost
 * unreported unless the client came back. Real `ws` servers on 127.0.0.1 port 0; A's TTL (and the
 * store's) on a simulated clock; the store is ./shared-view.ts (durable, with `claimOwned`).
 */
import { describe, expect, it } from 'vitest';
import { TestClock } from '../../src/testing/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { RawResumeClient } from './raw-resume-client.js';
import { serverB } from './server-b.js';
import { leftA } from './shared-on-a.js';

describe('a claimed record no session on the claiming server holds', () => {
  const h = useHarness();
  const options = { withReplaceOwned: true, withClaimOwned: true, sessionTtlMs: 5_000 };
  const expired = ['dropped m0 expired', 'dropped m1 expired', 'close expired'];

  it('B full (maxSessions, all attached) after its claim: 1013, the record given back to A, whose expiry reports it', async () => {
    const clock = new TestClock();
    const { inner, id, client, events, errors } = await leftA(h, { ...options, clock });
    const before = inner.get(id);
    const B = await serverB(h, inner, { maxSessions: 1 });
    const other = new RawResumeClient();
    h.defer(() => other.close());
    await other.connect(B.server.url);
    await expect(client.connect(B.server.url)).rejects.toMatchObject({ code: 1013 });
    expect(B.calls.filter((call) => call === 'claimOwned')).toHaveLength(2);
    await waitFor(() => inner.get(id)?.owner === before?.owner, { message: 'given back' });
    expect(inner.get(id)).toEqual(before);
    await clock.advance(5_000);
    await waitFor(() => events.at(-1)?.startsWith('close') === true, { message: 'A expired' });
    expect(events).toEqual(expired);
    expect([...errors, ...B.errors]).toEqual([]);
  });

  it("B's claim landing as B's close() runs: the record given back to A before close() resolves", async () => {
    const clock = new TestClock();
    const { inner, id, client, events, errors } = await leftA(h, { ...options, clock });
    const before = inner.get(id);
    const B = await serverB(h, inner);
    const land = B.holdWrite();
    const resumed = client.connect(B.server.url).catch(() => 'closed');
    await waitFor(() => B.calls.includes('claimOwned'), { message: "B's claim" });
    const closed = B.b.close();
    land();
    await closed;
    expect(inner.get(id)).toEqual(before);
    expect(await resumed).toBe('closed');
    expect(B.events).toEqual([]);
    await clock.advance(5_000);
    await waitFor(() => events.at(-1)?.startsWith('close') === true, { message: 'A expired' });
    expect(events).toEqual(expired);
    expect([...errors, ...B.errors]).toEqual([]);
  });
});
