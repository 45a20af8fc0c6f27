/**
 * Review of i42replay: startRefusals() (src/testing/replay-start-refusals.ts) copied the rest of
 * the trace (`records.slice(at + 1)`) for every `peer.add` to look at the few records after it: a
 * trace of links connecting one at a time (a recorded app with churn: n peer.add steps among m
 * records) cost n × m, quadratic, before the replay's first step. It now reads on from the
 * peer.add by index and stops where it stops. Counted by the records read (no timing).
 */
import { expect, it } from 'vitest';
import { startRefusals } from '../../src/testing/replay-start-refusals.js';
import type { TraceRecord } from '../../src/trace/trace-format.js';
import { recordInMemory } from './record-in-memory.js';

it('finds the refusals of a trace reading each record a bounded number of times', async () => {
  const links = 150;
  const trace = await recordInMemory(async ({ supervisor, network, clock }) => {
    network.listen('mem://a').refuse();
    for (let i = 0; i < links; i++) {
      supervisor.connect('mem://a', { id: `l${i}`, heartbeat: false });
      await clock.advance(5);
      // A real turn: with more than 32 links opening (reconnecting), a booking waits for one.
      await new Promise((resolve) => setImmediate(resolve));
    }
  });
  const records = trace.records;
  let reads = 0;
  const counted = new Proxy(records as TraceRecord[], {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
      return Reflect.get(target, key, receiver);
    },
  });
  const found = startRefusals(counted);
  // Each link refused inside its own start slice, found as before.
  expect(found.size).toBe(links);
  expect(records.length).toBeGreaterThan(links * 10);
  // Linear: every record once, plus the few after each peer.add (before: each peer.add read all
  // the records after it: 277,896 reads of 2,287 records).
  expect(reads).toBeLessThan(3 * records.length);
});
