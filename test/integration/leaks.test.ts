/**
 * The leak check itself: it must see a server, a socket and a timer left open, and stay quiet
 * once they are closed. (Each case closes what it opened before the harness checks.)
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

    await expect(expectNoLeaks(baseline)).rejects.toThrow(/TCPServerWrap.*TCPSocketWrap.*Timeout|leak/);
    const error = await expectNoLeaks(baseline).catch((e: Error) => e);
    expect(String(error)).toContain('TCPServerWrap');
    expect(String(error)).toContain('TCPSocketWrap');
    expect(String(error)).toContain('Timeout');

    clearTimeout(timer);
    client.destroy();
    for (const socket of accepted) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await expectNoLeaks(baseline);
  });

  it('ignores unref()ed timers (they cannot keep the process alive)', async () => {
    const baseline = captureBaseline();
    const timer = setTimeout(() => {}, 60_000).unref();
    await expectNoLeaks(baseline);
    clearTimeout(timer);
  });
});
