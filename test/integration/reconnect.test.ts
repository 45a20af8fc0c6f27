/**
 * Reconnecting against real faults: a server that restarts on the same port, a TCP reset in the
 * middle of the HTTP upgrade, a server that accepts and never answers, and close() while the
 * link waits to retry.
 */
import type { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { HandshakeSession, Reason } from '../../src/index.js';
import { nextEvent, recordEvents } from '../helpers/events.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { BEHIND_HOST } from '../helpers/servers.js';
import { sleep, waitFor } from '../helpers/wait.js';

describe('integration: reconnect', () => {
  const h = useHarness();

  it('server bounce mid-session: reconnects on the same port; messages sent while down arrive once, in order', async () => {
    const before: string[] = [];
    const after: string[] = [];
    // The server restarts on a kept port: no other process can take it in between.
    const kept = await h.keptPort();
    const first = await h.wsServer({
      ...kept.behind,
      onConnection: (ws) => ws.on('message', (data) => before.push(String(data))),
    });
    const port = first.port;
    const supervisor = h.supervisor(FAST);
    const link = supervisor.connect(first.url);
    const log = recordEvents(link);
    await link.ready();

    for (const m of ['m1', 'm2', 'm3']) expect(link.send(m)).toBe('sent');
    await waitFor(() => before.length === 3, { message: 'the first server received m1..m3' });

    const lost = nextEvent(link, 'lost');
    await first.stop(); // terminates the clients: no close frame, like a crash
    expect((await lost).reason.kind).toBe('close');
    expect(link.state).not.toBe('ready');

    const queued = ['q1', 'q2', 'q3', 'q4', 'q5'];
    for (const m of queued) expect(link.send(m)).toBe('queued');
    expect(link.status().queue.messages).toBe(queued.length);
    // Let it fail against the closed port at least once before the server is back.
    await waitFor(() => log.count('reconnecting') >= 2, { message: 'a refused retry' });

    const second = await h.wsServer({
      ...kept.behind,
      onConnection: (ws) => ws.on('message', (data) => after.push(String(data))),
    });
    expect(second.port).toBe(port);
    await waitFor(() => log.count('ready') === 2, { message: 'ready again', timeoutMs: 5_000 });
    // A sentinel sent after the flush: once it arrived, everything before it has arrived too.
    expect(link.send('sentinel')).toBe('sent');
    await waitFor(() => after.includes('sentinel'), { message: 'the sentinel arrived' });

    expect(before).toEqual(['m1', 'm2', 'm3']);
    expect(after).toEqual([...queued, 'sentinel']);
    expect(second.connections).toBe(1);
    expect(log.count('failed')).toBe(0);
    expect(link.status().queue.messages).toBe(0);
    await link.close();
    expect(link.state).toBe('closed');
  });

  it('a TCP reset during the HTTP upgrade is retried (reconnecting with ECONNRESET), not fatal', async () => {
    const server = await h.netServer((socket) => {
      // Read the upgrade request, then answer it with an RST.
      socket.once('data', () => socket.resetAndDestroy());
    });
    const supervisor = h.supervisor(FAST);
    const link = supervisor.connect(`ws://127.0.0.1:${server.port}/feed`);
    const log = recordEvents(link);

    const reconnecting = await nextEvent(link, 'reconnecting');
    expect(reconnecting.reason.kind).toBe('error');
    expect(reconnecting.reason.errorCode).toBe('ECONNRESET');
    expect(reconnecting.attempt).toBe(1);
    await waitFor(() => server.connections >= 3, { message: 'two retries reached the server' });
    expect(log.count('failed')).toBe(0);
    expect(link.state).not.toBe('failed');
    expect(link.status().lastError?.errorCode).toBe('ECONNRESET');
  });

  const stalls: [
    string,
    (h: ReturnType<typeof useHarness>) => Promise<{ port: number; attempts: () => number }>,
  ][] = [
    [
      'accepts TCP and never answers the upgrade',
      async (harness) => {
        const server = await harness.netServer((socket) => socket.resume());
        return { port: server.port, attempts: () => server.connections };
      },
    ],
    [
      'receives the upgrade at HTTP level and never answers it',
      async (harness) => {
        const held: Duplex[] = [];
        const server = await harness.upgradeServer((_request, socket) => held.push(socket));
        return { port: server.port, attempts: () => server.upgrades };
      },
    ],
  ];

  it.each(stalls)('a server that %s: connectTimeoutMs fires, the link retries', async (_name, start) => {
    const server = await start(h);
    const supervisor = h.supervisor({ ...FAST, connectTimeoutMs: 150 });
    const link = supervisor.connect(`ws://127.0.0.1:${server.port}/`);
    const log = recordEvents(link);

    const reconnecting = await nextEvent(link, 'reconnecting', { timeoutMs: 5_000 });
    const reason: Reason = reconnecting.reason;
    // The chart's connect timeout is the one timer of the upgrade (ws gets no handshakeTimeout).
    expect(reason, JSON.stringify(reason)).toMatchObject({ kind: 'timeout', phase: 'connect' });
    await waitFor(() => server.attempts() >= 2, { message: 'a second attempt' });
    expect(log.count('failed')).toBe(0);
    expect(log.count('ready')).toBe(0);
  });

  it('close() during backoff: no later attempt reaches a server that comes back on the port', async () => {
    // The server restarts on a kept port: no other process can take it in between.
    const kept = await h.keptPort();
    const first = await h.wsServer(kept.behind);
    const capMs = 300;
    const supervisor = h.supervisor({
      ...FAST,
      backoff: { initialDelayMs: capMs, maxDelayMs: capMs, jitter: 'none' },
    });
    const link = supervisor.connect(first.url);
    const log = recordEvents(link);
    await link.ready();

    await first.stop();
    await waitFor(() => link.state === 'reconnecting', { message: 'state reconnecting' });
    expect(link.status().nextDelayMs).toBe(capMs);
    await link.close();
    expect(link.state).toBe('closed');
    expect(log.count('closed')).toBe(1);

    const comeback = await h.wsServer(kept.behind);
    await sleep(2 * capMs);
    expect(comeback.upgrades).toBe(0);
    expect(link.state).toBe('closed');
    expect(supervisor.status().links).toEqual([]);
  });

  it('close() during backoff: the closed event reports the application close, not the stale drop', async () => {
    const first = await h.wsServer();
    const supervisor = h.supervisor({
      ...FAST,
      backoff: { initialDelayMs: 300, maxDelayMs: 300, jitter: 'none' },
    });
    const link = supervisor.connect(first.url);
    const log = recordEvents(link);
    await link.ready();
    await first.stop();
    await waitFor(() => link.state === 'reconnecting', { message: 'state reconnecting' });
    await link.close();
    // close() in idle, connecting, handshaking and ready all report { kind: 'user' }; the
    // reason of the disconnect that led to `reconnecting` was already reported by `lost`.
    expect(log.of<{ reason: Reason | null }>('closed')).toEqual([
      { reason: expect.objectContaining({ kind: 'user', code: 1000 }) },
    ]);
  });

  it('a server that accepts and drops at once is not hammered: the delay grows until stableAfterMs', async () => {
    const server = await h.wsServer({ onConnection: (ws) => ws.terminate() });
    const supervisor = h.supervisor({
      ...FAST,
      backoff: { initialDelayMs: 20, maxDelayMs: 160, multiplier: 2, jitter: 'none', stableAfterMs: 5_000 },
    });
    const link = supervisor.connect(server.url);
    const log = recordEvents(link);
    await waitFor(() => log.count('reconnecting') >= 5, { message: 'five retries', timeoutMs: 8_000 });
    const retries = log.of<{ attempt: number; delayMs: number }>('reconnecting').slice(0, 5);
    expect(retries.map((r) => r.attempt)).toEqual([1, 2, 3, 4, 5]);
    expect(retries.map((r) => r.delayMs)).toEqual([20, 40, 80, 160, 160]);
    expect(log.count('failed')).toBe(0);
  });

  it('maxAttempts: after that many failed retries the link fails with gave-up', async () => {
    // Refused: a port kept for the test (kept-port.ts), nobody else's while the link retries.
    const refused = await h.keptPort();
    const supervisor = h.supervisor({
      ...FAST,
      backoff: { initialDelayMs: 10, maxDelayMs: 20, jitter: 'none', maxAttempts: 3 },
    });
    const link = supervisor.connect(refused.url('/'));
    const log = recordEvents(link);
    const failed = await nextEvent(link, 'failed', { timeoutMs: 5_000 });
    expect(failed.reason.kind).toBe('gave-up');
    expect(failed.reason.message).toContain('ECONNREFUSED');
    expect(log.count('reconnecting')).toBe(3);
    expect(link.status().lastError?.errorCode).toBe('ECONNREFUSED');
  });

  it('supervisor.close() with links in every phase ends them all and leaves nothing open', async () => {
    const ready = await h.wsServer();
    const stalled = await h.netServer((socket) => socket.resume());
    const handshaking = await h.wsServer();
    const { port: refused } = await h.keptPort();
    const supervisor = h.supervisor({ ...FAST, backoff: { initialDelayMs: 1_000, maxDelayMs: 1_000 } });
    const links = {
      ready: supervisor.connect(ready.url),
      connecting: supervisor.connect(`ws://127.0.0.1:${stalled.port}/`),
      handshaking: supervisor.connect(handshaking.url, {
        handshake: (session: HandshakeSession) =>
          new Promise<void>((_resolve, reject) =>
            session.signal.addEventListener('abort', () => reject(new Error('aborted'))),
          ),
      }),
      reconnecting: supervisor.connect(`ws://${BEHIND_HOST}:${refused}/`),
    };
    for (const link of Object.values(links)) link.send('queued');
    await waitFor(
      () =>
        links.ready.state === 'ready' &&
        links.connecting.state === 'connecting' &&
        links.handshaking.state === 'handshaking' &&
        links.reconnecting.state === 'reconnecting',
      { message: 'every link in its phase' },
    );
    expect(stalled.connections).toBe(1);
    await supervisor.close();
    for (const link of Object.values(links)) expect(link.state).toBe('closed');
    expect(supervisor.status()).toMatchObject({ closed: true, links: [] });
  });
});
