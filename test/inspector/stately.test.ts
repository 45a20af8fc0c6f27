/**
 * Stately's tools (`@statelyai/inspect` 0.7.x, optional peer dependency), against a fake receiver
 * on loopback: the supervisor's `inspect` option accepts its WebSocket inspector's observer and
 * the receiver sees our actors; its own adapter keeps a retry timer after `stop()` (documented
 * upstream behaviour, FIELD.md); our `createStatelyInspector` speaks the same protocol over a
 * linkvisor link and leaves nothing behind (the harness checks every test for leaks).
 */
import { createWebSocketInspector } from '@statelyai/inspect';
import { describe, expect, it, vi } from 'vitest';
import { combineInspectors, createInspector, createStatelyInspector } from '../../src/inspector/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { BEHIND_HOST } from '../helpers/servers.js';
import { sleep, waitFor } from '../helpers/wait.js';

const h = useHarness();
const SECRET = 'SECRET-stately-9911';

interface Received {
  type: string;
  name?: string;
  sessionId?: string;
  snapshot?: { value?: unknown; context?: unknown };
  event?: { type?: string };
}

async function fakeReceiver() {
  const received: Received[] = [];
  const server = await h.wsServer({
    onConnection: (ws) => ws.on('message', (data) => received.push(JSON.parse(String(data)) as Received)),
  });
  return { server, received };
}

describe('@statelyai/inspect', () => {
  it("createWebSocketInspector's observer goes to createSupervisor({ inspect }) and sees every actor", async () => {
    const { server, received } = await fakeReceiver();
    const stately = createWebSocketInspector({ url: server.url });
    const ours = createInspector();
    await waitFor(() => server.connections === 1, { message: 'the Stately inspector connected' });
    const supervisor = h.supervisor({ ...FAST, inspect: combineInspectors(ours.inspect, stately.inspect) });
    const ws = await h.wsServer();
    await supervisor.connect(ws.url, { id: 'feed' }).ready();
    await waitFor(
      () => received.some((e) => e.type === '@xstate.snapshot' && JSON.stringify(e).includes('ready')),
      {
        message: 'a snapshot of the ready link at the receiver',
      },
    );
    const names = new Set(received.filter((e) => e.type === '@xstate.actor').map((e) => e.name));
    expect(names).toContain('socket');
    expect(names).toContain('link:feed');
    // Our own inspector saw the same actors through the combined observer.
    expect(ours.actors().map((a) => a.id)).toEqual(expect.arrayContaining(['socket', 'link:feed']));
    await supervisor.close();
    stately.stop();
    await waitFor(() => server.clients.size === 0, { message: 'the Stately inspector disconnected' });
  });

  it('its own adapter keeps a retry timer after stop() when the receiver is down (FIELD.md)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const { port } = await h.keptPort();
      const stately = createWebSocketInspector({ url: `ws://${BEHIND_HOST}:${port}` });
      await vi.waitFor(() => expect(vi.getTimerCount()).toBe(1), { timeout: 3_000, interval: 10 });
      stately.stop();
      // The 5 s reconnect timer is still there: stop() cannot reach it.
      expect(vi.getTimerCount()).toBe(1);
      vi.clearAllTimers();
    } finally {
      vi.useRealTimers();
    }
  });

  it('createStatelyInspector sends the same protocol over a link, redacted, and stop() leaves nothing', async () => {
    const { server, received } = await fakeReceiver();
    const stately = await createStatelyInspector({ url: server.url });
    const supervisor = h.supervisor({ ...FAST, inspect: stately.inspect });
    const ws = await h.wsServer();
    await supervisor.connect(`${ws.url}/feed?token=${SECRET}`, { id: 'feed' }).ready();
    await waitFor(
      () => received.some((e) => e.type === '@xstate.snapshot' && JSON.stringify(e).includes('ready')),
      {
        message: 'a snapshot of the ready link at the receiver',
      },
    );
    expect(received.filter((e) => e.type === '@xstate.actor').map((e) => e.name)).toEqual(
      expect.arrayContaining(['socket', 'link:feed']),
    );
    expect(JSON.stringify(received)).not.toContain(SECRET);
    // The link runs a started chart (machines/started-chart.ts); Stately gets the source chart's
    // definition, starting in idle.
    const feed = JSON.stringify(received.find((e) => e.type === '@xstate.actor' && e.name === 'link:feed'));
    expect(feed).toMatch(/initial\\?":\\?"idle/);
    expect(feed).not.toMatch(/initial\\?":\\?"attempt/);
    await supervisor.close();
    await stately.stop();
    expect(stately.link.state).toBe('closed');
  });

  it('createStatelyInspector waits for a receiver that is down, and stop() still leaves nothing', async () => {
    const { port } = await h.keptPort();
    const stately = await createStatelyInspector({ url: `ws://${BEHIND_HOST}:${port}` });
    const supervisor = h.supervisor({ ...FAST, inspect: stately.inspect });
    supervisor.watch({ name: 'db', probe: async () => {} });
    await sleep(50);
    expect(['connecting', 'reconnecting']).toContain(stately.link.state);
    await supervisor.close();
    await stately.stop();
  });
});
