/**
 * What a server does after a successful claim (./shared-store-claim.test.ts) throwing: B claims
 * A's record for its client's hello, then sending the welcome throws (a socket whose `send`
 * throws). Reported (`answering a resume hello failed`, without the session id), the socket
 * terminated; the session B made for it (never emitted: `session` comes after the welcome) ends at
 * once and deletes B's claim, so A's expiry finds no record and reports what it held (m0, m1).
 * Before: B's session stayed live, attached to the dead socket, unknown to B's application, no
 * TTL: the claimed record held by nobody that would ever end it, and A's expiry, finding B's mark,
 * reported m0 as `moved`. Real `ws` servers on 127.0.0.1 port 0; A's TTL on a simulated clock.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { TestClock } from '../../src/testing/index.js';
import { useHarness } from '../helpers/harness.js';
import { idForms } from '../helpers/secret-forms.js';
import { waitFor } from '../helpers/wait.js';
import { serverB } from './server-b.js';
import { leftA } from './shared-on-a.js';

describe('a claim whose hello then throws as it is answered', () => {
  const h = useHarness();

  it("the welcome's send throws: reported, B's session ends, its claim deleted, A reports what it held", async () => {
    const clock = new TestClock();
    const options = { withClaimOwned: true, withReplaceOwned: true, sessionTtlMs: 5_000, clock };
    const a = await leftA(h, options);
    const B = await serverB(h, a.inner);
    B.server.wss.prependListener('connection', (ws) => {
      ws.send = () => {
        throw new Error(`send failed for ${a.id}`);
      };
    });
    await expect(a.client.connect(B.server.url)).rejects.toThrow();
    await waitFor(() => B.errors.length > 0, { message: 'reported' });
    const text = B.errors.map((e) => `${e.message} ${inspect(e, { depth: 8 })}`).join();
    expect(text).toMatch(/answering a resume hello failed/);
    expect(idForms(a.id).filter((form) => text.includes(form))).toEqual([]);
    expect(B.calls).toContain('claimOwned');
    await waitFor(() => a.inner.get(a.id) === undefined, { message: "B's claim deleted" });
    expect(B.b.size).toBe(0);
    expect(B.events).toEqual([]);
    await clock.advance(5_000);
    await waitFor(() => a.events.at(-1)?.startsWith('close') === true, { message: 'A expired' });
    expect(a.events).toEqual(['dropped m0 expired', 'dropped m1 expired', 'close expired']);
  });
});
