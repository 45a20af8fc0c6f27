/**
 * What `shouldReconnect(reason, attempt)` is told, against real `ws` servers on 127.0.0.1 port 0:
 * on every path the number is the one of the attempt it decides about — the one the `reconnecting`
 * event announces and the next attempt's per-attempt function (`AttemptInfo.attempt`) sees. A retry
 * through the backoff is the next step of the schedule; a credentials refresh and a group restart
 * (retries made at once) and the attempt after a cool-down keep the current number; once
 * `maxAttempts` have run out the hook is not asked (the link gives up). Each server answers its
 * upgrades from a script (HTTP 503, 401, or accept), so the numbers are known in advance.
 */
import { describe, expect, it } from 'vitest';
import type { LinkEvents, Reason } from '../../src/index.js';
import { recordEvents } from '../helpers/events.js';
import { FAST, useHarness } from '../helpers/harness.js';
import type { WsTestServer } from '../helpers/servers.js';
import { waitFor } from '../helpers/wait.js';

type Reconnecting = LinkEvents['reconnecting'];

/** What the hook was asked: the reason's kind (and HTTP status or close code) and the number. */
type Asked = [what: string, attempt: number];

const what = (reason: Reason) => `${reason.kind}${reason.status ?? reason.code ?? ''}`;

