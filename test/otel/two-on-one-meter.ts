/**
 * Two supervisors instrumented on one meter provider (test/otel/shared-meter*.test.ts): the probe,
 * both supervisors and their instrumentations, each stopped or shut down at the test's end.
 * `hearB` collects b's `error` events (a test that checks what b reports); without it b has none.
 */
import type { LinkvisorError } from '../../src/index.js';
import { instrumentSupervisor } from '../../src/otel/index.js';
import { FAST, type Harness } from '../helpers/harness.js';
import { createMetricProbe } from './metric-probe.js';

export function twoOnOneMeter(h: Harness, { hearB = false } = {}) {
  const probe = createMetricProbe();
  h.defer(() => probe.shutdown());
  const a = h.supervisor(FAST);
  const b = h.supervisor(FAST);
  const errors: LinkvisorError[] = [];
  if (hearB) b.on('error', (error) => errors.push(error));
  const ia = instrumentSupervisor(a, { meterProvider: probe.provider });
  const ib = instrumentSupervisor(b, { meterProvider: probe.provider });
  h.defer(() => ia.stop());
  h.defer(() => ib.stop());
  return { probe, a, b, ia, ib, errors };
}
