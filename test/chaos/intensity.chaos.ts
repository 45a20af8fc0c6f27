/**
 * Restart intensity and network signals against real `ws` servers on 127.0.0.1, real time, the
 * policy scaled for CI:
 *
 * - a flapping server (accepts, holds 600 ms — past stableAfterMs, so the backoff resets each
 *   time — drops; forever): the link escalates within the window (more than 5 restarts in 6 s)
 *   and each consecutive cool-down is longer (1 s × n, shortened by at most 20 %), during which
 *   the server sees no attempt;
 * - 1,000 links waiting 30 s for their backoff after an outage receive `online`: their attempts
 *   spread over the 1 s rejoin window, no 100 ms slice above 20 % of them.
 */
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import type { Link } from '../../src/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { figure } from './figures.js';
import { CHAOS, TransportProbe } from './probes.js';

const HOLD_MS = 600;
const INTENSITY = {
  maxRestarts: 5,
  withinMs: 6_000,
  coolDownMs: 1_000,
  maxCoolDownMs: 10_000,
  jitterRatio: 0.2,
};

/** The most offsets (ms) in any 100 ms window, sliding in 10 ms steps. */
function busiest(offsets: number[]): number {
  let most = 0;
  const end = Math.max(...offsets);
  for (let from = 0; from <= end; from += 10) {
    most = Math.max(most, offsets.filter((o) => o >= from && o < from + 100).length);
  }
  return most;
}

describe('chaos: restart intensity and network signals', () => {
  const h = useHarness();

  it('a flapping server: the link escalates within the window, and the cool-down grows', async () => {
    const SCENARIO = 'flapping server (hold 600 ms, drop)';
    const connections: number[] = [];
    const server = await h.wsServer({
      onConnection: (ws) => {
        connections.push(performance.now());
        const timer = setTimeout(() => ws.terminate(), HOLD_MS);
        ws.on('close', () => clearTimeout(timer));
      },
    });
    const supervisor = h.supervisor({ ...CHAOS, heartbeat: false, intensity: INTENSITY, seed: 14 });
    const link: Link = supervisor.connect(server.url, { id: 'flappy' });
    const lost: number[] = [];
    const escalated: { at: number; escalation: number; delayMs: number }[] = [];
    link.on('lost', () => lost.push(performance.now()));
    link.on('escalated', ({ escalation, delayMs }) =>
      escalated.push({ at: performance.now(), escalation, delayMs }),
    );
    await waitFor(() => escalated.length >= 3, { timeoutMs: 50_000, message: 'three escalations' });

    for (const [i, e] of escalated.entries()) {
      const base = INTENSITY.coolDownMs * (i + 1);
      expect(e.escalation).toBe(i + 1);
      expect(e.delayMs).toBeLessThanOrEqual(base);
      expect(e.delayMs).toBeGreaterThanOrEqual(base * (1 - INTENSITY.jitterRatio));
      // More than maxRestarts losses within the window led to it.
      const window = lost.filter((at) => at <= e.at && at > e.at - INTENSITY.withinMs);
      expect(window.length).toBeGreaterThan(INTENSITY.maxRestarts);
      // No attempt reached the server during the cool-down.
      const next = connections.find((at) => at > e.at);
      if (next !== undefined) expect(next - e.at).toBeGreaterThanOrEqual(e.delayMs - 5);
      figure(SCENARIO, `cool-down ${i + 1}`, `${e.delayMs} ms`, `${base * 0.8}–${base} ms`);
    }
    figure(
      SCENARIO,
      'restarts before the first escalation',
      lost.filter((at) => at <= (escalated[0]?.at ?? 0)).length,
      '6',
    );
  });

  it('1,000 links on online after an outage spread their attempts over the rejoin window', async () => {
    const SCENARIO = 'online: 1,000 links';
    const LINKS = 1_000;
    const connections: number[] = [];
    const server = await h.wsServer({ onConnection: () => connections.push(performance.now()) });
    // Attempts are timed where the runtime starts them (the policy's spread), not where a busy
    // server's loop gets to accept them.
    const probe = new TransportProbe();
    const supervisor = h.supervisor({
      ...CHAOS,
      transport: probe.transport,
      heartbeat: false,
      backoff: { ...CHAOS.backoff, initialDelayMs: 30_000, maxDelayMs: 30_000, jitter: 'none' },
      // A thousand connects at once on two busy cores: no attempt may time out into the 30 s wait.
      connectTimeoutMs: 20_000,
      seed: 1_000,
    });
    const links = Array.from({ length: LINKS }, (_, i) => supervisor.connect(server.url, { id: String(i) }));
    await waitFor(() => links.every((l) => l.state === 'ready'), { timeoutMs: 40_000, message: 'all ready' });
    for (const client of server.wss.clients) client.terminate();
    await waitFor(() => links.every((l) => l.state === 'reconnecting'), {
      timeoutMs: 10_000,
      message: 'all waiting',
    });
    const seen = probe.attempts.length;
    const at = performance.now();
    supervisor.signal('online');
    // What each link's chart planned: its rejoin delay (the policy's spread, loop or no loop).
    const planned = links.map((l) => l.status().nextDelayMs as number);
    await waitFor(() => links.every((l) => l.state === 'ready'), { timeoutMs: 20_000, message: 'all back' });
    const offsets = probe.attempts.slice(seen).map((a) => a.at - at);
    expect(offsets.length).toBe(LINKS);
    expect(planned.every((d) => d >= 0 && d <= 1_000)).toBe(true);
    const end = Math.max(...offsets);
    const plannedBusiest = busiest(planned);
    const startedBusiest = busiest(offsets);
    figure(
      SCENARIO,
      'busiest 100 ms window, planned',
      `${((plannedBusiest / LINKS) * 100).toFixed(1)} %`,
      '≤ 20 %',
    );
    figure(
      SCENARIO,
      'busiest 100 ms window, started',
      `${((startedBusiest / LINKS) * 100).toFixed(1)} %`,
      '(loop-bound)',
    );
    figure(SCENARIO, 'last attempt after online', `${Math.round(end)} ms`, '≤ 1000 ms + loop');
    expect(connections.length - LINKS).toBeGreaterThanOrEqual(LINKS);
    expect(plannedBusiest).toBeLessThanOrEqual(0.2 * LINKS);
    // Started attempts also lag behind a loop that is busy starting a thousand sockets: bounded
    // loosely, so that a busy machine does not fail the scenario.
    expect(startedBusiest).toBeLessThanOrEqual(0.35 * LINKS);
    expect(end).toBeLessThan(10_000);
  }, 120_000);
});
