/**
 * Heartbeat against real `ws` servers that answer pings by hand (autoPong: false): a peer that
 * stops answering is detected and the link reconnects; a peer that never answered is tolerated.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { nextEvent, recordEvents } from '../helpers/events.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { TIMER_EARLY_MS } from '../helpers/timer-early.js';
import { waitFor } from '../helpers/wait.js';

const HEARTBEAT = { intervalMs: 100, timeoutMs: 100, maxMissed: 1 } as const;
/** Generous allowance over interval + timeout for scheduling on a loaded machine, in ms. */
const SLACK_MS = 1_500;

describe('integration: heartbeat', () => {
  const h = useHarness();

  it('a server that stops answering pings: lost (heartbeat) within interval + timeout, then reconnects', async () => {
    const silent = new Set<WebSocket>();
    const pingsPerConnection: number[] = [];
    const server = await h.wsServer({
      autoPong: false,
      onConnection: (ws) => {
        const n = pingsPerConnection.push(0) - 1;
        ws.on('ping', (data) => {
          pingsPerConnection[n] = (pingsPerConnection[n] ?? 0) + 1;
          if (!silent.has(ws)) ws.pong(data);
        });
      },
    });
    const supervisor = h.supervisor({ ...FAST, heartbeat: HEARTBEAT });
    const link = supervisor.connect(server.url);
    const log = recordEvents(link);
    await link.ready();
    await waitFor(() => link.status().rttMs !== null, { message: 'a pong was measured' });
    expect(pingsPerConnection[0]).toBeGreaterThanOrEqual(1);

    const lost = nextEvent(link, 'lost', { timeoutMs: 5_000 });
    const startedAt = Date.now();
    for (const ws of server.clients) silent.add(ws);
    const { reason } = await lost;
    const detectedAfterMs = Date.now() - startedAt;
    expect(reason.kind).toBe('heartbeat');
    // An upper bound (the link must notice), never a speed claim.
    expect(detectedAfterMs).toBeLessThanOrEqual(
      HEARTBEAT.maxMissed * (HEARTBEAT.intervalMs + HEARTBEAT.timeoutMs) + SLACK_MS,
    );

    await waitFor(() => log.count('ready') === 2, { message: 'ready on a new socket' });
    expect(server.connections).toBe(2);
    expect(log.of<{ reason: { kind: string } }>('reconnecting')[0]?.reason.kind).toBe('heartbeat');
    expect(log.count('failed')).toBe(0);
  });

  it('a server that never answered any ping: the link stays ready across several heartbeat periods', async () => {
    let pings = 0;
    const server = await h.wsServer({
      autoPong: false,
      onConnection: (ws) => ws.on('ping', () => pings++),
    });
    const supervisor = h.supervisor({ ...FAST, heartbeat: HEARTBEAT });
    const link = supervisor.connect(server.url);
    const log = recordEvents(link);
    await link.ready();

    // Each unanswered ping is one full period (interval + timeout) of the heartbeat.
    await waitFor(() => pings >= 4, { message: 'four unanswered pings', timeoutMs: 8_000 });
    expect(link.state).toBe('ready');
    expect(log.count('lost')).toBe(0);
    expect(log.count('reconnecting')).toBe(0);
    expect(server.connections).toBe(1);
    expect(link.status().rttMs).toBeNull();
    // Still usable.
    expect(link.send('still here')).toBe('sent');
  });

  it('a server that stops answering pings but keeps sending data is not declared lost', async () => {
    const silent = new Set<WebSocket>();
    const timers: ReturnType<typeof setInterval>[] = [];
    h.defer(() => {
      for (const timer of timers) clearInterval(timer);
    });
    let pings = 0;
    const server = await h.wsServer({
      autoPong: false,
      onConnection: (ws) => {
        ws.on('ping', (data) => {
          pings++;
          if (!silent.has(ws)) ws.pong(data);
        });
        timers.push(setInterval(() => ws.send('tick'), 30));
      },
    });
    // A pong wait of 500 ms, not 100: the data (every 30 ms) is what must answer each ping, and a
    // busy machine can hold the event loop past 100 ms, after which Node runs the timeout's timer
    // before reading the data that came meanwhile. Ten pings (~1.3 s of silence) outlast the wait
    // twice: a link that did not count the data as proof would be lost within them.
    const supervisor = h.supervisor({ ...FAST, heartbeat: { ...HEARTBEAT, timeoutMs: 500 } });
    const link = supervisor.connect(server.url);
    const log = recordEvents(link);
    await link.ready();
    await waitFor(() => link.status().rttMs !== null, { message: 'a pong was measured' });
    for (const ws of server.clients) silent.add(ws);
    const pingsAtSilence = pings;
    await waitFor(() => pings >= pingsAtSilence + 10, { message: 'ten more pings', timeoutMs: 15_000 });
    expect(link.state).toBe('ready');
    expect(log.count('lost')).toBe(0);
    expect(server.connections).toBe(1);
    expect(log.count('message')).toBeGreaterThan(0);
    for (const timer of timers) clearInterval(timer);
  });

  it('a busy link whose pongs come back after the next ping went out still reports the round trip', async () => {
    // Data every 20 ms answers each ping at once, so the next ping goes out ~interval later, long
    // before the pong of the last one (held 300 ms by the server): every pong answers an older
    // ping than the latest. Each still tells its own ping's round trip; a link that only measured
    // the latest ping's pong reported no round trip at all (the chaos suite's slow link, once).
    const PONG_DELAY_MS = 300;
    const timers = new Set<ReturnType<typeof setTimeout>>();
    h.defer(() => {
      for (const timer of timers) clearTimeout(timer);
    });
    let latePongs = 0;
    const server = await h.wsServer({
      autoPong: false,
      onConnection: (ws) => {
        ws.on('ping', (data) => {
          const timer = setTimeout(() => {
            timers.delete(timer);
            if (ws.readyState !== ws.OPEN) return;
            latePongs++;
            ws.pong(data);
          }, PONG_DELAY_MS);
          timers.add(timer);
        });
        const ticker = setInterval(() => ws.send('tick'), 20);
        ws.on('close', () => clearInterval(ticker));
        timers.add(ticker);
      },
    });
    // The pong wait is a hang guard here: the data answers every ping.
    const supervisor = h.supervisor({
      ...FAST,
      heartbeat: { intervalMs: 50, timeoutMs: 5_000, maxMissed: 1 },
    });
    const link = supervisor.connect(server.url);
    const log = recordEvents(link);
    await link.ready();
    await waitFor(() => latePongs >= 3, { message: 'three pongs came back', timeoutMs: 10_000 });
    const rttMs = await waitFor(() => link.status().rttMs, {
      message: 'a round trip was reported',
      timeoutMs: 10_000,
    });
    // A lower bound only: the path held each pong that long (by a timer, which may fire up to
    // TIMER_EARLY_MS early: 299.89 ms was seen for 300).
    expect(rttMs).toBeGreaterThanOrEqual(PONG_DELAY_MS - TIMER_EARLY_MS);
    expect(log.count('lost')).toBe(0);
    expect(server.connections).toBe(1);
  });
});
