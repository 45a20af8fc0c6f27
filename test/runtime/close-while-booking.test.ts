/**
 * A supervisor closed by a listener while connectGroup() is still making the group's members: the
 * members are booked before any user code runs (a `link` listener, or an `up` listener that the
 * group's step flushes), so close() starts and closes every one of them. Before, the members made
 * after the close were started anyway, uncounted by the closing socket chart: they connected,
 * stayed ready, and close() never resolved. Real ws server on 127.0.0.1 port 0; the hang guard is
 * generous (a busy host), never a timing claim.
 */
import { describe, expect, it } from 'vitest';
import type { Supervisor } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';

/** Resolves 'closed' when `closing` does, 'hung' if it has not after 10 s. */
function settled(closing: Promise<void>): Promise<'closed' | 'hung'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<'hung'>((resolve) => {
    timer = setTimeout(() => resolve('hung'), 10_000);
  });
  return Promise.race([closing.then(() => 'closed' as const), hung]).finally(() => clearTimeout(timer));
}

describe('close() from a listener while connectGroup() makes the members', () => {
  const h = useHarness();

  async function expectAllClosed(supervisor: Supervisor, closing: Promise<void> | null) {
    expect(closing).not.toBeNull();
    expect(await settled(closing as Promise<void>)).toBe('closed');
    expect(supervisor.list()).toEqual([]);
  }

  it('a `link` listener that closes the supervisor: every member ends, close() resolves', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    let closing: Promise<void> | null = null;
    const seen: string[] = [];
    supervisor.on('link', (link) => {
      seen.push(link.id);
      closing ??= supervisor.close();
    });
    const group = supervisor.connectGroup([server.url, server.url, server.url], { id: 'g' });
    expect(seen).toEqual(['link:g/0', 'link:g/1', 'link:g/2']);
    await expectAllClosed(supervisor, closing);
    expect(group.links.map((link) => link.state)).toEqual(['closed', 'closed', 'closed']);
    expect(server.clients.size).toBe(0);
  });

  it('an `up` listener flushed by the group step closes the supervisor: every member ends', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    let closing: Promise<void> | null = null;
    supervisor.on('up', () => {
      closing ??= supervisor.close();
    });
    const first = supervisor.connect(server.url);
    const groups: ReturnType<Supervisor['connectGroup']>[] = [];
    // In the first link's ready listener: the socket's `up` waits for its step's effects, which
    // connectGroup's group.add runs.
    first.on('ready', () => {
      if (groups.length === 0) groups.push(supervisor.connectGroup([server.url, server.url], { id: 'late' }));
    });
    await first.ended();
    expect(groups).toHaveLength(1);
    await expectAllClosed(supervisor, closing);
    expect(groups[0]?.links.map((link) => link.state)).toEqual(['closed', 'closed']);
  });
});
