/**
 * Half-open links: the path to the server goes silent without a FIN or an RST (a blackhole, both
 * ways or one way). No socket error will ever come; only the heartbeat can tell. Every link must
 * detect it within heartbeat interval + timeout + 100 ms, and be ready again within a bound once
 * the path heals.
 *
 * While the path is down, new attempts are accepted by the proxy and then hang (their bytes are
 * held), so they end by the connect timeout; on heal the held bytes are delivered, as TCP would
 * retransmit them.
 *
 * Both bounds are checked on the time each link took less the time the event loop stalled inside
 * it (`watchLoop()`): the heartbeat's and the backoff's timers cannot fire during a stall, so a
 * stall of the machine would otherwise count against the library.
 */
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import type { Link } from '../../src/index.js';
import { useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { figure } from './figures.js';
import { CHAOS, linkUrl, max, quantile, TransportProbe, watchLoop } from './probes.js';
import { ChaosProxy } from './proxy.js';
import type { Ways } from './proxy-pipe.js';

const SCENARIO = 'half-open, 50 links';
const LINKS = 50;
/** A hang guard on the start (50 links ready, a pong seen), not a bound of the scenario: 5–10 s
 * failed at load 18–20 (round 23). */
const START_MS = 60_000;
const DETECT_BOUND_MS = CHAOS.heartbeat.intervalMs + CHAOS.heartbeat.timeoutMs + 100;
/** After the heal: the pending retry delay (≤ the cap) + one attempt (≤ connectTimeoutMs), plus
 * 250 ms for 50 links' events on one loop. */
const HEAL_BOUND_MS = CHAOS.backoff.maxDelayMs + CHAOS.connectTimeoutMs + 250;
/** How long the path stays down after the last link noticed (attempts time out meanwhile). */
const DOWN_AFTER_DETECTION_MS = 1_500;

interface Case {
  ways: Ways;
  /** The server pushes a message to every link every `tickMs`, over a path of `latencyMs` each
   * way: inbound traffic answers every ping before its pong can (activity is proof of life). */
  busy?: { latencyMs: number; tickMs: number };
}

const CASES: [string, Case][] = [
  ['both ways', { ways: 'both' }],
  ['client → server', { ways: 'up' }],
  ['server → client', { ways: 'down' }],
  [
    'both ways, busy (50 ms each way, a message / 20 ms)',
    { ways: 'both', busy: { latencyMs: 50, tickMs: 20 } },
  ],
];
/** How long a busy link runs before the blackhole: several heartbeat periods. */
const BUSY_RUN_MS = 2_000;

describe(`chaos: ${SCENARIO}`, () => {
  const h = useHarness();

  async function once({ ways, busy }: Case) {
    const server = await h.wsServer();
    const proxy = await ChaosProxy.start({ targetPort: server.port });
    h.defer(() => proxy.stop());
    let ticker: ReturnType<typeof setInterval> | undefined;
    if (busy) {
      proxy.latency(busy.latencyMs);
      ticker = setInterval(() => {
        for (const ws of server.clients) ws.send('tick');
      }, busy.tickMs);
      h.defer(() => clearInterval(ticker));
    }
    const probe = new TransportProbe();
    const supervisor = h.supervisor({ ...CHAOS, transport: probe.transport, seed: 5 });
    const links: Link[] = Array.from({ length: LINKS }, (_, i) =>
      supervisor.connect(linkUrl(proxy.url(), i), { id: String(i) }),
    );
    const lostAt = new Map<Link, { at: number; kind: string }>();
    const readyAt = new Map<Link, number>();
    for (const link of links) {
      link.on('lost', ({ reason }) => {
        if (!lostAt.has(link)) lostAt.set(link, { at: performance.now(), kind: reason.kind });
      });
      link.on('ready', () => readyAt.set(link, performance.now()));
    }
    if (busy) {
      // An application does not wait for a measured round trip: ready, then traffic for a while.
      await waitFor(() => links.every((link) => link.state === 'ready'), {
        message: 'every link ready',
        timeoutMs: START_MS,
      });
      await sleep(BUSY_RUN_MS);
    } else {
      // Only a peer that has answered a ping can be declared lost (README: heartbeat tolerance).
      await waitFor(() => links.every((link) => link.state === 'ready' && link.status().rttMs !== null), {
        message: 'every link ready with a pong seen',
        timeoutMs: START_MS,
      });
    }
    const rttBefore = links.filter((link) => link.status().rttMs !== null).length;

    const loop = watchLoop();
    h.defer(() => loop.stop());
    const downAt = performance.now();
    proxy.blackhole(ways);
    await waitFor(() => lostAt.size === LINKS, {
      message: 'every link lost',
      timeoutMs: DETECT_BOUND_MS + 5_000,
    });
    const detectMs = links.map((link) => {
      const at = lostAt.get(link)?.at ?? Number.POSITIVE_INFINITY;
      return at - downAt - loop.stalledWithin(downAt, at);
    });
    const detectStalledMs = loop.stalledWithin(downAt, performance.now());
    const kinds = new Set([...lostAt.values()].map((l) => l.kind));
    await sleep(DOWN_AFTER_DETECTION_MS);
    const readyWhileDown = links.filter((link) => (readyAt.get(link) ?? 0) > downAt).length;

    const healAt = performance.now();
    proxy.heal();
    await waitFor(() => links.every((link) => link.state === 'ready' && (readyAt.get(link) ?? 0) > healAt), {
      message: 'every link ready after the heal',
      timeoutMs: HEAL_BOUND_MS + 5_000,
    });
    const backMs = links.map((link) => {
      const at = readyAt.get(link) ?? Number.POSITIVE_INFINITY;
      return at - healAt - loop.stalledWithin(healAt, at);
    });
    const healStalledMs = loop.stalledWithin(healAt, performance.now());
    const longestStallMs = loop.stop();
    clearInterval(ticker);
    await supervisor.close();
    await proxy.stop();
    const stalls = { detect: detectStalledMs, heal: healStalledMs, longest: longestStallMs };
    return { detectMs, kinds, readyWhileDown, backMs, stalls, probe, rttBefore };
  }

  it.each(CASES)(
    'blackhole %s: detected within interval + timeout + 100 ms, back after the heal within the bound',
    async (name, c) => {
      const run = await once(c);
      const { detectMs, kinds, readyWhileDown, backMs, stalls, probe, rttBefore } = run;
      const label = `${SCENARIO}, ${name}`;
      figure(
        label,
        'detected after, stalls taken out, ms (median / max)',
        `${quantile(detectMs, 0.5).toFixed(0)} / ${max(detectMs).toFixed(0)}`,
        `≤ ${DETECT_BOUND_MS}`,
      );
      figure(
        label,
        'event-loop stall while detecting / after the heal; longest (ms)',
        `${stalls.detect.toFixed(0)} / ${stalls.heal.toFixed(0)}; ${stalls.longest.toFixed(0)}`,
      );
      if (c.busy)
        figure(label, 'links with a measured round trip before the blackhole', `${rttBefore} of ${LINKS}`);
      figure(label, 'reason of every loss', [...kinds].join(', '), '= heartbeat');
      figure(
        label,
        'ready again after heal, stalls taken out, ms (median / max)',
        `${quantile(backMs, 0.5).toFixed(0)} / ${max(backMs).toFixed(0)}`,
        `≤ ${HEAL_BOUND_MS}`,
      );
      figure(label, 'most live sockets of one link', probe.maxLivePerLink, '≤ 1');

      expect([...kinds]).toEqual(['heartbeat']);
      expect(max(detectMs)).toBeLessThanOrEqual(DETECT_BOUND_MS);
      expect(readyWhileDown).toBe(0);
      expect(max(backMs)).toBeLessThanOrEqual(HEAL_BOUND_MS);
      expect(probe.violations).toEqual([]);
    },
  );
});
