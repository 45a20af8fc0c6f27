/**
 * Two servers sharing one durable store: the write by which server B marks a session it resumed
 * from server A's record fails (reported). The record is still A's, so B's session's end must
 * delete it whatever its mark; before, B's `deleteOwned` left it (not B's), and the ended session
 * stayed resumable from A's stale record until its TTL: a hello naming it on a third server
 * resumed it (its messages replayed) instead of a reset. Real `ws` servers on 127.0.0.1 port 0.
 */
import { describe, expect, it } from 'vitest';
import { type ResumableSession, resumable } from '../../src/server/index.js';
import { useHarness } from '../helpers/harness.js';
import { idForms } from '../helpers/secret-forms.js';
import { waitFor } from '../helpers/wait.js';
import { fileStore, tempDir } from './file-store.js';
import { RawResumeClient } from './raw-resume-client.js';

describe("a failed marking write of a session resumed from another server's record", () => {
  const h = useHarness();

  it("the session's end on B deletes the record all the same: no server resumes it after", async () => {
    const { dir, remove } = tempDir();
    h.defer(remove);
    const [serverA, serverB, serverC] = [await h.wsServer(), await h.wsServer(), await h.wsServer()];
    const a = resumable(serverA.wss, { store: fileStore(dir) });
    // B's store refuses its next put once armed (the marking write).
    const storeB = fileStore(dir);
    let refuse = false;
    const put = storeB.put.bind(storeB);
    storeB.put = async (id, record, ttlMs) => {
      if (refuse) {
        refuse = false;
        throw new Error(`disk full writing ${id}`);
      }
      return put(id, record, ttlMs);
    };
    const b = resumable(serverB.wss, { store: storeB });
    h.defer(() => a.close());
    h.defer(() => b.close());
    const errors: string[] = [];
    for (const server of [a, b])
      server.on('error', (error) => errors.push(`${error.message}: ${error.cause}`));
    const sessions: ResumableSession[] = [];
    a.on('session', (session) => sessions.push(session));
    const ended: string[] = [];
    b.on('session', (session) => session.on('close', ({ reason }) => ended.push(reason)));
    const client = new RawResumeClient();
    h.defer(() => client.close());
    expect(await client.connect(serverA.url)).toEqual({ outcome: 'new' });
    const id = (sessions[0] as ResumableSession).id;
    client.drop();
    const store = fileStore(dir);
    await waitFor(async () => (await store.get(id)) !== undefined, { message: "A's record" });

    refuse = true;
    expect(await client.connect(serverB.url)).toMatchObject({ outcome: 'resumed' });
    await waitFor(() => errors.length === 1, { message: 'the marking write failed' });
    expect(errors[0]).toMatch(/^the session store failed to put: Error: disk full writing /);
    // The client ends its session on B: B's end deletes the record (A's mark on it).
    await client.close(1000);
    await waitFor(() => ended.length === 1, { message: 'ended on B' });
    expect(ended).toEqual(['client-closed']);
    await waitFor(async () => (await store.get(id)) === undefined, {
      message: 'record deleted',
      timeoutMs: 10_000,
    });

    const c = resumable(serverC.wss, { store: fileStore(dir) });
    h.defer(() => c.close());
    expect(await client.connect(serverC.url)).toMatchObject({ outcome: 'reset', reason: 'unknown-session' });
    expect(errors).toHaveLength(1);
    expect(idForms(id).some((form) => (errors[0] as string).includes(form))).toBe(false);
  }, 20_000);
});
