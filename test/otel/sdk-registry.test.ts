/**
 * Nothing left with the SDK: after every instrumentation of a meter has stopped (or its supervisor
 * closed) and its zeros were collected, the meter's observable registry holds no callback of
 * linkvisor's, read from the SDK itself (its MeterSharedState's ObservableRegistry, not a wrapper
 * of the meter). Stopped and instrumented again at once, a supervisor is counted once. Real links
 * on a real `ws` server (127.0.0.1, port 0) and the real SDK.
 */
import type { Meter } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { instrumentSupervisor, METER_NAME } from '../../src/otel/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { createMetricProbe, type MetricProbe } from './metric-probe.js';

const READY = { 'linkvisor.link.state': 'ready' };

/** How many batch callbacks the SDK holds for the meter `linkvisor` of `probe`. */
function batchCallbacks(probe: MetricProbe): number {
  const meter = probe.provider.getMeter(METER_NAME) as Meter & {
    _meterSharedState?: { observableRegistry?: { _batchCallbacks?: unknown[] } };
  };
  const callbacks = meter._meterSharedState?.observableRegistry?._batchCallbacks;
  if (!Array.isArray(callbacks)) throw new Error('the SDK keeps its batch callbacks elsewhere now');
  return callbacks.length;
}

/** A turn for the callback's removal after a collection (a microtask). */
const turn = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('linkvisor/otel: what the SDK holds after stop()', () => {
  const h = useHarness();

  it('one callback for two supervisors; none once both stopped and collected, whichever way they ended', async () => {
    const server = await h.wsServer();
    const probe = createMetricProbe(2);
    h.defer(() => probe.shutdown());
    const a = h.supervisor(FAST);
    const b = h.supervisor(FAST);
    const ia = instrumentSupervisor(a, { meterProvider: probe.provider });
    instrumentSupervisor(b, { meterProvider: probe.provider, linkIdAttribute: true });
    expect(batchCallbacks(probe)).toBe(1);
    await a.connect(server.url).ready();
    await b.connect(server.url).ready();
    expect((await probe.collect(0)).value('linkvisor.link.count', READY)).toBe(2);
    ia.stop();
    await b.close(); // its close stops its recording
    expect(batchCallbacks(probe)).toBe(1); // their zeros are still to be collected
    expect((await probe.collect(0)).value('linkvisor.link.count', READY)).toBe(0);
    await turn();
    expect(batchCallbacks(probe)).toBe(0);
    // The other reader, collecting later, sees the zeros too.
    const later = await probe.collect(1);
    expect(later.value('linkvisor.link.count', READY)).toBe(0);
    expect(later.value('linkvisor.supervisor.up')).toBe(0);
  });

  it('stopped before any collection: none at once', () => {
    const probe = createMetricProbe();
    h.defer(() => probe.shutdown());
    const handle = instrumentSupervisor(h.supervisor(FAST), { meterProvider: probe.provider });
    expect(batchCallbacks(probe)).toBe(1);
    handle.stop();
    expect(batchCallbacks(probe)).toBe(0);
  });

  it('stopped and instrumented again before a collection: counted once, one callback; none after the last stop', async () => {
    const server = await h.wsServer();
    const probe = createMetricProbe();
    h.defer(() => probe.shutdown());
    const supervisor = h.supervisor(FAST);
    let handle = instrumentSupervisor(supervisor, { meterProvider: probe.provider });
    await supervisor.connect(server.url).ready();
    expect((await probe.collect()).value('linkvisor.link.count', READY)).toBe(1);
    for (const linkIdAttribute of [false, true, false]) {
      handle.stop();
      handle = instrumentSupervisor(supervisor, { meterProvider: probe.provider, linkIdAttribute });
      const collected = await probe.collect();
      expect(collected.value('linkvisor.link.count', READY), String(linkIdAttribute)).toBe(1);
      expect(collected.value('linkvisor.supervisor.up')).toBe(1);
      await turn();
      expect(batchCallbacks(probe)).toBe(1);
    }
    handle.stop();
    expect((await probe.collect()).value('linkvisor.link.count', READY)).toBe(0);
    await turn();
    expect(batchCallbacks(probe)).toBe(0);
  });

  it('a supervisor whose status() throws keeps its part until stop(); none after', async () => {
    const probe = createMetricProbe();
    h.defer(() => probe.shutdown());
    const supervisor = h.supervisor(FAST);
    supervisor.on('error', () => {});
    const handle = instrumentSupervisor(supervisor, { meterProvider: probe.provider });
    await probe.collect();
    supervisor.status = () => {
      throw new Error('unreadable');
    };
    await probe.collect();
    await turn();
    expect(batchCallbacks(probe)).toBe(1);
    handle.stop();
    await probe.collect();
    await turn();
    expect(batchCallbacks(probe)).toBe(0);
  });
});
