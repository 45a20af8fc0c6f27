/**
 * The meter's one batch callback (meter-registry.ts) is shared by every supervisor instrumented on
 * it: what goes wrong with one of them must stay with it. Real links on real `ws` servers
 * (127.0.0.1, port 0) and the real SDK.
 *
 * - A supervisor whose status() could be called but not read (a `links` that is not a list: a
 *   supervisor of another copy of linkvisor, a status() replaced by the application) made the
 *   shared callback throw: the SDK dropped the whole callback's observations, so every other
 *   supervisor of the meter went unobserved too (their series kept their old values), and the
 *   parts that ended waited for a collection that never came.
 * - A meter whose removeBatchObservableCallback throws, when the last instrumentation's zeros had
 *   been collected: the callback was removed in a microtask, and the throw escaped there as an
 *   uncaught exception (Node ends the process on one). It goes to OpenTelemetry's diag logger.
 * - A stop() during a collection (from the supervisor's error listener, called for a status() that
 *   threw) removed the callback while the SDK was going through the meter's callbacks: the next
 *   one (the application's own, on a meter it gave) was skipped at that collection.
 */
import { DiagLogLevel, diag, type Meter } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { instrumentSupervisor } from '../../src/otel/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { useStrayErrors } from '../helpers/stray-errors.js';
import { createMetricProbe } from './metric-probe.js';
import { twoOnOneMeter } from './two-on-one-meter.js';

const READY = { 'linkvisor.link.state': 'ready' };
const IDLE = { 'linkvisor.link.state': 'idle' };

describe('linkvisor/otel: one supervisor of a shared meter failing', () => {
  const h = useHarness();
  const stray = useStrayErrors({ exceptions: true });

  it('a status() that cannot be read leaves the others observed, its own series out, and is reported on it', async () => {
    const server = await h.wsServer();
    const { probe, a, b, errors } = twoOnOneMeter(h, { hearB: true });
    // a: one idle link, down; b: one ready link, up.
    a.connect(server.url, { autoConnect: false });
    await b.connect(server.url).ready();
    let collected = await probe.collect();
    expect(collected.value('linkvisor.link.count', READY)).toBe(1);
    expect(collected.value('linkvisor.supervisor.up')).toBe(1);

    const status = b.status.bind(b);
    b.status = () => ({ ...status(), links: 7 as never });
    collected = await probe.collect();
    // a alone: b's part is left out whole, its `up` (observed before its links failed) too.
    expect(collected.value('linkvisor.link.count', IDLE)).toBe(1);
    expect(collected.value('linkvisor.link.count', READY)).toBe(0);
    expect(collected.value('linkvisor.supervisor.up')).toBe(0);
    expect(errors.map((e) => [e.code, e.message])).toEqual([
      ['LV_ERR_LISTENER', 'linkvisor/otel: status() returned what cannot be read: its series are left out'],
    ]);
    // A redacted copy of the TypeError (docs/errors.md "What `cause` is"): its name kept.
    expect((errors[0]?.cause as Error | undefined)?.name).toBe('TypeError');
  });

  it('removeBatchObservableCallback throws after the last zeros: no uncaught exception; the meter is usable again', async () => {
    const server = await h.wsServer();
    const probe = createMetricProbe();
    h.defer(() => probe.shutdown());
    const real = probe.provider.getMeter('throws-on-remove');
    let removals = 0;
    const meter = new Proxy(real, {
      get: (target, key, receiver) => {
        if (key === 'removeBatchObservableCallback') {
          return () => {
            removals++;
            throw new Error('cannot remove');
          };
        }
        const value = Reflect.get(target, key, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as Meter;
    const logged: unknown[][] = [];
    const log = () => undefined;
    diag.setLogger(
      { error: (...args: unknown[]) => logged.push(args), warn: log, info: log, debug: log, verbose: log },
      DiagLogLevel.ERROR,
    );
    h.defer(() => diag.disable());
    const supervisor = h.supervisor(FAST);
    const handle = instrumentSupervisor(supervisor, { meter });
    await supervisor.connect(server.url).ready();
    expect((await probe.collect()).value('linkvisor.link.count', READY)).toBe(1);
    handle.stop();
    expect((await probe.collect()).value('linkvisor.link.count', READY)).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(removals).toBe(1);
    expect(stray).toEqual([]);
    expect(logged.map(([message, error]) => [message, (error as Error).message])).toEqual([
      ['linkvisor/otel: the meter threw removing its batch observable callback', 'cannot remove'],
    ]);
    // The callback is still registered with the meter (it would not go): instrumenting again
    // uses it, and counts once.
    const again = instrumentSupervisor(supervisor, { meter });
    h.defer(() => {
      try {
        again.stop();
      } catch {
        // the meter still cannot remove it
      }
    });
    expect((await probe.collect()).value('linkvisor.link.count', READY)).toBe(1);
  });

  it("stop() from an error listener during a collection: the meter's other batch callbacks are still called", async () => {
    const probe = createMetricProbe();
    h.defer(() => probe.shutdown());
    const meter = probe.provider.getMeter('app');
    const supervisor = h.supervisor(FAST);
    const handle = instrumentSupervisor(supervisor, { meter });
    // The application's own batch callback on the same meter, after linkvisor's.
    const gauge = meter.createObservableGauge('app.gauge');
    let calls = 0;
    meter.addBatchObservableCallback(
      (result) => {
        calls++;
        result.observe(gauge, 42);
      },
      [gauge],
    );
    supervisor.on('error', () => handle.stop());
    supervisor.status = () => {
      throw new Error('unreadable');
    };
    const collected = await probe.collect();
    expect(calls).toBe(1);
    expect(collected.value('app.gauge')).toBe(42);
    await new Promise((resolve) => setTimeout(resolve, 0));
    await probe.collect();
    expect(calls).toBe(2);
  });
});
