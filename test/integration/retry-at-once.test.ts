/**
 * A retry made at once is announced like any retry, against real `ws` servers on 127.0.0.1 port 0:
 * a credentials rejection with a per-attempt function (its one fresh attempt) and a group restart
 * (a sibling was lost) each emit `reconnecting` with `delayMs: 0`, the reason and the number the
 * next attempt carries (the one its `state` event and per-attempt function see), after `state` and
 * `lost`, before the next `ready`. The backoff is 30 s: any retry within the test is the one at once.
 */
import { describe, expect, it } from 'vitest';
import type { LinkEvents } from '../../src/index.js';
import { recordEvents } from '../helpers/events.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

const SLOW = { ...FAST, backoff: { ...FAST.backoff, initialDelayMs: 30_000, maxDelayMs: 30_000 } };

type Reconnecting = LinkEvents['reconnecting'];

/** The event names of a log, `state` shown as `state:<to>`. */
function names(log: ReturnType<typeof recordEvents>): string[] {
  return log.events.map((e) => (e.type === 'state' ? `state:${(e.payload as { to: string }).to}` : e.type));
}

describe('integration: a retry made at once is announced', () => {
  const h = useHarness();

  it('HTTP 401 with a per-attempt URL: reconnecting (delayMs 0, the 401, the attempt the fresh one carries), then ready', async () => {
    let upgrades = 0;
    const server = await h.wsServer();
    server.server.removeAllListeners('upgrade');
    server.server.on('upgrade', (request, socket, head) => {
      socket.on('error', () => {});
      if (upgrades++ === 0) return void socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      server.wss.handleUpgrade(request, socket, head, (ws) => server.wss.emit('connection', ws, request));
    });
    const attempts: number[] = [];
    const link = h.supervisor(SLOW).connect(({ attempt }) => {
      attempts.push(attempt);
      return server.url;
    });
    const log = recordEvents(link);
    await waitFor(() => link.state === 'ready', { message: 'ready after the fresh attempt' });
    expect(upgrades).toBe(2);
    expect(names(log)).toEqual(['state:connecting', 'reconnecting', 'state:ready', 'ready']);
    const [announced] = log.of<Reconnecting>('reconnecting');
    expect(announced).toMatchObject({ delayMs: 0, reason: { kind: 'http', status: 401 } });
    expect(announced?.attempt).toBe(attempts[1]);
    expect(link.status().attempt).toBe(announced?.attempt);
  });

  it('close 3000 on an open socket, per-attempt headers: lost, reconnecting (delayMs 0, the 3000), ready again', async () => {
    const server = await h.wsServer({
      onConnection: (ws) => {
        if (server.connections === 1) setTimeout(() => ws.close(3000, 'expired'), 10);
      },
    });
    const link = h.supervisor(SLOW).connect(server.url, { headers: () => ({ authorization: 'Bearer t' }) });
    const log = recordEvents(link);
    await waitFor(() => link.status().readyCount === 2, { message: 'a second session' });
    expect(names(log)).toEqual([
      'state:connecting',
      'state:ready',
      'ready',
      'state:connecting',
      'lost',
      'reconnecting',
      'state:ready',
      'ready',
    ]);
    expect(log.of<Reconnecting>('reconnecting')[0]).toMatchObject({
      delayMs: 0,
      reason: { kind: 'close', code: 3000 },
    });
  });

  it('a group restart (one-for-all, a sibling lost): the restarted member announces lost, reconnecting (delayMs 0, kind group), ready', async () => {
    const servers = await Promise.all([h.wsServer(), h.wsServer()]);
    const group = h.supervisor(SLOW).connectGroup(
      servers.map((s) => s.url),
      { id: 'pair', strategy: 'one-for-all' },
    );
    const [dropped, sibling] = group.links;
    if (!dropped || !sibling) throw new Error('two members');
    await waitFor(() => group.links.every((l) => l.state === 'ready'), { message: 'both ready' });
    const log = recordEvents(sibling);
    for (const ws of servers[0]?.clients ?? []) ws.terminate();
    await waitFor(() => sibling.status().readyCount === 2, { message: 'the sibling restarted' });
    expect(names(log)).toEqual(['state:connecting', 'lost', 'reconnecting', 'state:ready', 'ready']);
    const [announced] = log.of<Reconnecting>('reconnecting');
    expect(announced).toMatchObject({ delayMs: 0, reason: { kind: 'group' } });
    expect(announced?.attempt).toBe(sibling.status().attempt);
  });
});
