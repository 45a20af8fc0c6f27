/**
 * Two servers sharing one durable store (two processes over one Redis, here two `resumable()`
 * servers each with its own file store over one directory, as two processes would have): a client
 * that leaves server A and resumes on server B has its session live on B, while A still holds it
 * away until its TTL. A's expiry must not delete the record B resumed from: B's session is live,
 * its acknowledged messages stored there, and a crash of B would otherwise lose it (the client's
 * next hello, to any server, a reset: `unknown-session`). Real `ws` servers on 127.0.0.1 port 0.
 */
import { describe, expect, it } from 'vitest';
import { type ResumableSession, resumable } from '../../src/server/index.js';
import { useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { fileStore, tempDir } from './file-store.js';
import { RawResumeClient } from './raw-resume-client.js';

describe('two servers sharing one durable store', () => {
  const h = useHarness();

  it("one's expiry of a session leaves the record the other resumed it from", async () => {
    const { dir, remove } = tempDir();
    h.defer(remove);
    const [serverA, serverB, serverC] = [await h.wsServer(), await h.wsServer(), await h.wsServer()];
    const a = resumable(serverA.wss, { store: fileStore(dir), sessionTtlMs: 300 });
    const b = resumable(serverB.wss, { store: fileStore(dir) });
    h.defer(() => a.close());
    h.defer(() => b.close());
    const errors: string[] = [];
    for (const server of [a, b]) server.on('error', (error) => errors.push(error.message));
    const onA: ResumableSession[] = [];
    const ends: string[] = [];
    a.on('session', (session) => {
      onA.push(session);
      session.on('close', ({ reason }) => ends.push(`A ${reason}`));
    });
    const client = new RawResumeClient();
    h.defer(() => client.close());
    expect(await client.connect(serverA.url)).toEqual({ outcome: 'new' });
    const id = (onA[0] as ResumableSession).id;
    client.drop();
    // Away on A: A stored it.
    await waitFor(() => (onA[0] as ResumableSession).status().connected === false, { message: 'away' });
    // The write may take a while on a busy host: a deadline, not 100 polls of 5 ms.
    await waitFor(async () => (await fileStore(dir).get(id)) !== undefined, {
      timeoutMs: 10_000,
      message: "A's record of the session in the store",
    });
    expect(await fileStore(dir).get(id)).toMatchObject({ kind: 'session' });

    // The client resumes on B (from the store), while A still holds the session away.
    expect(await client.connect(serverB.url)).toMatchObject({ outcome: 'resumed' });
    await waitFor(() => ends.length === 1, { message: 'A ended', timeoutMs: 5_000 });
    // Its client resumed it on B: A's copy ends `moved` (test/server/shared-store-moved.test.ts).
    expect(ends).toEqual(['A moved']);
    await sleep(100);
    // B's live session's record is still there: B crashing (its socket half-open, no close())
    // and a server restarted on the store resumes the client.
    expect(await fileStore(dir).get(id)).toMatchObject({ kind: 'session' });
    client.leaveHalfOpen();
    const c = resumable(serverC.wss, { store: fileStore(dir) });
    h.defer(() => c.close());
    expect(await client.connect(serverC.url)).toMatchObject({ outcome: 'resumed' });
    expect(errors).toEqual([]);
  }, 20_000);
});
