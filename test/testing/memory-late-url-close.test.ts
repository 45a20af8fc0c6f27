/**
 * In-process (the memory network's fast path), a link with a per-attempt URL is ready before the
 * URL resolves. Closing it then has no socket to drain or close: the close is over at once, not
 * after closeTimeoutMs, and what was queued for the socket is reported dropped.
 */
import { expect, it } from 'vitest';
import { createSupervisor } from '../../src/index.js';
import { createMemoryNetwork, TestClock } from '../../src/testing/index.js';

it('closing an in-process link whose per-attempt URL is still pending ends at once, reporting its queue', async () => {
  const clock = new TestClock();
  const network = createMemoryNetwork({ clock });
  const server = network.listen('mem://svc');
  const supervisor = createSupervisor({ transport: network.transport, clock });
  let resolveUrl: (url: string) => void = () => {};
  const link = supervisor.connect(() => new Promise<string>((resolve) => (resolveUrl = resolve)), {
    closeTimeoutMs: 30_000,
  });
  await clock.advance(0);
  expect(link.state).toBe('ready');
  const dropped: unknown[] = [];
  link.on('dropped', (event) => dropped.push(event.data));
  link.send('m1');
  let closedAt: number | null = null;
  void link.close().then(() => (closedAt = clock.now()));
  await clock.advance(0);
  expect(link.state).toBe('closed');
  expect(closedAt).toBe(0);
  expect(dropped).toEqual(['m1']);
  // The URL resolving later opens nothing.
  resolveUrl('mem://svc');
  await clock.advance(1_000);
  expect(server.attempts).toBe(0);
  await supervisor.close();
});
