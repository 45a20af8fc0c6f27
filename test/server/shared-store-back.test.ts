/**
 * Two servers sharing one durable store: a client leaves A, resumes on B (B sends b1), leaves B
 * and comes back to A while A still holds its own copy of the session away. A's copy is stale (B
 * numbered b1 as A numbered m1): A must resume from B's record, not its copy, and report its
 * copy's end `moved` with `dropped` only what B never had (m1, m2: sent after A's last write).
 * Before: A resumed its stale copy, replayed m2 as if the client's "received 2" (b1) were m1, so
 * m1 was lost unreported and the client got m2 out of any order B or A reported. Every message
 * the client never got is reported `dropped` exactly once, by one server.
 */
import { describe, expect, it } from 'vitest';
import { type ResumableSession, resumable } from '../../src/server/index.js';
import { useHarness } from '../helpers/harness.js';
import { idForms } from '../helpers/secret-forms.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { fileStore, tempDir } from './file-store.js';
import { RawResumeClient } from './raw-resume-client.js';
import { watchTwoServers } from './watch-two-servers.js';

const sentSeq = (record: unknown) =>
  (record as { stream?: { sentSeq?: number } } | undefined)?.stream?.sentSeq;

describe('a client that comes back to A after resuming on B (one shared store)', () => {
  const h = useHarness();

  it("A resumes from B's record; its stale copy ends `moved`; each lost message reported once", async () => {
    const { dir, remove } = tempDir();
    h.defer(remove);
    const [serverA, serverB] = [await h.wsServer(), await h.wsServer()];
    const a = resumable(serverA.wss, { store: fileStore(dir) });
    const b = resumable(serverB.wss, { store: fileStore(dir), sessionTtlMs: 400 });
    h.defer(() => a.close());
    h.defer(() => b.close());
    const { errors, events, sessions, client } = watchTwoServers(h, a, b);
    const store = fileStore(dir);
    expect(await client.connect(serverA.url)).toEqual({ outcome: 'new' });
    const onA = sessions[0] as ResumableSession;
    const id = onA.id;
    expect(onA.send('m0')).toBe('sent');
    await waitFor(() => client.got.length === 1, { message: 'm0' });
    client.drop();
    await waitFor(async () => sentSeq(await store.get(id)) === 1, { message: "A's record" });
    const ownerA = (await store.get(id))?.owner;
    expect(onA.send('m1')).toBe('buffered');
    expect(onA.send('m2')).toBe('buffered');
    expect(await client.connect(serverB.url)).toMatchObject({ outcome: 'resumed' });
    await waitFor(async () => (await store.get(id))?.owner !== ownerA, { message: "B's mark" });
    const onB = sessions[1] as ResumableSession;
    expect(onB.send('b1')).toBe('sent');
    await waitFor(() => client.got.length === 2, { message: 'b1' });
    client.drop();
    await waitFor(async () => sentSeq(await store.get(id)) === 2, { message: "B's record" });
    // Back to A, whose own copy (m0 m1 m2) is still away there.
    expect(await client.connect(serverA.url)).toMatchObject({ outcome: 'resumed' });
    await sleep(100);
    expect(client.got).toEqual(['m0', 'b1']);
    // A's new session is B's: it sends on from seq 3, and B's copy, expiring, reports nothing.
    const again = sessions[2] as ResumableSession;
    expect(again.send('a3')).toBe('sent');
    await waitFor(() => client.got.length === 3, { message: 'a3' });
    await waitFor(() => events.includes('B moved'), { message: 'B ended', timeoutMs: 5_000 });
    expect(client.got).toEqual(['m0', 'b1', 'a3']);
    expect(events).toEqual(['A dropped m1 moved', 'A dropped m2 moved', 'A moved', 'B moved']);
    expect(errors).toEqual([]);
    const all = events.join('\n');
    expect(idForms(id).every((form) => !all.includes(form))).toBe(true);
  }, 20_000);

  it('B replays what A wrote and the client missed; A reports only what it sent after (exactly once)', async () => {
    const { dir, remove } = tempDir();
    h.defer(remove);
    const [serverA, serverB] = [await h.wsServer(), await h.wsServer()];
    const a = resumable(serverA.wss, { store: fileStore(dir), sessionTtlMs: 400 });
    const b = resumable(serverB.wss, { store: fileStore(dir) });
    h.defer(() => a.close());
    h.defer(() => b.close());
    const errors: string[] = [];
    for (const server of [a, b])
      server.on('error', (error) => errors.push(`${error.message} ${error.cause}`));
    const events: string[] = [];
    const sessions: ResumableSession[] = [];
    for (const [name, server] of [['A', a] as const, ['B', b] as const]) {
      server.on('session', (session) => {
        sessions.push(session);
        session.on('resumed', ({ replayedOut }) => events.push(`${name} replayed ${replayedOut}`));
        session.on('dropped', ({ data, reason }) => events.push(`${name} dropped ${String(data)} ${reason}`));
        session.on('close', ({ reason }) => events.push(`${name} ${reason}`));
      });
    }
    const client = new RawResumeClient({ ackEveryMessages: 1_000, ackDelayMs: 60_000 });
    h.defer(() => client.close());
    const store = fileStore(dir);
    expect(await client.connect(serverA.url)).toEqual({ outcome: 'new' });
    const onA = sessions[0] as ResumableSession;
    const id = onA.id;
    expect(onA.send('m0')).toBe('sent');
    await waitFor(() => client.got.length === 1, { message: 'm0' });
    // The client stops hearing A (half-open): m1 goes out but never arrives.
    client.leaveHalfOpen();
    expect(onA.send('m1')).toBe('sent');
    await sleep(50);
    // A notices: its copy goes away and its record holds m0 and m1.
    for (const ws of serverA.wss.clients) ws.terminate();
    await waitFor(async () => sentSeq(await store.get(id)) === 2, { message: "A's record" });
    expect(onA.send('m2')).toBe('buffered');
    expect(await client.connect(serverB.url)).toMatchObject({ outcome: 'resumed' });
    await waitFor(() => client.got.length === 2, { message: 'm1 replayed by B' });
    client.ack();
    await waitFor(() => events.includes('A moved'), { message: 'A ended', timeoutMs: 5_000 });
    await sleep(50);
    expect(client.got).toEqual(['m0', 'm1']);
    // m1: B had it (replayed, acknowledged); m2: only A had it, reported once, by A.
    expect(events).toEqual(['B replayed 1', 'A dropped m2 moved', 'A moved']);
    await b.close();
    expect(events.filter((event) => event.includes('dropped'))).toEqual(['A dropped m2 moved']);
    expect(errors).toEqual([]);
  }, 20_000);
});
