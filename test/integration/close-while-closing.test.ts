/**
 * close() while the socket is already CLOSING (the server sent its close frame and stopped
 * reading, so the TCP connection stays open): the link ends when the socket's close event arrives
 * (or at once, where the transport can drop the socket), not after the whole closeTimeoutMs. The
 * ws transport, and the WebSocket-constructor transport (the browser's and the drop-in's) on ws's
 * WebSocket class. The same in headless Chromium: test/browser-build/close-while-closing.spec.ts.
 */
import type { Socket } from 'node:net';
import { beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createConstructorTransport } from '../../src/transports/websocket-constructor-transport.js';
import { FAST, useHarness } from '../helpers/harness.js';
import type { WsTestServer } from '../helpers/servers.js';
import { waitFor } from '../helpers/wait.js';

/** What a close() that misses the close event waits. */
const CLOSE_TIMEOUT_MS = 30_000;
/** Generous bound (busy machine) for a close() that ends on the close event. */
const CLOSE_BOUND_MS = 10_000;

describe('integration: close() while the socket is CLOSING', () => {
  const h = useHarness();
  /** The socket the server stopped reading, once it did (closingServer). */
  let paused: Socket | null = null;
  beforeEach(() => {
    paused = null;
  });

  /** A server that, on 'close-me', stops reading and sends its close frame. */
  const closingServer = (): Promise<WsTestServer> =>
    h.wsServer({
      onConnection: (ws, request) =>
        ws.on('message', (data) => {
          if (String(data) !== 'close-me') return;
          request.socket.pause();
          paused = request.socket;
          ws.close(4000, 'server closing');
        }),
    });

  /**
   * Waits until the client's close frame (its answer to the server's) reaches the server: ws sends
   * it as it takes the server's frame and makes the socket CLOSING, and it is all the client sends
   * after 'close-me' (no heartbeat). The paused socket still reads into its buffer, unparsed.
   */
  const clientAnswered = () =>
    waitFor(() => (paused?.readableLength ?? 0) > 0, {
      timeoutMs: 20_000,
      message: "the client's close frame at the server (the client took the server's: CLOSING)",
    });

  it('ws transport: ends at once', async () => {
    const server = await closingServer();
    const link = h.supervisor({ ...FAST, closeTimeoutMs: CLOSE_TIMEOUT_MS }).connect(server.url);
    await link.ready();
    link.send('close-me');
    // The close frame arrived; ws keeps the socket CLOSING until the TCP connection ends.
    await clientAnswered();
    expect(link.state).toBe('ready');
    const started = Date.now();
    await link.close();
    expect(Date.now() - started).toBeLessThan(CLOSE_BOUND_MS);
  });

  it('WebSocket-constructor transport (ws class): ends on the close event', async () => {
    const sockets: WebSocket[] = [];
    class Recorded extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols);
        sockets.push(this);
      }
    }
    const server = await closingServer();
    const transport = createConstructorTransport(Recorded);
    const supervisor = h.supervisor({ ...FAST, transport, closeTimeoutMs: CLOSE_TIMEOUT_MS });
    const link = supervisor.connect(server.url);
    await link.ready();
    link.send('close-me');
    await waitFor(() => sockets[0]?.readyState === WebSocket.CLOSING, {
      timeoutMs: 20_000,
      message: 'the socket is CLOSING',
    });
    await clientAnswered();
    expect(link.state).toBe('ready');
    const started = Date.now();
    await link.close();
    expect(Date.now() - started).toBeLessThan(CLOSE_BOUND_MS);
  });
});
