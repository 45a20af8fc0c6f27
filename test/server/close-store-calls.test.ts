/**
 * `close()` resolves only once every store call the server made has settled: the sessions it ends
 * delete their records, and an application that closes its store (a database pool) after
 * `await server.close()` must not have those calls land on a closed store, their failure reported
 * to nobody (close() clears the listeners). Real `ws` server on 127.0.0.1 port 0, raw resume
 * clients, a store whose deletes take a while.
 */
import { describe, expect, it } from 'vitest';
import { memoryStore, type ResumableSession, resumable } from '../../src/server/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { RawResumeClient } from './raw-resume-client.js';

describe('resumable(wss).close() and the store', () => {
  const h = useHarness();

  it('waits for the deletes of the sessions it ends', async () => {
    const server = await h.wsServer();
    const memory = memoryStore();
    let storeOpen = true;
    const deleted: string[] = [];
    const store = {
      get: (id: string) => memory.get(id),
      put: (id: string, record: Parameters<typeof memory.put>[1], ttlMs: number) =>
        memory.put(id, record, ttlMs),
      delete: (id: string) =>
        new Promise<void>((resolve, reject) =>
          setTimeout(() => {
            if (!storeOpen) return reject(new Error('the pool is closed'));
            deleted.push(id);
            resolve();
          }, 50),
        ),
    };
    const rs = resumable(server.wss, { store });
    const sessions: ResumableSession[] = [];
    rs.on('session', (s) => sessions.push(s));
    const errors: Error[] = [];
    rs.on('error', (error) => errors.push(error));
    const clients = [new RawResumeClient(), new RawResumeClient()];
    for (const client of clients) {
      h.defer(() => client.close());
      await client.connect(server.url);
    }
    await waitFor(() => sessions.length === 2, { message: 'two sessions' });
    await rs.close();
    storeOpen = false; // the application closes its store once the server is closed
    expect(deleted.sort()).toEqual(sessions.map((s) => s.id).sort());
    expect(errors).toEqual([]);
  });
});
