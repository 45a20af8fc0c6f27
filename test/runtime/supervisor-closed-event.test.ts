/**
 * The supervisor's `closed` event: once, after close() or terminate() has ended every link and
 * watcher, before the promise resolves; never while links are still draining.
 */
import { describe, expect, it } from 'vitest';
import { useHarness } from '../helpers/harness.js';

describe('supervisor: the closed event', () => {
  const h = useHarness();

  it('fires once, after every link and watcher has ended, before close() resolves', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor();
    const links = [supervisor.connect(server.url, { id: 'a' }), supervisor.connect(server.url, { id: 'b' })];
    const watcher = supervisor.watch({ name: 'db', probe: () => {} });
    await Promise.all(links.map((link) => link.ready()));
    const seen: string[] = [];
    supervisor.on('closed', () => {
      const live = supervisor.status().links.length;
      const states = links.map((link) => link.status().state).join(',');
      seen.push(`closed: ${states}; live ${live}; watcher ${watcher.status().state}`);
    });
    const closing = supervisor.close();
    expect(seen).toEqual([]);
    const again = supervisor.close();
    await closing.then(() => seen.push('resolved'));
    await again;
    await supervisor.terminate();
    expect(seen).toEqual(['closed: closed,closed; live 0; watcher stopped', 'resolved']);
  });

  it('fires after terminate() too', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor();
    await supervisor.connect(server.url, { id: 'a' }).ready();
    let closed = 0;
    supervisor.on('closed', () => closed++);
    await supervisor.terminate();
    expect(closed).toBe(1);
    await supervisor.close();
    expect(closed).toBe(1);
  });
});
