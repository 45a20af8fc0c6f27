/**
 * shrinkTrace: a 500-step session that breaks an application invariant ("never more than 3
 * reconnects") shrinks to a handful of inputs that still break it, and the result replays.
 */
import { describe, expect, it } from 'vitest';
import { replayTrace, shrinkTrace } from '../../src/testing/index.js';
import type { Trace } from '../../src/trace/trace-format.js';
import { FEED_URL, startMemorySession } from './memory-session.js';

const MAX_RECONNECTS = 3;

/** The application's invariant: false when the link reconnected more than MAX_RECONNECTS times. */
function fewReconnects(trace: Trace): boolean {
  const reconnects = trace.records.filter(
    (r) =>
      r.kind === 'event' && r.actor === 'link:feed' && r.to === 'reconnecting' && r.from !== 'reconnecting',
  );
  return reconnects.length <= MAX_RECONNECTS;
}

async function recordLongSession(bounces: number): Promise<Trace> {
  const { clock, server, supervisor, finish } = startMemorySession({ seed: 5 });
  supervisor.connect(FEED_URL, {
    id: 'feed',
    heartbeat: { intervalMs: 1_000, timeoutMs: 300 },
    backoff: { initialDelayMs: 100, maxDelayMs: 400 },
    // Bounced every 3.2 s on purpose: restart intensity would cool it down.
    intensity: false,
  });
  for (let i = 0; i < bounces; i++) {
    await clock.advance(3_200);
    server.dropAll(i % 2 === 0 ? 1012 : 1006);
  }
  await clock.advance(3_000);
  return finish();
}

describe('shrinkTrace', () => {
  it('reduces a 500-step failing trace to a handful of inputs that still fail', async () => {
    // ~10 records a bounce (the socket records only the reports it takes: link.unready, link.ready).
    const trace = await recordLongSession(52);
    expect(trace.records.length).toBeGreaterThanOrEqual(500);
    expect(fewReconnects(trace)).toBe(false);

    const shrunk = await shrinkTrace(trace, fewReconnects);
    const inputs = shrunk.records.filter((r) => r.kind === 'event' && r.source.kind !== 'actor');
    console.log(
      `shrank ${trace.records.length} records to ${shrunk.records.length} (${inputs.length} inputs)`,
    );
    expect(fewReconnects(shrunk)).toBe(false);
    expect(inputs.length).toBeLessThanOrEqual(15);
    expect(shrunk.records.length).toBeLessThan(trace.records.length / 10);
    // A shrunk trace is a real one: it replays identically.
    expect((await replayTrace(shrunk)).message).toMatch(/^replay identical/);
  }, 60_000);

  it('refuses a predicate that does not fail on the trace', async () => {
    const trace = await recordLongSession(2);
    await expect(shrinkTrace(trace, () => true)).rejects.toMatchObject({ code: 'LV_ERR_INVALID_TRACE' });
  });

  it('counts a throwing predicate as failing (assertion style)', async () => {
    const trace = await recordLongSession(6);
    const shrunk = await shrinkTrace(trace, (t) => {
      expect(fewReconnects(t)).toBe(true);
    });
    expect(fewReconnects(shrunk)).toBe(false);
  }, 60_000);
});
