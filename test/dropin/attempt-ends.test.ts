/**
 * Every attempt that ends shows its end, whichever way the link goes on: [error] close, then
 * `reconnecting` (or `failed`), with readyState CLOSED at the close. Three ways used to be silent:
 * a credentials rejection retried at once (a per-attempt URL function: HTTP 401 on the upgrade, or
 * close code 3000 from an open socket; the chart now announces the one fresh attempt as
 * `reconnecting` in 0 ms, which the drop-in shows as it shows any retry),
 * and a loss that escalates the restart intensity (the link cools down; the chart announces
 * `escalated`, not `reconnecting`): open, open with no close between, or OPEN for the whole
 * cool-down with send() returning true. Real ws servers on 127.0.0.1 port 0; bounded waits only.
 */
import { describe, expect, it } from 'vitest';
import type { ReconnectingEvent } from '../../src/entries/ws.js';
import { useHarness } from '../helpers/harness.js';
import { rejectUpgrade } from '../helpers/servers.js';
import { waitFor } from '../helpers/wait.js';
import { dropIn, FAST, recordWs } from './helpers.js';

describe('drop-in: every attempt that ends dispatches its close', () => {
  const h = useHarness();

  /** A drop-in on a per-attempt URL function, its events, and its readyState at each close. */
  function perAttemptUrl(url: string) {
    const rws = dropIn(h, () => url, undefined, FAST);
    const log = recordWs(rws);
    const states: number[] = [];
    rws.addEventListener('close', () => states.push(rws.readyState));
    return { rws, log, states };
  }

  it('HTTP 401, retried at once with a URL function: error, close 1006 (status 401), reconnecting, then open', async () => {
    const server = await h.wsServer();
    let upgrades = 0;
    server.server.removeAllListeners('upgrade');
    server.server.on('upgrade', (request, socket, head) => {
      socket.on('error', () => {});
      if (upgrades++ === 0) return rejectUpgrade(socket, 401, 'Unauthorized');
      server.wss.handleUpgrade(request, socket, head, (ws) => server.wss.emit('connection', ws, request));
    });
    const { rws, log, states } = perAttemptUrl(server.url);
    await waitFor(() => log.count('open') === 1, { message: 'open' });
    expect(log.lines).toEqual(['error:http', 'close:1006', 'reconnecting:0', 'open']);
    expect(states).toEqual([rws.CLOSED]);
    expect((log.of('close')[0] as unknown as { status?: number }).status).toBe(401);
    expect((log.of('reconnecting')[0] as ReconnectingEvent).delayMs).toBe(0);
    expect(upgrades).toBe(2);
  });

  it('close 3000 from an open socket, retried at once with a URL function: open, close 3000, reconnecting, open', async () => {
    const server = await h.wsServer({
      onConnection: (ws) => {
        if (server.connections === 1) setTimeout(() => ws.close(3000, 'expired'), 10);
      },
    });
    const { rws, log, states } = perAttemptUrl(server.url);
    await waitFor(() => log.count('open') === 2, { message: 'second open' });
    expect(log.lines).toEqual(['open', 'close:3000', 'reconnecting:0', 'open']);
    expect(states).toEqual([rws.CLOSED]);
  });

  it('a loss that escalates the restart intensity: close, then reconnecting with the cool-down; CLOSED while it lasts', async () => {
    // Every connection is dropped right after it opens: the 6th loss within a minute escalates.
    const server = await h.wsServer({ onConnection: (ws) => setTimeout(() => ws.close(1001, 'bye'), 5) });
    const rws = dropIn(h, server.url, undefined, { ...FAST, maxReconnectionDelay: 20 });
    const log = recordWs(rws);
    await waitFor(() => rws.link?.state === 'coolingDown', { message: 'cooling down', timeoutMs: 15_000 });
    expect(log.count('open')).toBe(6);
    expect(log.count('close')).toBe(6);
    expect(log.count('reconnecting')).toBe(6);
    expect(log.lines.slice(-3)).toEqual(['open', 'close:1001', expect.stringMatching(/^reconnecting:/)]);
    const last = log.of('reconnecting').at(-1) as ReconnectingEvent;
    expect(last.delayMs).toBeGreaterThan(1_000);
    expect(rws.readyState).toBe(rws.CLOSED);
    expect(rws.send('held')).toBe(false);
  });
});
