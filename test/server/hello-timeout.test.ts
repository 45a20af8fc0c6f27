/**
 * A socket that never says hello, or whose hello waits on a store that never answers, is not held
 * for ever: after `helloTimeoutMs` (machines/policy/resume.ts, default 10 s; the greeting chart,
 * machines/greeting.machine.ts) the server closes it with 1013 (try again later) and counts it
 * (`status().helloTimeouts`). Real `ws` server
 * on 127.0.0.1 port 0, raw clients, the server's timers on a simulated clock; nothing is left after
 * close().
 */

import { describe, expect, it } from 'vitest';
import { HELLO_TIMEOUT_DEFAULT_MS } from '../../machines/policy/resume.js';
import { resumable, type SessionStore } from '../../src/server/index.js';
import { TestClock } from '../../src/testing/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { RawResumeClient } from './raw-resume-client.js';
import { silentSocket } from './silent-socket.js';

describe('resumable(wss): a socket without a session is not held for ever', () => {
  const h = useHarness();

  it('no hello: closed with 1013 after the default helloTimeout, not before', async () => {
    const clock = new TestClock();
    const server = await h.wsServer();
    const rs = resumable(server.wss, { clock });
    h.defer(() => rs.close());
    const client = await silentSocket(server.url);
    h.defer(() => client.ws.terminate());
    await waitFor(() => clock.pending === 1, { message: 'the greeting timer is set' });
    await clock.advance(HELLO_TIMEOUT_DEFAULT_MS - 1);
    expect(client.closed()).toBeNull();
    expect(rs.status().helloTimeouts).toBe(0);
    await clock.advance(1);
    await waitFor(() => client.closed() !== null, { message: 'closed after helloTimeout' });
    expect(client.closed()).toBe(1013);
    expect(clock.pending).toBe(0);
    // Counted, as a broken handshake is: a server whose clients never say hello shows it.
    expect(rs.status()).toMatchObject({ helloTimeouts: 1, brokenHandshakes: 0 });
  });

  it('a store whose get never settles: the client is closed with 1013 after helloTimeoutMs', async () => {
    const clock = new TestClock();
    const server = await h.wsServer();
    let gets = 0;
    const store: SessionStore = {
      get: () => {
        gets++;
        return new Promise(() => {});
      },
      put: () => {},
      delete: () => {},
    };
    const rs = resumable(server.wss, { clock, store, helloTimeoutMs: 500 });
    const client = new RawResumeClient();
    h.defer(() => client.close());
    const outcome = client.connect(server.url).catch((error: { code?: number }) => error.code);
    await waitFor(() => clock.pending === 1, { message: 'the greeting timer is set' });
    // The hello is being looked up (on a busy machine it may come after the timer is set): the
    // timeout below is the one of a hello whose get never settles, not of a socket still silent.
    await waitFor(() => gets === 1, { message: "the hello's get started" });
    await clock.advance(500);
    expect(await outcome).toBe(1013);
    expect(rs.size).toBe(0);
    expect(rs.status().helloTimeouts).toBe(1);
    // A store call that never settles keeps close() pending (docs/resume.md), the hello's get too:
    // the store cannot be closed under it.
    let closed = false;
    void rs.close().then(() => {
      closed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(false);
  });

  it('a hello answered in time leaves no greeting timer; close() with a socket still waiting leaves none either', async () => {
    const clock = new TestClock();
    const server = await h.wsServer();
    const rs = resumable(server.wss, { clock });
    const client = new RawResumeClient();
    h.defer(() => client.close());
    expect(await client.connect(server.url)).toMatchObject({ outcome: 'new' });
    expect(clock.pending).toBe(0);
    const silent = await silentSocket(server.url);
    h.defer(() => silent.ws.terminate());
    await waitFor(() => clock.pending === 1, { message: 'the greeting timer is set' });
    await rs.close();
    expect(clock.pending).toBe(0);
    await waitFor(() => silent.closed() !== null, { message: 'closed by close()' });
    expect(silent.closed()).toBe(1001);
    // Closed by close(), not timed out.
    expect(rs.status().helloTimeouts).toBe(0);
  });

  it('helloTimeoutMs is checked: LV_ERR_INVALID_OPTION naming it', async () => {
    const server = await h.wsServer();
    for (const bad of [0, -1, Number.NaN, '10s', Number.POSITIVE_INFINITY]) {
      expect(() => resumable(server.wss, { helloTimeoutMs: bad as number })).toThrow(
        expect.objectContaining({ code: 'LV_ERR_INVALID_OPTION', option: 'helloTimeoutMs' }),
      );
    }
  });
});
