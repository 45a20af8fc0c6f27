/**
 * `close()` resolves only once every store call the server made has settled (docs/resume.md),
 * the `get` of a hello still being answered too: an application that closes its store (a pool)
 * after `await server.close()` must not have that lookup land on a closed store, its failure
 * reported to nobody. Real `ws` server on 127.0.0.1 port 0, a raw resume client, a slow `get`.
 */
import { describe, expect, it } from 'vitest';
import { memoryStore, resumable } from '../../src/server/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { RawResumeClient } from './raw-resume-client.js';
import { silentSocket } from './silent-socket.js';

describe('resumable(wss).close() with a hello still being looked up', () => {
  const h = useHarness();

  it('waits for the store gets of the hellos it was answering', async () => {
    const server = await h.wsServer();
    const memory = memoryStore();
    let storeOpen = true;
    let getsStarted = 0;
    let getsOnClosedStore = 0;
    const gets = new Set<Promise<unknown>>();
    const store = {
      get: (id: string) => {
        getsStarted++;
        const got = new Promise<Awaited<ReturnType<typeof memory.get>>>((resolve, reject) =>
          setTimeout(() => {
            if (!storeOpen) {
              getsOnClosedStore++;
              return reject(new Error('the pool is closed'));
            }
            resolve(memory.get(id));
          }, 150),
        );
        gets.add(got.catch(() => {}));
        return got;
      },
      put: (id: string, record: Parameters<typeof memory.put>[1], ttlMs: number) =>
        memory.put(id, record, ttlMs),
      delete: (id: string) => memory.delete(id),
    };
    const rs = resumable(server.wss, { store });
    const client = new RawResumeClient();
    h.defer(() => client.close());
    const connecting = client.connect(server.url).catch(() => 'refused');
    await waitFor(() => getsStarted > 0, { message: 'the hello is being looked up' });
    await rs.close();
    storeOpen = false; // the application closes its store once the server is closed
    await Promise.all(gets);
    expect(getsOnClosedStore).toBe(0);
    expect(await connecting).toBe('refused');
  });

  it('a hello that arrives after close() began (its socket closing) is not looked up: no store call after close() resolved', async () => {
    const server = await h.wsServer();
    let gets = 0;
    const errors: unknown[] = [];
    const store = { get: () => void gets++, put: () => {}, delete: () => {} };
    const rs = resumable(server.wss, { store });
    rs.on('error', (error) => errors.push(error));
    const socket = await silentSocket(server.url);
    h.defer(() => socket.ws.terminate());
    await waitFor(() => server.wss.clients.size === 1, { message: 'the server has the socket' });
    const closed = rs.close();
    // The server's close frame (1001) is still on its way: the client's hello crosses it. (close()
    // resolves once the socket closed: it waits for its peer's answer.)
    expect(socket.ws.readyState).toBe(socket.ws.OPEN);
    socket.ws.send(new RawResumeClient().core.hello());
    await closed;
    await waitFor(() => socket.closed() !== null, { message: 'the socket closed' });
    expect(socket.closed()).toBe(1001);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(gets).toBe(0);
    expect(errors).toEqual([]);
  });
});
