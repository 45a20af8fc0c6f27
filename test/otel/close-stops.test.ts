/**
 * A supervisor's close ends its recording: instrumentSupervisor() stops by itself when the
 * supervisor has closed (its `closed` event), so a supervisor closed without `metrics.stop()` leaves
 * no observable callback registered with the meter (the SDK would call it, and keep the closed
 * supervisor reachable, for the life of the process). Its last collection reads 0 for every series
 * it observed (the SDK would repeat `up` 1 for ever); the callback goes after it, and keeps no
 * reference to the supervisor meanwhile.
 */
import type { BatchObservableCallback, Meter, Observable } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { instrumentSupervisor } from '../../src/otel/index.js';
import { useHarness } from '../helpers/harness.js';
import { createMetricProbe } from './metric-probe.js';

/** The SDK's own meter, with its batch callbacks counted: how often the SDK asked, and which are
 * still registered. */
function countingMeter(meter: Meter) {
  const registered = new Set<BatchObservableCallback>();
  const wrapped = new Map<BatchObservableCallback, BatchObservableCallback>();
  let calls = 0;
  const counting = Object.create(meter) as Meter;
  counting.addBatchObservableCallback = (callback: BatchObservableCallback, observables: Observable[]) => {
    const counted: BatchObservableCallback = (result) => {
      calls++;
      return callback(result);
    };
    wrapped.set(callback, counted);
    registered.add(callback);
    meter.addBatchObservableCallback(counted, observables);
  };
  counting.removeBatchObservableCallback = (callback: BatchObservableCallback, observables: Observable[]) => {
    registered.delete(callback);
    const counted = wrapped.get(callback);
    if (counted) meter.removeBatchObservableCallback(counted, observables);
  };
  return { meter: counting, registered, calls: () => calls };
}

describe('linkvisor/otel: a closed supervisor stops its recording', () => {
  const h = useHarness();

  for (const end of ['close', 'terminate'] as const) {
    it(`${end}(): the batch callback is removed and never called again`, async () => {
      const server = await h.wsServer();
      const probe = createMetricProbe();
      h.defer(() => probe.shutdown());
      const counted = countingMeter(probe.provider.getMeter('linkvisor'));
      const supervisor = h.supervisor();
      const handle = instrumentSupervisor(supervisor, { meter: counted.meter });
      const link = supervisor.connect(server.url, { id: 'a' });
      await link.ready();
      const before = await probe.collect();
      expect(before.value('linkvisor.supervisor.up')).toBe(1);
      expect(counted.calls()).toBe(1);
      expect(counted.registered.size).toBe(1);

      await supervisor[end]();
      // Its last collection: every series it observed reads 0 (the SDK would repeat up 1 for ever).
      const last = await probe.collect();
      expect(counted.calls()).toBe(2);
      expect(last.value('linkvisor.supervisor.up')).toBe(0);
      expect(last.value('linkvisor.link.count')).toBe(0);
      expect(last.points('linkvisor.link.count').length).toBeGreaterThan(0);
      await Promise.resolve();
      expect(counted.registered.size).toBe(0);
      await probe.collect();
      expect(counted.calls()).toBe(2);
      handle.stop(); // still idempotent after the automatic stop
      expect(counted.registered.size).toBe(0);
    });
  }
});
