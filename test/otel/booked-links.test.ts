/**
 * Instrumenting a supervisor does not start its links out of turn: links booked by a loop of
 * connect() start in the start queue's slices, as they do without metrics (before, observing each
 * new link read its actor, which starts a booked link at once: 5,000 connect() calls held the
 * event loop ~2 s instead of ~50 ms). Round trips of the links that start later are still recorded.
 */
import { describe, expect, it } from 'vitest';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { useInstrumentation } from './use-instrumentation.js';

describe('linkvisor/otel: links booked by connect()', () => {
  const h = useHarness();
  const m = useInstrumentation();

  it('start in their turn, not inside connect(); their heartbeat round trips are recorded', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor({ ...FAST, heartbeat: { intervalMs: 50, timeoutMs: 1_000 } });
    m.instrument(supervisor);
    // More than start at once after a connect() loop: the rest wait for later turns.
    const links = Array.from({ length: 100 }, (_, i) => supervisor.connect(server.url, { id: `l${i}` }));
    expect(links.filter((link) => link.attached)).toHaveLength(0);

    await Promise.all(links.map((link) => link.ready()));
    await waitFor(async () => (await m.probe.collect()).histogram('linkvisor.link.heartbeat.rtt').count > 0, {
      message: 'round trips recorded',
    });
    const collected = await m.probe.collect();
    expect(collected.histogram('linkvisor.link.time_to_ready').count).toBe(links.length);
  });
});
