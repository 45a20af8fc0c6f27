/**
 * A hello's claim (src/server/claimed-lookup.ts) when its socket goes before the claim is
 * answered, on a store shared by servers A and B (./shared-view.ts, with `claimOwned`): gone
 * before its lookup answered, no claim is made; gone while a refused claim was in flight, no
 * other read; gone while a claim that fails was in flight (a store error, reported without any form
 * of the id), no session on B. Each time the record stays A's, whose expiry reports what it never delivered. Real `ws`
 * servers on 127.0.0.1 port 0; A's TTL (and the store's) on a simulated clock.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../src/server/index.js';
import { TestClock } from '../../src/testing/index.js';
import { useHarness } from '../helpers/harness.js';
import { idForms } from '../helpers/secret-forms.js';
import { waitFor } from '../helpers/wait.js';
import { serverB } from './server-b.js';
import { leftA } from './shared-on-a.js';

/** Long enough for B's answered calls to have run their course (an absence is checked). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

describe("a claim whose hello's socket went meanwhile", () => {
  const h = useHarness();
  const options = { withReplaceOwned: true, withClaimOwned: true, sessionTtlMs: 5_000 };
  const expired = ['dropped m0 expired', 'dropped m1 expired', 'close expired'];

  async function setup() {
    const clock = new TestClock();
    const a = await leftA(h, { ...options, clock });
    const B = await serverB(h, a.inner);
    const count = (call: string) => B.calls.filter((c) => c === call).length;
    const holdWrite = B.holdWrite;
    const goneFromB = async () => {
      a.client.drop();
      await waitFor(() => B.server.wss.clients.size === 0, { message: 'the socket gone on B' });
    };
    const aExpires = async () => {
      await clock.advance(5_000);
      await waitFor(() => a.events.at(-1)?.startsWith('close') === true, { message: 'A expired' });
      expect(a.events).toEqual(expired);
    };
    return { ...a, B, count, holdWrite, goneFromB, aExpires };
  }

  it('gone before its lookup answered: no claim, no session on B', async () => {
    const { inner, id, client, B, count, goneFromB, aExpires } = await setup();
    const before = inner.get(id);
    const release = B.holdGet();
    const resumed = client.connect(B.server.url).catch(() => 'closed');
    await waitFor(() => B.calls.includes('get'), { message: "B's get" });
    await goneFromB();
    release();
    expect(await resumed).toBe('closed');
    await settle();
    expect(count('claimOwned')).toBe(0);
    expect(B.b.size).toBe(0);
    expect(inner.get(id)).toEqual(before);
    await aExpires();
  });

  it('gone while its claim was in flight and refused: no other read, no session on B', async () => {
    const { inner, id, client, B, count, holdWrite, goneFromB, aExpires } = await setup();
    const land = holdWrite(() => {
      const record = inner.get(id) as SessionRecord;
      inner.put(id, { ...record, version: (record.version ?? 0) + 1 }, 60_000);
    });
    const resumed = client.connect(B.server.url).catch(() => 'closed');
    await waitFor(() => B.calls.includes('claimOwned'), { message: "B's claim" });
    await goneFromB();
    const gets = count('get');
    land();
    expect(await resumed).toBe('closed');
    await settle();
    expect(count('get')).toBe(gets);
    expect(count('claimOwned')).toBe(1);
    expect(B.b.size).toBe(0);
    await aExpires();
  });

  it("gone while its claim was in flight and failed (reported): no session on B, the record A's", async () => {
    const { inner, id, client, B, holdWrite, goneFromB, aExpires } = await setup();
    const before = inner.get(id);
    const store = inner as unknown as { claimOwned: (...args: unknown[]) => unknown };
    const real = store.claimOwned;
    // The store's error quotes the key (the session id) in every form: none reaches the report.
    store.claimOwned = () => {
      throw Object.assign(new Error(`claim of sess:${idForms(id).join(' ')} failed`), { key: `sess:${id}` });
    };
    h.defer(() => {
      store.claimOwned = real;
    });
    const land = holdWrite();
    const resumed = client.connect(B.server.url).catch(() => 'closed');
    await waitFor(() => B.calls.includes('claimOwned'), { message: "B's claim" });
    await goneFromB();
    land();
    expect(await resumed).toBe('closed');
    await waitFor(() => B.errors.length > 0, { message: 'the failed claim reported' });
    const text = B.errors.map((e) => `${e.message} ${inspect(e, { depth: 8 })} ${JSON.stringify(e)}`).join();
    expect(text).toMatch(/failed to put.*claim of sess:\[redacted\]/s);
    expect(idForms(id).filter((form) => text.includes(form))).toEqual([]);
    await settle();
    expect(B.b.size).toBe(0);
    expect(B.events).toEqual([]);
    expect(inner.get(id)).toEqual(before);
    await aExpires();
  });
});
