/**
 * `shrinkTrace` on a session whose per-attempt function failed (round 43): the failed resolve (its
 * transport.closed with LV_ERR_RESOLVE) is an input like any other; a candidate that keeps it
 * fails that attempt again, so an invariant about it shrinks to the inputs that make it.
 */
import { expect, it } from 'vitest';
import { replayTrace, shrinkTrace } from '../../src/testing/index.js';
import type { Trace } from '../../src/trace/index.js';
import { recordInMemory } from './record-in-memory.js';

const resolveFailures = (trace: Trace) =>
  trace.records.filter(
    (r) =>
      r.kind === 'event' &&
      r.event.type === 'transport.closed' &&
      (r.event.reason as { errorCode?: string }).errorCode === 'LV_ERR_RESOLVE',
  );

it('keeps the failing resolve as an input and drops the bounces around it', async () => {
  const trace = await recordInMemory(async ({ supervisor, network, clock }) => {
    const server = network.listen('mem://a');
    let n = 0;
    supervisor.connect(
      () => {
        if (++n === 4) throw new Error('token endpoint down');
        return 'mem://a';
      },
      { id: 'l0', backoff: { initialDelayMs: 100, maxDelayMs: 100, jitter: 'none' } },
    );
    for (let i = 0; i < 4; i++) {
      await clock.advance(1000);
      server.dropAll();
    }
  });
  expect(resolveFailures(trace)).toHaveLength(1);
  // The invariant: no attempt ever fails to resolve.
  const minimal = await shrinkTrace(trace, (t) => resolveFailures(t).length === 0);
  expect(resolveFailures(minimal)).toHaveLength(1);
  const inputs = (t: Trace) => t.records.filter((r) => r.kind === 'event' && r.source.kind !== 'actor');
  expect(inputs(minimal).length).toBeLessThan(inputs(trace).length);
  expect((await replayTrace(minimal)).message).toMatch(/^replay identical/);
});
