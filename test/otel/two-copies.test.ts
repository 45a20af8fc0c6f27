/**
 * Two copies of linkvisor in one process (an application's and a library's, each bundling its
 * own), each instrumenting its supervisor on one meter: their observable metrics are summed, as
 * two supervisors of one copy are (shared-meter.test.ts), and one supervisor instrumented by both
 * copies is refused (its events would be counted twice). The second copy is a second module
 * instance of all of src (vi.resetModules(): @opentelemetry/api stays one, as with two copies in
 * node_modules). Real links on a real `ws` server (127.0.0.1, port 0) and the real SDK.
 *
 * Each copy kept its own registry of meters: two batch callbacks on one meter, and the SDK keeps
 * one value per attribute set of an observable at a collection (the last copy's replaced the other's).
 */
import { describe, expect, it, vi } from 'vitest';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { createMetricProbe } from './metric-probe.js';

const READY = { 'linkvisor.link.state': 'ready' };

/** A fresh module instance of linkvisor and of linkvisor/otel. */
async function copy() {
  vi.resetModules();
  const core = await import('../../src/index.js');
  const otel = await import('../../src/otel/index.js');
  return { core, otel };
}

describe('linkvisor/otel: two copies of linkvisor on one meter', () => {
  const h = useHarness();

  it('their links are summed; a supervisor instrumented by both copies is refused', async () => {
    const server = await h.wsServer();
    const probe = createMetricProbe();
    h.defer(() => probe.shutdown());
    const one = await copy();
    const two = await copy();
    expect(one.otel.instrumentSupervisor).not.toBe(two.otel.instrumentSupervisor);
    const a = one.core.createSupervisor(FAST);
    const b = two.core.createSupervisor(FAST);
    h.defer(() => a.close());
    h.defer(() => b.close());
    const ia = one.otel.instrumentSupervisor(a, { meterProvider: probe.provider });
    const ib = two.otel.instrumentSupervisor(b, { meterProvider: probe.provider });
    h.defer(() => ia.stop());
    h.defer(() => ib.stop());
    await a.connect(server.url).ready();
    await b.connect(server.url).ready();
    await b.connect(server.url).ready();

    const collected = await probe.collect();
    expect(collected.value('linkvisor.link.count', READY)).toBe(3);
    expect(collected.points('linkvisor.supervisor.up')).toHaveLength(1);
    expect(collected.value('linkvisor.supervisor.up')).toBe(1);

    expect(() => two.otel.instrumentSupervisor(a, { meterProvider: probe.provider })).toThrow(
      expect.objectContaining({ code: 'LV_ERR_DUPLICATE_ID', option: 'meter' }),
    );

    // a's copy stopped: b's two links alone.
    ia.stop();
    await a.close();
    await waitFor(async () => (await probe.collect()).value('linkvisor.link.count', READY) === 2, {
      message: "b's links alone",
    });
  });
});
