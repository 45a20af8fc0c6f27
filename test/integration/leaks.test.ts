/**
 * The leak check itself: it must see a server, a socket and a timer left open, and stay quiet
 * once they are closed, however many loop turns the closing takes on a busy machine. (Each case
 * closes what it opened before the harness checks.)
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { useHarness } from '../helpers/harness.js';
import { captureBaseline, expectNoLeaks } from '../helpers/leaks.js';
import { listen } from '../helpers/servers.js';

describe('helpers: expectNoLeaks', () => {
  const h = useHarness();

  it('reports a listening server, its sockets and a pending timer; then passes once they are closed', async () => {
    const baseline = captureBaseline();
    const accepted: net.Socket[] = [];
    const server = net.createServer((socket) => accepted.push(socket));
    const port = await listen(server);
    const client = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => client.once('connect', resolve));
    const timer = setTimeout(() => {}, 60_000);
    h.defer(() => clearTimeout(timer));

    await expect(expectNoLeaks(baseline, { timeoutMs: 100 })).rejects.toThrow(
      /TCPServerWrap.*TCPSocketWrap.*Timeout|leak/,
    );
    const error = await expectNoLeaks(baseline, { timeoutMs: 100 }).catch((e: Error) => e);
    expect(String(error)).toContain('TCPServerWrap');
    expect(String(error)).toContain('TCPSocketWrap');
    expect(String(error)).toContain('Timeout');

    clearTimeout(timer);
    client.destroy();
    for (const socket of accepted) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await expectNoLeaks(baseline);
  });

  it('waits for resources that settle later (by the clock, not after a count of loop turns)', async () => {
    const baseline = captureBaseline();
    const server = net.createServer();
    await listen(server);
    // Closed 150 ms from now, by a timer that does not count itself (unref): many loop turns
    // pass before then. A check that gave up after a few turns would call this a leak.
    const closer = setTimeout(() => server.close(), 150).unref();
    h.defer(() => {
      clearTimeout(closer);
      if (server.listening) server.close();
    });
    const started = Date.now();
    await expectNoLeaks(baseline);
    expect(server.listening).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  it('ignores unref()ed timers (they cannot keep the process alive)', async () => {
    const baseline = captureBaseline();
    const timer = setTimeout(() => {}, 60_000).unref();
    await expectNoLeaks(baseline);
    clearTimeout(timer);
  });
});
