/**
 * shrinkTrace over a trace whose links were refused inside their start slice (Pattern B, see
 * replay-refused-pair.test.ts). The replay refuses them in the slice and their recorded
 * transport.closed has already happened when it is reached: it must still count as an input the
 * replay applied, and a candidate that keeps it must refuse the link in the slice again, or the
 * candidates (the inputs replayed afresh) hold the links' first attempts and never reconnect.
 */
import { expect, it } from 'vitest';
import { replayTrace, shrinkTrace } from '../../src/testing/index.js';
import { describeRecord } from '../../src/testing/replay-trace.js';
import type { Trace } from '../../src/trace/trace-format.js';
import { recordInMemory } from './record-in-memory.js';

/** Reconnect timers that fired in a trace (each one a refused link's next attempt). */
const reconnects = (trace: Trace) =>
  trace.records.filter(
    (r) => r.kind === 'event' && r.source.kind === 'timer' && r.event.type.includes('reconnectDelay'),
  ).length;

it('a refused pair shrinks to the inputs that still break "at most 1 reconnect"', async () => {
  const trace = await recordInMemory(({ supervisor, network }) => {
    network.listen('mem://a').refuse({ error: 'ECONNREFUSED' });
    supervisor.connect('mem://a', { id: 'l0' });
    supervisor.connect('mem://a', { id: 'l1' });
  });
  expect(reconnects(trace)).toBeGreaterThan(2);
  const minimal = await shrinkTrace(trace, (t) => reconnects(t) <= 1);
  expect(reconnects(minimal)).toBe(2);
  // The slice's refusals are kept: the minimal trace starts as recorded and replays identical.
  const closes = minimal.records.filter((r) => r.kind === 'event' && r.event.type === 'transport.closed');
  expect(closes.length).toBeGreaterThanOrEqual(2);
  // As recorded: l0 refused inside the slice, before l1 appears, at the start.
  const order = minimal.records.map((r) => `${r.actor} ${describeRecord(r)} @${r.atMs}`);
  const l0Refused = order.indexOf('link:l0 transport.closed: attempt.ready.settling → reconnecting @0');
  expect(l0Refused).toBeGreaterThan(0);
  expect(l0Refused).toBeLessThan(order.indexOf('link:l1 link:l1 appears in attempt.ready.settling @0'));
  expect((await replayTrace(minimal)).message).toMatch(/^replay identical/);
});
