/**
 * `close()` of a `resumable` server whose peers never answer its close frame (their socket stopped
 * reading): each socket it closed, a session's and one still without a session, is terminated
 * after SERVER_CLOSE_TIMEOUT_MS (machines/policy/resume.ts) instead of staying CLOSING for ws's
 * 30 s close timer; then no socket and no timer of the server is left. Real ws server and
 * clients on 127.0.0.1; the deadline is generous, well below ws's 30 s.
 */
import { describe, expect, it } from 'vitest';
import { SERVER_CLOSE_TIMEOUT_MS } from '../../machines/policy/resume.js';
import { encodeHello, PROTOCOL_VERSION } from '../../src/resume/frames.js';
import { resumable } from '../../src/server/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { openStallingSocket } from './stalling-socket.js';

/** Live timers of this process. */
const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

describe('resumable(wss).close() with peers that never answer the close', () => {
  const h = useHarness();

  it('terminates each socket after its close timeout: no socket, no timer left', async () => {
    expect(SERVER_CLOSE_TIMEOUT_MS).toBeLessThan(30_000);
    const server = await h.wsServer();
    const before = timers();
    const rs = resumable(server.wss);
    h.defer(() => rs.close());
    let sessions = 0;
    rs.on('session', () => sessions++);
    const inSession = await openStallingSocket(server.url);
    h.defer(() => inSession.ws.terminate());
    inSession.ws.send(
      encodeHello({ version: PROTOCOL_VERSION, sessionId: '', lastReceived: 0, newId: 'fresh-session-1' }),
    );
    await new Promise((resolve) => inSession.ws.once('message', resolve));
    const noHello = await openStallingSocket(server.url);
    h.defer(() => noHello.ws.terminate());
    await waitFor(() => sessions === 1 && server.wss.clients.size === 2, { message: 'both open' });
    inSession.stall();
    noHello.stall();

    const closedAt = Date.now();
    await rs.close();
    await waitFor(() => server.wss.clients.size === 0, {
      timeoutMs: SERVER_CLOSE_TIMEOUT_MS + 10_000,
      message: 'the server let go of both sockets',
    });
    // Not before its close timeout (a peer that answers late is given the time).
    expect(Date.now() - closedAt).toBeGreaterThanOrEqual(SERVER_CLOSE_TIMEOUT_MS - 50);
    await waitFor(() => timers() <= before, { message: 'no timer left', timeoutMs: 2_000 });
  }, 30_000);
});
