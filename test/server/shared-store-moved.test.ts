/**
 * Two servers sharing one durable store (each with its own file store over one directory, as two
 * processes over one Redis would be): a client leaves server A and resumes on server B, while A
 * still holds its copy of the session away. A's copy then ends `moved`, reporting `dropped` only
 * what B could not have (sent after A's last write of the record B resumed from), and:
 * - as it expires, nothing B had is reported `dropped` (before: every unacknowledged message,
 *   `expired`, though the client had it);
 * - its `close()` does not write A's older copy over B's newer record (before: it did, and the
 *   client's next resume, from that record, replayed a message the client never should get).
 * Real `ws` servers on 127.0.0.1 port 0; no session id in any error or event.
 */
import { describe, expect, it } from 'vitest';
import { type ResumableSession, resumable } from '../../src/server/index.js';
import { useHarness } from '../helpers/harness.js';
import { idForms } from '../helpers/secret-forms.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { fileStore, tempDir } from './file-store.js';
import { watchTwoServers } from './watch-two-servers.js';

describe('a session whose client moved to another server sharing the store', () => {
  const h = useHarness();

  /** A (TTL `ttlA`) and B over one directory. A sends m0 (received, not acknowledged), the client
   * drops (A writes the record: m0), A sends m1 and m2 while it is away (never written), and the
   * client resumes on B from A's record: nothing to replay (it has m0). */
  async function movedToB(ttlA: number) {
    const { dir, remove } = tempDir();
    h.defer(remove);
    const [serverA, serverB, serverC] = [await h.wsServer(), await h.wsServer(), await h.wsServer()];
    const a = resumable(serverA.wss, { store: fileStore(dir), sessionTtlMs: ttlA });
    const b = resumable(serverB.wss, { store: fileStore(dir) });
    h.defer(() => a.close());
    h.defer(() => b.close());
    const { errors, events, sessions, client } = watchTwoServers(h, a, b);
    expect(await client.connect(serverA.url)).toEqual({ outcome: 'new' });
    const onA = sessions[0] as ResumableSession;
    const id = onA.id;
    expect(onA.send('m0')).toBe('sent');
    await waitFor(() => client.got.length === 1, { message: 'm0' });
    const store = fileStore(dir);
    client.drop();
    await waitFor(async () => sentSeq(await store.get(id)) === 1, { message: "A's record" });
    const ownerA = (await store.get(id))?.owner;
    expect(onA.send('m1')).toBe('buffered');
    expect(onA.send('m2')).toBe('buffered');
    expect(await client.connect(serverB.url)).toMatchObject({ outcome: 'resumed' });
    const onB = sessions[1] as ResumableSession;
    // B marked the record as its own (its resume wrote it).
    await waitFor(async () => (await store.get(id))?.owner !== ownerA, { message: "B's mark" });
    return { a, serverC, dir, id, client, events, errors, onB, store };
  }

  it("A's expiry of its copy reports only what B never had, `moved`", async () => {
    const { events, errors, id, client } = await movedToB(400);
    await waitFor(() => events.some((event) => event.startsWith('A ') && !event.includes('dropped')), {
      message: 'A ended',
      timeoutMs: 5_000,
    });
    await sleep(50);
    expect(events).toEqual(['A dropped m1 moved', 'A dropped m2 moved', 'A moved']);
    expect(client.got).toEqual(['m0']);
    expect(errors).toEqual([]);
    expect(noId(events, id)).toBe(true);
  }, 20_000);

  it("A's close() leaves B's newer record: the client resumes from it on C", async () => {
    const { a, dir, id, client, events, errors, serverC, onB, store } = await movedToB(60_000);
    // B sends b1 (seq 2 in B's numbering); the client leaves B: B's record is newer than A's copy.
    expect(onB.send('b1')).toBe('sent');
    await waitFor(() => client.got.length === 2, { message: 'b1' });
    client.drop();
    await waitFor(async () => sentSeq(await store.get(id)) === 2, { message: "B's record" });
    const before = await store.get(id);
    await a.close();
    expect(events).toEqual(['A dropped m1 moved', 'A dropped m2 moved', 'A moved']);
    expect(await store.get(id)).toEqual(before);
    const c = resumable(serverC.wss, { store: fileStore(dir) });
    h.defer(() => c.close());
    expect(await client.connect(serverC.url)).toMatchObject({ outcome: 'resumed' });
    await sleep(100);
    expect(client.got).toEqual(['m0', 'b1']);
    expect(errors).toEqual([]);
    expect(noId(events, id)).toBe(true);
  }, 20_000);
});

function sentSeq(record: unknown): number | undefined {
  return (record as { stream?: { sentSeq?: number } } | undefined)?.stream?.sentSeq;
}

function noId(texts: readonly string[], id: string): boolean {
  const all = texts.join('\n');
  return idForms(id).every((form) => !all.includes(form));
}
