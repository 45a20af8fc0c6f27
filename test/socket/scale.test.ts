/**
 * Scale: 10,000 links under one supervisor on the memory transport. XState 5.33 is quadratic in
 * the number of children of one parent (DESIGN.md §8: stopping 10,000 children took ~40 s), so the
 * supervisor runs each link as a root actor of its own system. This test proves the linear path:
 * the bound is generous (it is not a speed test) but far below what the quadratic path takes just
 * to close. It also proves that opening them never holds the event loop: connect() only books the
 * link and the supervisor starts the actors in short slices, so the longest stall while 10,000 open
 * stays far below STALL_BOUND_MS (one synchronous start loop held it for 3–7 s). The times are
 * printed for the record; bench/ is where speed is measured.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { describe, expect, it, vi } from 'vitest';
import { createSupervisor, type Link } from '../../src/index.js';
import { createMemoryNetwork } from '../../src/testing/index.js';
import { waitFor } from '../helpers/wait.js';

const LINKS = 10_000;
/** Connect + ready + close, all together: generous, and still below the quadratic close alone. */
const BOUND_MS = 30_000;
/** Longest the event loop may be blocked while the links open, the test's own loop of 10,000
 * connect() calls included: generous (a busy machine, XState's development build: up to ~1.2 s
 * seen with a load average of 8 on two cores), and still half of what one synchronous start loop
 * took on a quiet machine (3.7 s). */
const STALL_BOUND_MS = 2_000;

/** The longest the event loop was blocked between start and stop, in ms. */
function watchStalls(): { stop(): number } {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 5);
  return {
    stop() {
      clearInterval(timer);
      histogram.disable();
      return Math.max(longest, performance.now() - last, histogram.max / 1e6);
    },
  };
}

describe('scale', () => {
  it(`${LINKS} links on the memory transport: all ready, then close() ends them all`, {
    timeout: 60_000,
  }, async () => {
    // XState's development build warns once per link started from the socket chart's actions
    // (see dev-warnings.test.ts); muted here so that the record below stays readable.
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const network = createMemoryNetwork();
      const servers = Array.from({ length: 10 }, (_, i) => network.listen(`mem://svc-${i}`));
      const supervisor = createSupervisor({ transport: network.transport, heartbeat: false, seed: 1 });
      let ups = 0;
      supervisor.on('up', () => ups++);
      const openPeers = () => servers.reduce((n, s) => n + s.peers.length, 0);

      const stalls = watchStalls();
      const started = performance.now();
      const links: Link[] = [];
      for (let i = 0; i < LINKS; i++) links.push(supervisor.connect(`mem://svc-${i % 10}`, { id: `l${i}` }));
      await waitFor(() => links.every((link) => link.state === 'ready'), {
        timeoutMs: BOUND_MS,
        intervalMs: 50,
        message: `all ${LINKS} links ready`,
      });
      const readyMs = performance.now() - started;
      const stallMs = stalls.stop();

      expect(supervisor.up).toBe(true);
      expect(ups).toBe(1);
      expect(supervisor.list()).toHaveLength(LINKS);
      expect(openPeers()).toBe(LINKS);

      const closeStarted = performance.now();
      await supervisor.close();
      const closeMs = performance.now() - closeStarted;
      const totalMs = performance.now() - started;
      console.log(
        `scale: ${LINKS} links ready in ${readyMs.toFixed(0)} ms (longest stall ${stallMs.toFixed(0)} ms), ` +
          `closed in ${closeMs.toFixed(0)} ms, ` +
          `total ${totalMs.toFixed(0)} ms (bound ${BOUND_MS} ms); ` +
          `XState dev warnings muted: ${warn.mock.calls.length}`,
      );

      expect(supervisor.list().length).toBe(0);
      expect(links.every((link) => link.state === 'closed')).toBe(true);
      expect(openPeers()).toBe(0);
      expect(supervisor.up).toBe(false);
      expect(totalMs).toBeLessThan(BOUND_MS);
      expect(stallMs, 'longest event-loop stall while the links opened (ms)').toBeLessThan(STALL_BOUND_MS);
    } finally {
      warn.mockRestore();
    }
  });
});