describe('integration: shouldReconnect is told the number of the attempt it decides about', () => {
  const h = useHarness();

  /** A ws server whose upgrades are answered in turn from `script` (`accept` once it runs out). */
  async function scriptedServer(script: ('503' | '401' | 'accept')[]): Promise<WsTestServer> {
    const server = await h.wsServer();
    let upgrades = 0;
    server.server.removeAllListeners('upgrade');
    server.server.on('upgrade', (request, socket, head) => {
      socket.on('error', () => {});
      const answer = script[upgrades++] ?? 'accept';
      if (answer === '503') return void socket.end('HTTP/1.1 503 Service Unavailable\r\n\r\n');
      if (answer === '401') return void socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      server.wss.handleUpgrade(request, socket, head, (ws) => {
        ws.on('error', () => {});
        server.wss.emit('connection', ws, request);
      });
    });
    return server;
  }

  /** A per-attempt URL that notes each attempt's number, and a hook that notes what it is asked. */
  function observed(url: string) {
    const attempts: number[] = [];
    const asked: Asked[] = [];
    return {
      attempts,
      asked,
      url: ({ attempt }: { attempt: number }) => {
        attempts.push(attempt);
        return url;
      },
      shouldReconnect: (reason: Reason, attempt: number) => {
        asked.push([what(reason), attempt]);
        return true;
      },
    };
  }

  it('a retry through the backoff: the next step (1, 2), as reconnecting and the attempts say', async () => {
    const server = await scriptedServer(['503', '503']);
    const o = observed(server.url);
    const link = h.supervisor(FAST).connect(o.url, { shouldReconnect: o.shouldReconnect });
    const log = recordEvents(link);
    await waitFor(() => link.state === 'ready', { message: 'ready on the third attempt' });
    expect(o.asked).toEqual([
      ['http503', 1],
      ['http503', 2],
    ]);
    expect(log.of<Reconnecting>('reconnecting').map((e) => e.attempt)).toEqual([1, 2]);
    expect(o.attempts).toEqual([0, 1, 2]);
  });

  it('a credentials refresh (HTTP 401, a per-attempt URL): the current number, not the next', async () => {
    // 503 first, so that the number is not 0: the refresh after retry 1 is attempt 1 again.
    const server = await scriptedServer(['503', '401']);
    const o = observed(server.url);
    const link = h.supervisor(FAST).connect(o.url, { shouldReconnect: o.shouldReconnect });
    const log = recordEvents(link);
    await waitFor(() => link.state === 'ready', { message: 'ready after the fresh attempt' });
    expect(o.asked).toEqual([
      ['http503', 1],
      ['http401', 1],
    ]);
    const announced = log.of<Reconnecting>('reconnecting');
    // FAST's backoff: 20 ms for retry 1, none for the refresh made at once.
    expect(announced.map((e) => [e.attempt, e.delayMs])).toEqual([
      [1, 20],
      [1, 0],
    ]);
    expect(o.attempts).toEqual([0, 1, 1]);
    expect(link.status().attempt).toBe(1);
  });

  it('a group restart (one-for-all): the restarted member is asked with its current number', async () => {
    const steady = await scriptedServer([]);
    // The sibling is ready on its third attempt: its number is 2 when its group restarts it.
    const late = await scriptedServer(['503', '503']);
    const dropped = observed(steady.url);
    const sibling = observed(late.url);
    const asked: Asked[] = [];
    // A backoff that never resets within the test (a loaded machine may take seconds).
    const steadyBackoff = { ...FAST, backoff: { ...FAST.backoff, stableAfterMs: 600_000 } };
    const group = h.supervisor(steadyBackoff).connectGroup([dropped.url, sibling.url], {
      id: 'pair',
      strategy: 'one-for-all',
      shouldReconnect: (reason, attempt) => asked.push([what(reason), attempt]) > 0,
    });
    const [first, second] = group.links;
    if (!first || !second) throw new Error('two members');
    await waitFor(() => group.links.every((l) => l.state === 'ready'), { message: 'both ready' });
    const log = recordEvents(second);
    expect(asked).toEqual([
      ['http503', 1],
      ['http503', 2],
    ]);
    asked.length = 0;
    for (const ws of steady.clients) ws.terminate();
    await waitFor(() => second.status().readyCount === 2 && first.state === 'ready', {
      message: 'both members back',
    });
    // The lost member retries through the backoff (1); its sibling is restarted at once (2, kept).
    expect(asked).toContainEqual(['close1006', 1]);
    expect(asked).toContainEqual(['group', 2]);
    expect(asked).toHaveLength(2);
    expect(log.of<Reconnecting>('reconnecting').map((e) => [e.attempt, e.delayMs])).toEqual([[2, 0]]);
    expect(sibling.attempts).toEqual([0, 1, 2, 2]);
    expect(dropped.attempts).toEqual([0, 1]);
  });

  it('giving up: asked for each retry maxAttempts allows (1, 2), then not at all', async () => {
    const server = await scriptedServer(['503', '503', '503', '503']);
    const o = observed(server.url);
    const options = { ...FAST, backoff: { ...FAST.backoff, maxAttempts: 2 } };
    const link = h.supervisor(options).connect(o.url, { shouldReconnect: o.shouldReconnect });
    const log = recordEvents(link);
    await waitFor(() => link.state === 'failed', { message: 'gave up' });
    expect(o.asked).toEqual([
      ['http503', 1],
      ['http503', 2],
    ]);
    expect(log.of<Reconnecting>('reconnecting').map((e) => e.attempt)).toEqual([1, 2]);
    expect(o.attempts).toEqual([0, 1, 2]);
    expect(log.of<LinkEvents['failed']>('failed')[0]?.reason.kind).toBe('gave-up');
  });

  it('a cool-down (restart intensity exceeded): the attempt after it keeps the number', async () => {
    // Each of the first two sessions is dropped soon after it is ready: the second loss exceeds
    // maxRestarts 1 and the link cools down instead of stepping the backoff.
    const server = await h.wsServer({
      onConnection: (ws) => {
        if (server.connections <= 2) setTimeout(() => ws.terminate(), 10);
      },
    });
    const o = observed(server.url);
    const link = h
      .supervisor({ ...FAST, backoff: { ...FAST.backoff, stableAfterMs: 600_000 } })
      .connect(o.url, {
        shouldReconnect: o.shouldReconnect,
        intensity: { maxRestarts: 1, withinMs: 60_000, coolDownMs: 30, maxCoolDownMs: 30, jitterRatio: 0 },
      });
    const log = recordEvents(link);
    const escalated: LinkEvents['escalated'][] = [];
    link.on('escalated', (e) => escalated.push(e));
    await waitFor(() => link.status().readyCount === 3, { message: 'a third session' });
    expect(o.asked).toEqual([
      ['close1006', 1],
      ['close1006', 1],
    ]);
    expect(log.of<Reconnecting>('reconnecting').map((e) => e.attempt)).toEqual([1]);
    expect(escalated.map((e) => e.escalation)).toEqual([1]);
    expect(o.attempts).toEqual([0, 1, 1]);
  });
});
