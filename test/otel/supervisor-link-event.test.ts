/**
 * The supervisor's `link` event: the public hook instrumentation (linkvisor/otel, loggers) uses to
 * see every link from its creation, including the group links and the ones that fail before any
 * collection could have listed them.
 */
import { describe, expect, it } from 'vitest';
import type { Link } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { BEHIND_HOST } from '../helpers/servers.js';
import { waitFor } from '../helpers/wait.js';

describe('supervisor.on("link")', () => {
  const h = useHarness();

  it('is told of every link from connect() and connectGroup(), before the link reports its first event', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    const seen: { id: string; events: string[] }[] = [];
    const off = supervisor.on('link', (link: Link) => {
      const entry = { id: link.id, events: [] as string[] };
      seen.push(entry);
      link.on('state', ({ to }) => entry.events.push(`state:${to}`));
      link.on('ready', () => entry.events.push('ready'));
    });

    const link = supervisor.connect(server.url, { id: 'one' });
    // Synchronous: the listener ran inside connect(), before connect() returned.
    expect(seen.map((s) => s.id)).toEqual(['link:one']);
    const group = supervisor.connectGroup([server.url, server.url], { id: 'pair' });
    expect(seen.map((s) => s.id)).toEqual(['link:one', 'link:pair/0', 'link:pair/1']);

    await link.ready();
    await Promise.all(group.links.map((member) => member.ready()));
    // Whole lives seen: each link starts after connect() returns, so each listener got idle →
    // connecting, connecting → ready and the ready event, nothing missed.
    for (const entry of seen) expect(entry.events).toEqual(['state:connecting', 'state:ready', 'ready']);

    off();
    supervisor.connect(server.url, { id: 'after-off' });
    expect(seen).toHaveLength(3);
  });

  it('sees a link that fails at once (the case a periodic list() would miss)', async () => {
    const { port } = await h.keptPort();
    const supervisor = h.supervisor({ ...FAST, backoff: { ...FAST.backoff, maxAttempts: 0 } });
    const failed: string[] = [];
    supervisor.on('link', (link) =>
      link.on('failed', ({ reason }) => failed.push(`${link.id}:${reason.kind}`)),
    );
    const link = supervisor.connect(`ws://${BEHIND_HOST}:${port}`, { id: 'doomed' });
    await link.ended();
    await waitFor(() => failed.length === 1, { message: 'the failed event' });
    expect(failed).toEqual(['link:doomed:gave-up']);
    expect(supervisor.list()).toHaveLength(0);
  });

  it('a listener that throws changes nothing for the link or the supervisor', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    supervisor.on('link', () => {
      throw new Error('listener bug');
    });
    const link = supervisor.connect(server.url);
    await link.ready();
    expect(link.state).toBe('ready');
    expect(supervisor.up).toBe(true);
  });

  it('a listener that closes the link at once: connect() and connectGroup() still return it, closed', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    const closes: Promise<void>[] = [];
    supervisor.on('link', (link) => {
      closes.push(link.close());
    });
    const link = supervisor.connect(server.url, { id: 'refused' });
    const group = supervisor.connectGroup([server.url], { id: 'refused-group' });
    expect(link.id).toBe('link:refused');
    expect(group.links.map((member) => member.id)).toEqual(['link:refused-group/0']);
    await Promise.all(closes);
    await link.ended();
    expect(link.state).toBe('closed');
    expect(supervisor.list()).toEqual([]);
  });
});
