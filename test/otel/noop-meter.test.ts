/**
 * Instrumented before an SDK is registered: the global provider's meter is @opentelemetry/api's
 * one no-op meter, which lives as long as the process and never calls a callback. A supervisor
 * instrumented on it and dropped without close() (an application without OpenTelemetry set up,
 * short-lived supervisors) used to stay reachable for ever: the shared callback's entry of that
 * meter held it. Checked with a WeakRef after a full GC. Instrumenting one supervisor twice is
 * still refused there (LV_ERR_DUPLICATE_ID), as it is with an SDK, and fine after stop().
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { createNoopMeter, metrics } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { createSupervisor } from '../../src/index.js';
import { instrumentSupervisor } from '../../src/otel/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { createMetricProbe } from './metric-probe.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

describe('linkvisor/otel: on the no-op meter (no SDK registered)', () => {
  const h = useHarness();

  it('a supervisor instrumented on it and dropped without close() is not kept', async () => {
    expect(metrics.getMeterProvider().getMeter('linkvisor')).toBe(createNoopMeter());
    // Made in a function of its own: nothing of this test's scope holds them after.
    const refs = (() =>
      Array.from({ length: 3 }, () => {
        const supervisor = createSupervisor();
        instrumentSupervisor(supervisor);
        return new WeakRef(supervisor);
      }))();
    await waitFor(
      () => {
        gc();
        return refs.every((ref) => ref.deref() === undefined);
      },
      { message: 'every dropped supervisor collected' },
    );
  });

  it('the same supervisor twice: LV_ERR_DUPLICATE_ID naming meter; again after stop(); on an SDK meter meanwhile', () => {
    const supervisor = h.supervisor(FAST);
    const first = instrumentSupervisor(supervisor);
    expect(() => instrumentSupervisor(supervisor, { meter: createNoopMeter() })).toThrow(
      expect.objectContaining({ code: 'LV_ERR_DUPLICATE_ID', option: 'meter' }),
    );
    const probe = createMetricProbe();
    h.defer(() => probe.shutdown());
    instrumentSupervisor(supervisor, { meterProvider: probe.provider }).stop();
    first.stop();
    instrumentSupervisor(supervisor).stop();
  });
});
