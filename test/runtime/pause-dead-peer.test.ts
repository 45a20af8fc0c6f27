/**
 * A paused link whose peer is gone (docs/links.md, "Pausing"): a paused ws socket reads nothing,
 * so neither the peer's FIN nor its close frame is seen, and no pong can be read to judge it. The
 * chart's ready.paused writes a probe (a ping whose pong nobody awaits) every heartbeat interval:
 * to a socket the peer has closed the write is answered by a reset, the socket ends, and what it
 * had read is parsed then (kept unread, delivered on resume). The link is never judged on pongs it
 * could not read, and never stays ready on a dead socket. On a real `ws` server on loopback.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { FAST, useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';

const heartbeat = { intervalMs: 200, timeoutMs: 300 };

describe('a paused link whose peer is gone', () => {
  const h = useHarness();

  it('notices it by a probe’s write (no send of its own), reconnects still paused, loses no message', async () => {
    const sockets: WebSocket[] = [];
    const server = await h.wsServer({ onConnection: (ws) => sockets.push(ws) });
    const supervisor = h.supervisor({ ...FAST, networkSignals: false });
    const link = supervisor.connect(server.url, { heartbeat });
    const got: string[] = [];
    const lost: string[] = [];
    link.on('message', (data) => got.push(String(data)));
    link.on('lost', ({ reason }) => lost.push(reason.kind));
    await link.ready();
    expect(link.pause()).toBe(true);
    for (let i = 0; i < 5; i++) sockets[0]?.send(`m${i}`);
    await sleep(100);
    // The peer goes away (its socket destroyed: a FIN the paused socket does not read).
    sockets[0]?.terminate();
    // Generous on a busy machine: the probe fires after one interval, its reset comes back at once.
    await waitFor(() => sockets.length === 2 && link.state === 'ready', { timeoutMs: 10_000 });
    expect(lost).toHaveLength(1);
    expect(lost[0]).not.toBe('heartbeat');
    expect(link.status().paused).toBe(true);
    expect(got).toEqual([]);
    expect(link.resume()).toBe(true);
    await waitFor(() => got.length === 5);
    expect(got).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
  });

  it('a live peer that reads the probes: paused far longer than the heartbeat window, never judged', async () => {
    const sockets: WebSocket[] = [];
    const server = await h.wsServer({ onConnection: (ws) => sockets.push(ws) });
    const supervisor = h.supervisor({ ...FAST, networkSignals: false });
    const link = supervisor.connect(server.url, { heartbeat });
    const pings: number[] = [];
    await link.ready();
    sockets[0]?.on('ping', () => pings.push(Date.now()));
    const lost: string[] = [];
    link.on('lost', ({ reason }) => lost.push(reason.kind));
    expect(link.pause()).toBe(true);
    await sleep(6 * (heartbeat.intervalMs + heartbeat.timeoutMs));
    expect(lost).toEqual([]);
    expect(link.state).toBe('ready');
    expect(server.connections).toBe(1);
    // Probes went out all along (one an interval; fewer on a busy machine, never none).
    expect(pings.length).toBeGreaterThanOrEqual(3);
    expect(link.resume()).toBe(true);
  });
});
