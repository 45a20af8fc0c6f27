/**
 * The inspector server stopped while everything is in use: a page following a link with a session
 * recording running, a page whose hello is still waiting for the layout worker, an HTTP request
 * half sent (headers not ended), a page that stopped reading. close() called twice at once, then
 * again after it resolved: every call resolves, the same promise each time, and nothing is left
 * (no timer, socket or server by the harness's check; no worker thread by async_hooks).
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { startInspector } from '../../src/inspector/start-inspector.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { connectPage } from './page-client.js';
import { followWorkers } from './worker-threads.js';

describe('inspector server: close() with work in flight', () => {
  const h = useHarness();

  it('a recording page, a page waiting for its hello, a half-sent request, a stalled page: close() twice leaves nothing', async () => {
    const workers = followWorkers();
    h.defer(() => workers.stop());
    const ws = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    await supervisor.connect(ws.url, { id: 'feed' }).ready();
    const server = await startInspector(supervisor);
    h.defer(() => server.close());

    const recording = await connectPage(server.url);
    h.defer(() => recording.ws.terminate());
    await recording.next('hello');
    recording.select('link:feed');
    recording.send({ type: 'record', on: true });
    await waitFor(() => server.recordings() === 1, { message: 'a recording under way' });

    const stalled = await connectPage(server.url);
    h.defer(() => stalled.ws.terminate());
    await stalled.next('hello');
    (stalled.ws as unknown as { _socket: { pause(): void } })._socket.pause();

    // A page that has just connected: its hello may still wait for a layout.
    const waiting = await connectPage(server.url);
    h.defer(() => waiting.ws.terminate());

    const half = net.connect(server.port, '127.0.0.1');
    half.on('error', () => {});
    h.defer(() => half.destroy());
    await new Promise((resolve) => half.once('connect', resolve));
    half.write('GET /?token=x HTTP/1.1\r\nHost: 127.0.0.1\r\n');

    expect(workers.live()).toBeGreaterThan(0);
    const first = server.close();
    const second = server.close();
    expect(second).toBe(first);
    await Promise.all([first, second]);
    await server.close();
    expect(server.server.listening).toBe(false);
    expect(server.recordings()).toBe(0);
    await waitFor(() => workers.live() === 0, { message: 'the layout worker gone', timeoutMs: 10_000 });
  }, 60_000);
});
