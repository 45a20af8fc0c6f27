/**
 * Two servers (B and C) resuming one session from a store they share with A, at once: both read
 * A's record (version 1); C's claim wins (C's mark, version 2); B's is refused, B reads again and
 * finds C's record, and claims that (version 3): the later hello holds the session, B. Not
 * silently: C's copy learns at its next write (its client leaving: `putOwned` refused), ends
 * `moved` and reports `dropped` what it sent after its claim (B never had it). Real `ws` servers
 * on 127.0.0.1 port 0 sharing one `memoryStore()` through ./shared-view.ts (with `claimOwned`).
 */

import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { encodeHello, PROTOCOL_VERSION } from '../../src/resume/frames.js';
import type { ResumableSession } from '../../src/server/index.js';
import { TestClock } from '../../src/testing/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { serverB } from './server-b.js';
import { leftA } from './shared-on-a.js';

describe('two servers claiming one record at once', () => {
  const h = useHarness();
  const options = { withReplaceOwned: true, withClaimOwned: true, sessionTtlMs: 5_000 };

  it("the loser reads the winner's claim and claims it on; the winner's copy ends moved at its next write, reporting what it sent since", async () => {
    const { inner, id, client, errors } = await leftA(h, { ...options, clock: new TestClock() });
    const B = await serverB(h, inner);
    const C = await serverB(h, inner);
    const onC: ResumableSession[] = [];
    C.b.on('session', (s) => onC.push(s));
    // B reads A's record (a hello for the session on another socket), answered later.
    const release = B.holdGet();
    const ws = new WebSocket(B.server.url);
    h.defer(() => ws.terminate());
    await new Promise((resolve) => ws.once('open', resolve));
    const welcomed = new Promise((resolve) => ws.once('message', resolve));
    ws.send(encodeHello({ version: PROTOCOL_VERSION, sessionId: id, lastReceived: 0, newId: 'b-new' }));
    await waitFor(() => B.calls.includes('get'), { message: "B's get" });
    // C resumes it first: its claim wins.
    expect(await client.connect(C.server.url)).toMatchObject({ outcome: 'resumed' });
    const ownerC = inner.get(id)?.owner;
    expect(inner.get(id)?.version).toBe(2);
    (onC[0] as ResumableSession).send('c1');
    // B's claim refused; B reads C's record and claims it on.
    release();
    await welcomed;
    expect(B.calls.filter((call) => call === 'claimOwned')).toHaveLength(2);
    expect(inner.get(id)?.version).toBe(3);
    expect(inner.get(id)?.owner).not.toBe(ownerC);
    expect(B.b.size).toBe(1);
    // C's client leaves: C's away write refused (B's mark), C's copy ends moved, c1 reported.
    client.drop();
    await waitFor(() => C.events.at(-1)?.startsWith('B close') === true, { message: "C's copy ended" });
    expect(C.events).toEqual(['B replayed 0', 'B away', 'B dropped c1 moved', 'B close moved']);
    expect([...errors, ...B.errors, ...C.errors]).toEqual([]);
  });
});
