/**
 * A link whose every listener throws (`state`, `ready`, `message`, `lost`, `reconnecting`,
 * `dropped`, `closed`, `error`…), through its whole life: connect, a message, a drop (`lost` then
 * `reconnecting`), a queued message while down, ready again (the queue flushed), close with a
 * message queued while connecting after a second drop. No user callback puts the actor in an error
 * state: each throw is an `error` event (LV_ERR_LISTENER) and the link goes on; every send is
 * received or dropped once; nothing escapes to the process. Round 36 (i36hunt): passed as written
 * (no change needed). Real `ws` server on loopback.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import type { LinkvisorError } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { useStrayErrors } from '../helpers/stray-errors.js';
import { sleep, waitFor } from '../helpers/wait.js';

describe('every listener of a link throws', () => {
  const h = useHarness();
  const stray = useStrayErrors({ exceptions: true });

  it('the link lives on: lost, reconnecting, ready again, closed; each throw an error event', async () => {
    const server = await h.wsServer();
    const received: string[] = [];
    server.wss.on('connection', (ws: WebSocket) => {
      ws.on('message', (data) => received.push(String(data)));
      ws.send('hello');
    });
    const supervisor = h.supervisor({ ...FAST, networkSignals: false });
    const link = supervisor.connect(server.url, { backoff: { initialDelayMs: 50, jitter: 'none' } });
    const errors: LinkvisorError[] = [];
    const dropped: string[] = [];
    const seen: string[] = [];
    link.on('error', (error) => {
      errors.push(error as LinkvisorError);
      throw new Error('error listener throws too');
    });
    link.on('dropped', ({ data }) => dropped.push(String(data)));
    for (const event of [
      'state',
      'ready',
      'message',
      'lost',
      'reconnecting',
      'dropped',
      'closed',
      'failed',
    ] as const) {
      link.on(event, () => {
        seen.push(event);
        throw new Error(`${event} listener throws`);
      });
    }
    await link.ready();
    await waitFor(() => seen.includes('message'), { message: 'the message' });
    for (const ws of server.clients) ws.terminate();
    await waitFor(() => link.state !== 'ready', { message: 'down' });
    link.send('while down');
    await link.ready();
    await waitFor(() => received.includes('while down'), { message: 'flushed after the reconnect' });
    for (const ws of server.clients) ws.terminate();
    await waitFor(() => link.state === 'reconnecting' || link.state === 'connecting', {
      message: 'down again',
    });
    link.send('queued at close');
    await link.close();
    await sleep(50);
    expect(seen).toEqual(
      expect.arrayContaining(['state', 'ready', 'message', 'lost', 'reconnecting', 'closed']),
    );
    expect(seen).not.toContain('failed');
    expect(link.state).toBe('closed');
    expect(link.actor.getSnapshot().status).not.toBe('error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e.code === 'LV_ERR_LISTENER')).toBe(true);
    expect(
      received.filter((m) => m === 'queued at close').length +
        dropped.filter((m) => m === 'queued at close').length,
    ).toBe(1);
    expect(received.filter((m) => m === 'while down')).toHaveLength(1);
    expect(stray).toEqual([]);
  });
});
