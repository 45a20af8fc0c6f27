/**
 * instrumentSupervisor's input: wrong values are refused at once with an LV_ERR_* error naming
 * the option; the meter comes from `meter`, `meterProvider` or the global provider.
 */
import { metrics } from '@opentelemetry/api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSupervisor, type Supervisor } from '../../src/index.js';
import { instrumentSupervisor, METER_NAME } from '../../src/otel/index.js';
import { createMetricProbe } from './metric-probe.js';

function refused(run: () => unknown): { code: unknown; option: unknown; message: string } {
  try {
    run();
  } catch (error) {
    const e = error as { code?: unknown; option?: unknown; message: string };
    return { code: e.code, option: e.option, message: e.message };
  }
  throw new Error('expected the call to throw');
}

describe('instrumentSupervisor(): options', () => {
  const supervisors: Supervisor[] = [];
  const supervisor = () => {
    const s = createSupervisor();
    supervisors.push(s);
    return s;
  };
  afterEach(async () => {
    metrics.disable();
    await Promise.all(supervisors.splice(0).map((s) => s.close()));
  });

  it('refuses what is not a supervisor', () => {
    for (const bad of [undefined, null, {}, { on() {} }, 'supervisor']) {
      expect(refused(() => instrumentSupervisor(bad as never))).toMatchObject({
        code: 'LV_ERR_INVALID_OPTION',
        option: 'supervisor',
      });
    }
  });

  it('refuses a meter without a method it uses, naming meter, before it registers anything', () => {
    const s = supervisor();
    const probe = createMetricProbe();
    const real = probe.provider.getMeter('partial');
    const used = [
      'createCounter',
      'createHistogram',
      'createObservableUpDownCounter',
      'createObservableGauge',
      'addBatchObservableCallback',
      'removeBatchObservableCallback',
    ] as const;
    for (const missing of used) {
      let added = 0;
      const meter = Object.fromEntries(
        used
          .filter((name) => name !== missing)
          .map((name) => [
            name,
            (...args: unknown[]) => {
              if (name === 'addBatchObservableCallback') added++;
              return (real[name] as (...a: unknown[]) => unknown).apply(real, args);
            },
          ]),
      );
      expect(
        refused(() => instrumentSupervisor(s, { meter } as never)),
        missing,
      ).toMatchObject({
        code: 'LV_ERR_INVALID_OPTION',
        option: 'meter',
      });
      expect(added, missing).toBe(0);
    }
    void probe.shutdown();
  });

  it('refuses bad options, naming each', () => {
    const s = supervisor();
    const provider = createMetricProbe().provider;
    const cases: [unknown, string, string][] = [
      ['nope', 'options', 'LV_ERR_INVALID_OPTION'],
      [{ linkIdAttributes: true }, 'linkIdAttributes', 'LV_ERR_UNKNOWN_OPTION'],
      [{ linkIdAttribute: 'yes' }, 'linkIdAttribute', 'LV_ERR_INVALID_OPTION'],
      [{ watcherNameAttribute: 1 }, 'watcherNameAttribute', 'LV_ERR_INVALID_OPTION'],
      [{ meterProvider: {} }, 'meterProvider', 'LV_ERR_INVALID_OPTION'],
      [{ meter: { createCounter: 1 } }, 'meter', 'LV_ERR_INVALID_OPTION'],
      [{ meter: provider.getMeter('x'), meterProvider: provider }, 'meter', 'LV_ERR_INVALID_OPTION'],
      [{ clock: { now: 5 } }, 'clock', 'LV_ERR_INVALID_OPTION'],
      [{ attributes: [] }, 'attributes', 'LV_ERR_INVALID_OPTION'],
      [{ attributes: { region: { nested: true } } }, 'attributes.region', 'LV_ERR_INVALID_OPTION'],
      // OpenTelemetry's rules: a non-empty key, an array of one type.
      [{ attributes: { '': 'x' } }, 'attributes', 'LV_ERR_INVALID_OPTION'],
      [{ attributes: { zones: ['a', 1] } }, 'attributes.zones', 'LV_ERR_INVALID_OPTION'],
      [{ attributes: { flags: [true, 'no'] } }, 'attributes.flags', 'LV_ERR_INVALID_OPTION'],
      [
        { attributes: { 'linkvisor.link.state': 'x' } },
        'attributes.linkvisor.link.state',
        'LV_ERR_INVALID_OPTION',
      ],
    ];
    for (const [options, option, code] of cases) {
      expect(
        refused(() => instrumentSupervisor(s, options as never)),
        JSON.stringify(option),
      ).toMatchObject({
        code,
        option,
      });
    }
  });

  it('without meter or meterProvider: the global provider (a no-op until an SDK is registered)', async () => {
    const s = supervisor();
    // No SDK registered: works and records nowhere.
    instrumentSupervisor(s).stop();

    const probe = createMetricProbe();
    metrics.setGlobalMeterProvider(probe.provider);
    const handle = instrumentSupervisor(s);
    const collected = await probe.collect();
    expect(collected.value('linkvisor.supervisor.up')).toBe(0);
    expect(collected.metrics.length).toBeGreaterThan(0);
    handle.stop();
    await probe.shutdown();
  });

  it('a meter given directly is used as it is; meterProvider gives the meter named linkvisor', async () => {
    const s = supervisor();
    const probe = createMetricProbe();
    const viaMeter = instrumentSupervisor(s, { meter: probe.provider.getMeter('my-app') });
    const viaProvider = instrumentSupervisor(s, { meterProvider: probe.provider });
    const collected = await probe.collect();
    expect(collected.scoped.has('my-app:linkvisor.supervisor.up')).toBe(true);
    expect(collected.scoped.has(`${METER_NAME}:linkvisor.supervisor.up`)).toBe(true);
    viaMeter.stop();
    viaProvider.stop();
    expect(METER_NAME).toBe('linkvisor');
    await probe.shutdown();
  });

  it('a closed or closing supervisor is refused (LV_ERR_SUPERVISOR_CLOSED): no callback would ever be removed', async () => {
    const probe = createMetricProbe();
    const closing = supervisor();
    const closed = closing.close();
    expect(refused(() => instrumentSupervisor(closing, { meterProvider: probe.provider }))).toMatchObject({
      code: 'LV_ERR_SUPERVISOR_CLOSED',
      message: 'instrumentSupervisor(): the supervisor is closed',
    });
    await closed;
    expect(refused(() => instrumentSupervisor(closing, { meterProvider: probe.provider })).code).toBe(
      'LV_ERR_SUPERVISOR_CLOSED',
    );
    // Nothing was registered: the provider reports no linkvisor metric.
    expect((await probe.collect()).names()).toEqual([]);
    await probe.shutdown();
  });

  it('asks closed, not status() (O(links)); a supervisor of an older copy without closed, its status()', async () => {
    const probe = createMetricProbe();
    const s = supervisor();
    await s.close();
    const status = vi.spyOn(s, 'status');
    expect(refused(() => instrumentSupervisor(s, { meterProvider: probe.provider })).code).toBe(
      'LV_ERR_SUPERVISOR_CLOSED',
    );
    expect(status).not.toHaveBeenCalled();
    // An older copy's supervisor, by shape: no `closed` getter, status().closed says it.
    const older = {
      on: () => () => {},
      list: () => [],
      connect: () => undefined,
      status: () => ({ closed: true }),
    };
    expect(refused(() => instrumentSupervisor(older as never, { meterProvider: probe.provider })).code).toBe(
      'LV_ERR_SUPERVISOR_CLOSED',
    );
    await probe.shutdown();
  });

  it('stop() is idempotent', () => {
    const s = supervisor();
    const handle = instrumentSupervisor(s, { meterProvider: createMetricProbe().provider });
    handle.stop();
    handle.stop();
  });
});
