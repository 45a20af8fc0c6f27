import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { createActor } from 'xstate';
import { createBannerMachine } from '../../examples/app-machine.js';
import { captureBaseline, settleResources } from '../helpers/leaks.js';

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('examples/app-machine: an application machine spawning a link', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  it('shows online, reconnecting and closed banners from the link reports, and leaves nothing open', async () => {
    const baseline = captureBaseline();
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((r) => server.once('listening', r));
    cleanup.push(() => new Promise<void>((r) => server.close(() => r())));
    const received: string[] = [];
    server.on('connection', (ws) => {
      ws.on('message', (data) => {
        received.push(String(data));
        ws.send(`echo:${data}`);
      });
    });
    const { port } = server.address() as AddressInfo;
    const { machine, feed } = createBannerMachine(`ws://127.0.0.1:${port}`, {
      backoff: { initialDelayMs: 20, maxDelayMs: 50, jitter: 'none' },
    });
    const app = createActor(machine);
    const banners: string[] = [];
    app.subscribe((s) => {
      if (banners.at(-1) !== s.context.banner) banners.push(s.context.banner);
    });
    app.start();
    const child = app.getSnapshot().children.feed;
    expect(child).toBeDefined();
    const handle = feed.handle(child!);
    expect(handle.send('hello')).toBe('queued');
    await until(() => app.getSnapshot().context.banner === 'online');
    await until(() => app.getSnapshot().context.messages === 1);
    expect(received).toEqual(['hello']);

    for (const ws of server.clients) ws.terminate();
    await until(() => banners.some((b) => b.startsWith('reconnecting in 0.0 s (attempt 1)')));
    await until(() => banners.at(-1) === 'online');

    app.send({ type: 'quit' });
    await until(() => app.getSnapshot().context.banner === 'closed');
    app.stop();
    expect(banners).toEqual([
      'connecting…',
      'online',
      'reconnecting in 0.0 s (attempt 1)',
      'online',
      'closed',
    ]);
    // Both ends of every socket close (the server's a loopback crossing later): wait for it
    // against a deadline, not a count of loop turns.
    const { extra } = await settleResources(baseline, { watched: ['TCPSocketWrap'] });
    expect(extra).toEqual({});
  });
});
