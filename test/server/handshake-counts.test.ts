/**
 * A socket that the server has already closed before its session (1002 for a broken handshake,
 * 1013 for its hello timeout) may still deliver frames that were in flight: they are the same
 * socket's, not new breaks of the protocol. Real `ws` server on 127.0.0.1 port 0, raw clients.
 * Before the fix, each such frame counted again in `status().brokenHandshakes` (which counts
 * sockets) and emitted one more LV_ERR_RESUME `error`: three bad frames in a row counted three
 * sockets; a hello that crossed the 1013 of the hello timeout was reported as a client breaking
 * the protocol ("a frame before the welcome").
 */
import { describe, expect, it } from 'vitest';
import { HELLO_TIMEOUT_DEFAULT_MS } from '../../machines/policy/resume.js';
import type { LinkvisorError } from '../../src/index.js';
import { encodeHello, PROTOCOL_VERSION } from '../../src/resume/frames.js';
import { resumable } from '../../src/server/index.js';
import { TestClock } from '../../src/testing/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { silentSocket } from './silent-socket.js';

describe('frames after the server closed a socket without a session', () => {
  const h = useHarness();

  it('three bad frames in a row: one broken handshake, one error, one close 1002', async () => {
    const server = await h.wsServer();
    const rs = resumable(server.wss);
    h.defer(() => rs.close());
    const errors: LinkvisorError[] = [];
    rs.on('error', (error) => errors.push(error));
    const client = await silentSocket(server.url);
    h.defer(() => client.ws.terminate());
    client.ws.send('not a hello 1');
    client.ws.send('not a hello 2');
    client.ws.send('not a hello 3');
    await waitFor(() => client.closed() !== null, { message: 'closed' });
    expect(client.closed()).toBe(1002);
    expect(rs.status()).toMatchObject({ brokenHandshakes: 1, helloTimeouts: 0 });
    expect(errors.map((e) => e.code)).toEqual(['LV_ERR_RESUME']);
  });

  it('a hello that crosses the 1013 of the hello timeout: a timeout, not a broken handshake', async () => {
    const clock = new TestClock();
    const server = await h.wsServer();
    const rs = resumable(server.wss, { clock });
    h.defer(() => rs.close());
    const errors: LinkvisorError[] = [];
    rs.on('error', (error) => errors.push(error));
    const client = await silentSocket(server.url);
    h.defer(() => client.ws.terminate());
    await waitFor(() => clock.pending === 1, { message: 'the greeting timer is set' });
    // The server times the socket out and, in the same turn, the client's hello is on its way.
    const advancing = clock.advance(HELLO_TIMEOUT_DEFAULT_MS);
    client.ws.send(
      encodeHello({ version: PROTOCOL_VERSION, sessionId: '', lastReceived: 0, newId: 'late-hello-id' }),
    );
    await advancing;
    await waitFor(() => client.closed() !== null, { message: 'closed' });
    expect(client.closed()).toBe(1013);
    expect(rs.status()).toMatchObject({ helloTimeouts: 1, brokenHandshakes: 0, sessions: 0 });
    expect(errors).toEqual([]);
  });
});
