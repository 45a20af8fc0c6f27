/**
 * The `state` event is self-sufficient: it carries the reason, the attempt number and the next
 * delay of the transition it reports. A listener on `state` alone — the obvious one a user writes
 * — prints each disconnect's reason on its own row: connect refused while the server is down,
 * heartbeat loss while it is up. And it says the same as the `reconnecting` event of that step
 * (one numbering of attempts: the first retry is attempt 1).
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import type { LinkStateChange } from '../../src/index.js';
import { recordEvents } from '../helpers/events.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

describe('integration: the state event carries its own reason, attempt and delay', () => {
  const h = useHarness();

  it('connect refused, then heartbeat loss with the server up: each reason on its own row', async () => {
    // Kept for the test (kept-port.ts): refused until the server comes up on it, nobody else's.
    const kept = await h.keptPort();
    const supervisor = h.supervisor({
      ...FAST,
      backoff: { initialDelayMs: 30, maxDelayMs: 30, jitter: 'none' },
      heartbeat: { intervalMs: 50, timeoutMs: 50, maxMissed: 1 },
    });
    const link = supervisor.connect(kept.url('/'));
    const rows: LinkStateChange[] = [];
    link.on('state', (change) => rows.push(change));
    const log = recordEvents(link);

    // The server is down: a few refused attempts.
    await waitFor(() => rows.filter((r) => r.to === 'reconnecting').length >= 2, {
      message: 'two refused attempts',
    });
    // The server comes up on that port, answers the first ping, then goes silent (still up).
    let answering = true;
    await h.wsServer({
      ...kept.behind,
      autoPong: false,
      onConnection: (ws: WebSocket) => {
        ws.on('ping', (data) => {
          if (answering) ws.pong(data);
          answering = false;
        });
      },
    });
    await waitFor(() => rows.some((r) => r.from === 'ready' && r.to === 'reconnecting'), {
      message: 'a heartbeat loss',
      timeoutMs: 8_000,
    });
    await link.close();

    const refused = rows.filter((r) => r.from === 'connecting' && r.to === 'reconnecting');
    const lost = rows.find((r) => r.from === 'ready' && r.to === 'reconnecting');
    expect(refused.length).toBeGreaterThanOrEqual(2);
    for (const row of refused) {
      expect(row.reason).toMatchObject({ kind: 'error', errorCode: 'ECONNREFUSED' });
      expect(row.delayMs).toBe(30);
    }
    expect(refused.map((r) => r.attempt).slice(0, 2)).toEqual([1, 2]);
    expect(lost?.reason?.kind).toBe('heartbeat');
    expect(lost?.delayMs).toBe(30);
    expect(lost?.attempt).toBeGreaterThanOrEqual(1);

    // Every reconnecting row says what the step's `reconnecting` event says, in the same order.
    const reconnectingRows = rows.filter((r) => r.to === 'reconnecting');
    const events = log.of<{ attempt: number; delayMs: number; reason: unknown }>('reconnecting');
    expect(reconnectingRows.map(({ attempt, delayMs, reason }) => ({ attempt, delayMs, reason }))).toEqual(
      events.map(({ attempt, delayMs, reason }) => ({ attempt, delayMs, reason })),
    );
    // Connecting rows carry the retry they are (0: the first connect), ready rows too.
    const connecting = rows.filter((r) => r.to === 'connecting');
    expect(connecting.slice(0, 3).map((r) => r.attempt)).toEqual([0, 1, 2]);
    expect(rows.find((r) => r.to === 'ready')?.attempt).toBe(refused.length);
    // The closing row carries the close's reason.
    expect(rows.at(-1)).toMatchObject({ to: 'closed', reason: { kind: 'user' } });
  });

  it('a fatal close: the failed row carries the failure', async () => {
    const server = await h.wsServer({ onConnection: (ws) => ws.close(1008, 'policy') });
    const supervisor = h.supervisor(FAST);
    const link = supervisor.connect(server.url);
    const rows: LinkStateChange[] = [];
    link.on('state', (change) => rows.push(change));
    await waitFor(() => link.state === 'failed', { message: 'failed' });
    expect(rows.at(-1)).toMatchObject({
      to: 'failed',
      attempt: 0,
      reason: { kind: 'close', code: 1008 },
    });
  });
});
