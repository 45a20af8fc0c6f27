/**
 * One instrumentation per test, on a fresh SDK probe: `instrument()` stops the previous one, and
 * after each test the instrumentation is stopped and every probe shut down.
 */
import type { MeterProvider } from '@opentelemetry/sdk-metrics';
import { afterEach } from 'vitest';
import type { Supervisor } from '../../src/index.js';
import {
  type InstrumentOptions,
  instrumentSupervisor,
  type SupervisorInstrumentation,
} from '../../src/otel/index.js';
import { createMetricProbe, type MetricProbe } from './metric-probe.js';

export interface InstrumentationFixture {
  /** The probe of the current instrumentation. */
  readonly probe: MetricProbe;
  /** Instruments `supervisor` on a fresh probe (its meterProvider unless the options give a meter). */
  instrument(
    supervisor: Supervisor,
    options?: InstrumentOptions | ((provider: MeterProvider) => InstrumentOptions),
  ): SupervisorInstrumentation;
}

export function useInstrumentation(): InstrumentationFixture {
  let current: { probe: MetricProbe; handle: SupervisorInstrumentation } | undefined;
  const probes: MetricProbe[] = [];
  afterEach(async () => {
    current?.handle.stop();
    current = undefined;
    await Promise.all(probes.splice(0).map((probe) => probe.shutdown()));
  });
  return {
    get probe() {
      if (!current) throw new Error('instrument() first');
      return current.probe;
    },
    instrument(supervisor, options = {}) {
      current?.handle.stop();
      const probe = createMetricProbe();
      probes.push(probe);
      const given = typeof options === 'function' ? options(probe.provider) : options;
      const handle = instrumentSupervisor(
        supervisor,
        given.meter ? given : { meterProvider: probe.provider, ...given },
      );
      current = { probe, handle };
      return handle;
    },
  };
}
