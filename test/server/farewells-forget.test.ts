/**
 * The server's farewells forget each deadline once its sockets closed: a long-running server that
 * closes sockets whose peers answer holds nothing for them afterwards. A real ws server on
 * 127.0.0.1, port 0, real clients that answer the close frame, closed one at a time (each its own
 * deadline).
 */
import { describe, expect, it } from 'vitest';
import WebSocket, { type WebSocket as ServerSocket } from 'ws';
import { Farewells } from '../../src/server/close-socket.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

describe('Farewells', () => {
  const h = useHarness();

  it('forgets a deadline once its sockets answered', async () => {
    const server = await h.wsServer();
    const farewells = new Farewells();
    h.defer(() => farewells.stop());
    const accepted: ServerSocket[] = [];
    server.wss.on('connection', (ws) => accepted.push(ws));
    for (let i = 0; i < 3; i++) {
      const client = new WebSocket(server.url);
      client.on('error', () => {});
      h.defer(() => client.terminate());
      await waitFor(() => accepted.length === i + 1, { message: 'connected' });
      farewells.close(accepted[i] as ServerSocket, 1001, 'bye');
      await farewells.idle();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(server.wss.clients.size).toBe(0);
    expect(farewells.deadlines).toBe(0);
  }, 30_000);
});
