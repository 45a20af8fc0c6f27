/**
 * Two sockets claiming the same session at once (a client whose first socket went half-open
 * while the store answered its hello, then said the same hello on a new socket): both hellos
 * are looked up in the store before either is answered. The second socket must be answered from
 * the session the first one made live, not from the store's older copy, or its welcome and
 * replay miss what the session sent meanwhile (the client sees a gap and loses the session).
 * Real `ws` servers on 127.0.0.1 port 0.
 */
import { describe, expect, it } from 'vitest';
import {
  type ResumableSession,
  resumable,
  type SessionRecord,
  type SessionStore,
} from '../../src/server/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { fileStore, tempDir } from './file-store.js';
import { RawResumeClient } from './raw-resume-client.js';

/** `inner` whose `get` answers only when the test releases it, one call at a time. */
function gatedStore(inner: SessionStore): SessionStore & { gets: { id: string; release(): void }[] } {
  const gets: { id: string; release(): void }[] = [];
  return {
    gets,
    durable: inner.durable ?? false,
    get: (id) =>
      new Promise<SessionRecord | undefined>((resolve, reject) => {
        gets.push({ id, release: () => Promise.resolve(inner.get(id)).then(resolve, reject) });
      }),
    put: (id, record, ttlMs) => inner.put(id, record, ttlMs),
    delete: (id) => inner.delete(id),
  };
}

describe('resumable(wss): two hellos for one session while the store answers', () => {
  const h = useHarness();

  it('a new session: the second socket gets what the session sent on the first (welcome numbers and replay)', async () => {
    const server = await h.wsServer();
    const tmp = tempDir();
    h.defer(() => tmp.remove());
    const store = gatedStore(fileStore(tmp.dir));
    const rs = resumable(server.wss, { store });
    h.defer(() => rs.close());
    const sessions: ResumableSession[] = [];
    rs.on('session', (s) => {
      sessions.push(s);
      s.send('greeting');
    });
    const client = new RawResumeClient();
    h.defer(() => client.close());

    void client.connect(server.url).catch(() => {});
    await waitFor(() => store.gets.length === 1, { message: 'the first hello looked up' });
    client.leaveHalfOpen();
    const second = client.connect(server.url);
    await waitFor(() => store.gets.length === 2, { message: 'the second hello looked up' });
    store.gets[0]?.release();
    await waitFor(() => sessions.length === 1, { message: 'the session made live by the first socket' });
    store.gets[1]?.release();

    expect(await second).toEqual({ outcome: 'new' });
    await waitFor(() => client.got.length > 0 || client.outcomes.length > 1, { message: 'the replay' });
    expect(client.outcomes).toEqual([{ outcome: 'new' }]);
    expect(client.got).toEqual(['greeting']);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]?.connected).toBe(true);
  });

  it('a session restored from a durable store: the second socket resumes the live session, not a second copy of the record', async () => {
    const tmp = tempDir();
    h.defer(() => tmp.remove());
    const first = await h.wsServer();
    const before = resumable(first.wss, { store: fileStore(tmp.dir) });
    let session: ResumableSession | undefined;
    before.on('session', (s) => {
      session = s;
      s.send('s1');
    });
    const client = new RawResumeClient();
    h.defer(() => client.close());
    await client.connect(first.url);
    await waitFor(() => client.got.length === 1, { message: 's1' });
    await before.close();
    await first.stop();
    expect(session).toBeDefined();

    const second = await h.wsServer();
    const store = gatedStore(fileStore(tmp.dir));
    const rs = resumable(second.wss, { store });
    h.defer(() => rs.close());
    const restored: ResumableSession[] = [];
    rs.on('session', (s) => {
      restored.push(s);
      s.send('s2');
    });
    // Each hello looks up two ids (the session and the one to start): four lookups in all.
    void client.connect(second.url).catch(() => {});
    await waitFor(() => store.gets.length === 2, { message: 'the first hello looked up' });
    client.leaveHalfOpen();
    const again = client.connect(second.url);
    await waitFor(() => store.gets.length === 4, { message: 'the second hello looked up' });
    for (const get of store.gets.slice(0, 2)) get.release();
    await waitFor(() => restored.length === 1, { message: 'the session restored by the first socket' });
    for (const get of store.gets.slice(2)) get.release();

    expect(await again).toMatchObject({ outcome: 'resumed', replayedIn: 1 });
    await waitFor(() => client.got.length > 1 || client.outcomes.length > 2, { message: 'the replay' });
    expect(client.outcomes).toEqual([
      { outcome: 'new' },
      { outcome: 'resumed', replayedIn: 1, replayedOut: 0 },
    ]);
    expect(client.got).toEqual(['s1', 's2']);
    expect(restored).toHaveLength(1);
    expect(restored[0]?.id).toBe(session?.id);
  });
});
