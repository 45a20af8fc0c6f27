/**
 * A record written by an older linkvisor (no `owner` mark) in a store shared with, or inherited by,
 * a server that marks its records: its session still resumes, the resuming server writes the
 * record at once with its own mark, and the session's end then deletes it through `deleteOwned`
 * (an unmarked record would be left behind: `deleteOwned` compares the mark). Real `ws` servers on
 * 127.0.0.1 port 0; the older server is one whose store drops the mark as it writes.
 */
import { describe, expect, it } from 'vitest';
import {
  memoryStore,
  type ResumableSession,
  resumable,
  type SessionRecord,
  type SessionStore,
} from '../../src/server/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { RawResumeClient } from './raw-resume-client.js';

describe('a record without an owner mark (written by an older version)', () => {
  const h = useHarness();

  it('resumes, is marked by the resuming server, and is deleted as its session ends', async () => {
    const shared = memoryStore();
    // The older server: writes records without a mark, deletes with `delete`.
    const older: SessionStore = {
      get: (id) => shared.get(id),
      put: (id, record, ttlMs) => {
        const { owner: _mark, ...unmarked } = record;
        shared.put(id, unmarked, ttlMs);
      },
      delete: (id) => shared.delete(id),
    };
    const [serverA, serverB] = [await h.wsServer(), await h.wsServer()];
    const a = resumable(serverA.wss, { store: older });
    h.defer(() => a.close());
    const onA: ResumableSession[] = [];
    a.on('session', (session) => onA.push(session));
    const client = new RawResumeClient();
    h.defer(() => client.close());
    expect(await client.connect(serverA.url)).toEqual({ outcome: 'new' });
    const id = (onA[0] as ResumableSession).id;
    client.drop();
    await waitFor(() => shared.get(id) !== undefined, { message: 'stored by the older server' });
    expect(shared.get(id)).not.toHaveProperty('owner');

    const b = resumable(serverB.wss, { store: shared });
    const errors: string[] = [];
    b.on('error', (error) => errors.push(error.message));
    expect(await client.connect(serverB.url)).toMatchObject({ outcome: 'resumed' });
    await waitFor(() => typeof (shared.get(id) as SessionRecord | undefined)?.owner === 'string', {
      message: 'marked by B',
    });
    // B's session ends (close(), a store that keeps nothing across restarts): its record goes.
    await b.close();
    expect(shared.get(id)).toBeUndefined();
    expect(errors).toEqual([]);
  }, 20_000);
});
