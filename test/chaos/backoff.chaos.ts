/**
 * Backoff conformance, the gRPC connection-backoff way: against a proxy that refuses every attempt
 * (it reads the upgrade request, then resets the connection), the gap between consecutive
 * attempts of a link, seen at the proxy, must lie within the policy's bounds for that retry:
 * expected × (1 ± jitter) for gRPC's proportional jitter (1.6×, ±20 %), and the interval of each
 * other strategy, plus a small slack for the failure to travel back and the timer to fire.
 * The delay each link announced (`reconnecting`) must lie within the same bounds, and match the
 * gap it produced. The time the event loop stalled inside a gap (the machine, not the policy:
 * `watchLoop()`) is taken out of it before the upper bound is checked.
 */
import { describe, expect, it } from 'vitest';
import { type BackoffOptions, delayBounds, type JitterStrategy } from '../../machines/policy/backoff.js';
import type { Link } from '../../src/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { figure } from './figures.js';
import { CHAOS, linkUrl, watchLoop } from './probes.js';
import { ChaosProxy } from './proxy.js';

const SCENARIO = 'backoff conformance';
const LINKS_PER_STRATEGY = 5;
const GAPS = 7;
/** Above the bound, once the event-loop stalls inside the gap are taken out of it: the RST's way
 * back to the client, the next connect's way to the proxy, timer lateness below the stall
 * watcher's threshold. */
const SLACK_MS = 50;
/** Below the bound: the delay is rounded to whole ms (0.5) and libuv's timers may fire within the
 * same millisecond they were due. */
const EARLY_MS = 2;

const BASE: BackoffOptions = {
  ...CHAOS.backoff,
  jitterRatio: 0.2,
  maxAttempts: Number.MAX_SAFE_INTEGER,
};

const STRATEGIES: [string, BackoffOptions][] = [
  ['gRPC: proportional ±20 %, ×1.6', { ...BASE, jitter: 'proportional', multiplier: 1.6 }],
  ['none', { ...BASE, jitter: 'none' }],
  ['full (default)', { ...BASE, jitter: 'full' }],
  ['equal', { ...BASE, jitter: 'equal' }],
  ['decorrelated', { ...BASE, jitter: 'decorrelated' as JitterStrategy }],
];

interface Check {
  gaps: number;
  outside: string[];
  /** Largest (gap − its bound's max) and smallest (gap − its bound's min), ms. */
  worstOver: number;
  worstUnder: number;
  /** Largest |gap − announced delay|, ms (stalls taken out). */
  worstDrift: number;
  /** Event-loop stall time taken out of the gaps, total and largest in one gap, ms. */
  stalledMs: number;
  worstStalledMs: number;
}

describe(`chaos: ${SCENARIO}`, () => {
  const h = useHarness();

  async function once() {
    const server = await h.wsServer();
    const proxy = await ChaosProxy.start({ targetPort: server.port });
    h.defer(() => proxy.stop());
    proxy.resetOn('request');
    const supervisor = h.supervisor({ ...CHAOS, heartbeat: false, seed: 31 });
    const loop = watchLoop();
    const runs = STRATEGIES.flatMap(([name, backoff], s) =>
      Array.from({ length: LINKS_PER_STRATEGY }, (_, i) => {
        const key = `${s}-${i}`;
        const link: Link = supervisor.connect(linkUrl(proxy.url(), key), { id: key, backoff });
        const delays: number[] = [];
        link.on('reconnecting', ({ delayMs }) => delays.push(delayMs));
        return { name, backoff, key, link, delays };
      }),
    );
    const times = (key: string) => proxy.requests.filter((r) => r.link === key).map((r) => r.at);
    await waitFor(() => runs.every((r) => times(r.key).length >= GAPS + 1), {
      message: `${GAPS + 1} attempts per link`,
      timeoutMs: 30_000,
      intervalMs: 20,
    });
    const longestStallMs = loop.stop();
    const checks = new Map<string, Check>();
    for (const run of runs) {
      const check = checks.get(run.name) ?? {
        gaps: 0,
        outside: [],
        worstOver: -Infinity,
        worstUnder: Infinity,
        worstDrift: 0,
        stalledMs: 0,
        worstStalledMs: 0,
      };
      checks.set(run.name, check);
      const at = times(run.key);
      for (let k = 1; k <= GAPS; k++) {
        const from = at[k - 1] as number;
        const to = at[k] as number;
        const gap = to - from;
        // The retry timer starts after the proxy saw the attempt before it, so a stall only ever
        // makes a gap longer: taken out for the upper bound, never for the lower one.
        const stalled = loop.stalledWithin(from, to);
        const steadyGap = gap - stalled;
        check.stalledMs += stalled;
        check.worstStalledMs = Math.max(check.worstStalledMs, stalled);
        const previous = k >= 2 ? (run.delays[k - 2] ?? 0) : 0;
        const { minMs, maxMs } = delayBounds(k, run.backoff, previous);
        const delay = run.delays[k - 1] ?? Number.NaN;
        check.gaps++;
        check.worstOver = Math.max(check.worstOver, steadyGap - maxMs);
        check.worstUnder = Math.min(check.worstUnder, gap - minMs);
        check.worstDrift = Math.max(check.worstDrift, Math.abs(steadyGap - delay));
        if (gap < minMs - EARLY_MS || steadyGap > maxMs + SLACK_MS) {
          check.outside.push(
            `${run.key} retry ${k}: gap ${gap.toFixed(1)} ms (${stalled.toFixed(1)} ms of it stalled) not in [${minMs}, ${maxMs}]`,
          );
        }
        if (!(delay >= Math.floor(minMs) && delay <= Math.ceil(maxMs))) {
          check.outside.push(`${run.key} retry ${k}: announced ${delay} ms not in [${minMs}, ${maxMs}]`);
        }
      }
    }
    await supervisor.close();
    await proxy.stop();
    return { checks, longestStallMs, stallCount: loop.stalls.length };
  }

  it(`every gap between attempts lies within the policy's bounds (+${SLACK_MS} ms slack, stalls taken out), for each jitter strategy`, async () => {
    const result = await once();
    for (const [name, check] of result.checks) {
      figure(
        `${SCENARIO}, ${name}`,
        `gaps checked; outside the bounds`,
        `${check.gaps}; ${check.outside.length}`,
        '= 0 outside',
      );
      figure(
        `${SCENARIO}, ${name}`,
        'gap − upper bound, worst / gap − lower bound, worst (ms)',
        `${check.worstOver.toFixed(1)} / ${check.worstUnder.toFixed(1)}`,
        `≤ ${SLACK_MS} / ≥ −${EARLY_MS}`,
      );
      figure(
        `${SCENARIO}, ${name}`,
        'gap vs announced delay, largest difference (ms)',
        check.worstDrift.toFixed(1),
      );
      figure(
        `${SCENARIO}, ${name}`,
        'event-loop stall taken out of the gaps, total / largest in one gap (ms)',
        `${check.stalledMs.toFixed(0)} / ${check.worstStalledMs.toFixed(0)}`,
      );
    }
    figure(
      SCENARIO,
      'event-loop stalls seen; longest (ms)',
      `${result.stallCount}; ${result.longestStallMs.toFixed(0)}`,
    );
    for (const check of result.checks.values()) expect(check.outside).toEqual([]);
  });
});
