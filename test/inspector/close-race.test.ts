/**
 * close() while pages come and go: a page that connects while the server is saying goodbye to the
 * others (a page's link retries at once on 1012) is turned away, and close() still resolves with
 * nothing left open.
 */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startInspector } from '../../src/inspector/start-inspector.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { connectPage, wsUrlOf } from './page-client.js';

describe('inspector server: close() against arriving pages', () => {
  const h = useHarness();

  it('a page that connects during the goodbyes is turned away; close() resolves and leaves nothing', async () => {
    const supervisor = h.supervisor(FAST);
    const server = await startInspector(supervisor);
    h.defer(() => server.close());
    // A stalled page: it never reads the close frame, so its goodbye takes the full wait.
    const stalled = await connectPage(server.url);
    await stalled.next('hello');
    h.defer(() => stalled.ws.terminate());
    (stalled.ws as unknown as { _socket: { pause(): void } })._socket.pause();

    const closing = server.close();
    // A page (re)connecting while the server says goodbye.
    const late = new WebSocket(wsUrlOf(server.url));
    late.on('error', () => {});
    h.defer(() => late.terminate());
    let lateEnded = false;
    late.once('close', () => {
      lateEnded = true;
    });
    let closed = false;
    void closing.then(() => {
      closed = true;
    });
    await waitFor(() => closed, { timeoutMs: 8_000, message: 'close() resolved' });
    await waitFor(() => lateEnded, { timeoutMs: 8_000, message: 'the late page was turned away' });
    expect(server.server.listening).toBe(false);
  });
});
