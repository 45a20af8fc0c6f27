/**
 * Two supervisors of one process instrumented on one meter (the global provider's, or one
 * `meterProvider`), without `attributes` to tell them apart: their observable metrics are the
 * process's, summed (`linkvisor.supervisor.up`: 1 if either is up). Real links on real `ws`
 * servers (127.0.0.1, port 0) and the real SDK.
 *
 * Each instrumentation used to register its own batch callback; the SDK keeps one value per
 * attribute set of an observable at a collection, so the last supervisor's replaced the other's:
 * 1 + 2 ready links showed as 2, and the queues and watchers of the first were lost as well.
 * One supervisor instrumented twice on one meter had each of its events counted twice: refused.
 */
import { describe, expect, it } from 'vitest';
import { instrumentSupervisor } from '../../src/otel/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { createMetricProbe } from './metric-probe.js';
import { twoOnOneMeter } from './two-on-one-meter.js';

const READY = { 'linkvisor.link.state': 'ready' };
const IDLE = { 'linkvisor.link.state': 'idle' };

describe('linkvisor/otel: two supervisors on one meter', () => {
  const h = useHarness();

  it('their links, queues and watchers are summed; up is 1 if either is up; each stop() takes only its own', async () => {
    const server = await h.wsServer();
    const { probe, a, b, ia, ib } = twoOnOneMeter(h);
    await a.connect(server.url).ready();
    // b: two links up, one idle holding 2 queued messages, one watcher ready.
    await b.connect(server.url).ready();
    await b.connect(server.url).ready();
    const idle = b.connect(server.url, { autoConnect: false });
    idle.send('one');
    idle.send('two');
    const db = b.watch({ name: 'db', probe: () => {} });
    a.watch({ name: 'cache', probe: () => {}, backoff: { initialDelayMs: 60_000 } });
    await waitFor(() => db.isReady(), { message: 'db ready' });

    let collected = await probe.collect();
    expect(collected.value('linkvisor.link.count', READY)).toBe(3);
    expect(collected.value('linkvisor.link.count', IDLE)).toBe(1);
    expect(collected.value('linkvisor.link.count')).toBe(4);
    expect(collected.value('linkvisor.link.queue.depth')).toBe(2);
    expect(collected.value('linkvisor.watcher.count')).toBe(2);
    expect(collected.value('linkvisor.supervisor.up')).toBe(1);
    expect(collected.points('linkvisor.supervisor.up')).toHaveLength(1);

    // a alone: its one ready link and watcher, up from b's links no more.
    ib.stop();
    await b.close();
    collected = await probe.collect();
    expect(collected.value('linkvisor.link.count', READY)).toBe(1);
    expect(collected.value('linkvisor.link.count')).toBe(1);
    expect(collected.value('linkvisor.link.queue.depth')).toBe(0);
    expect(collected.value('linkvisor.watcher.count')).toBe(1);
    expect(collected.value('linkvisor.supervisor.up')).toBe(1);

    // The last one stopped: its series read 0 once, then no callback is left with the meter.
    ia.stop();
    const atStop = await probe.collect();
    expect(atStop.value('linkvisor.link.count')).toBe(0);
    expect(atStop.value('linkvisor.supervisor.up')).toBe(0);
    await a.connect(server.url).ready();
    const after = await probe.collect();
    expect(after.value('linkvisor.link.count')).toBe(0);
  });

  it('the same constant attributes given in another order are the same series: summed', async () => {
    const server = await h.wsServer();
    const probe = createMetricProbe();
    h.defer(() => probe.shutdown());
    const a = h.supervisor(FAST);
    const b = h.supervisor(FAST);
    const ia = instrumentSupervisor(a, { meterProvider: probe.provider, attributes: { x: '1', y: '2' } });
    const ib = instrumentSupervisor(b, { meterProvider: probe.provider, attributes: { y: '2', x: '1' } });
    h.defer(() => ia.stop());
    h.defer(() => ib.stop());
    await a.connect(server.url).ready();
    await b.connect(server.url).ready();
    const collected = await probe.collect();
    expect(collected.points('linkvisor.link.count', READY)).toEqual([
      { attributes: { x: '1', y: '2', 'linkvisor.link.state': 'ready' }, value: 2 },
    ]);
  });

  it('a supervisor whose status() throws leaves the other one observed, and is reported on it', async () => {
    const server = await h.wsServer();
    const { probe, a, b, errors } = twoOnOneMeter(h, { hearB: true });
    await a.connect(server.url).ready();
    b.status = () => {
      throw new Error('unreadable');
    };
    const collected = await probe.collect();
    expect(collected.value('linkvisor.link.count', READY)).toBe(1);
    expect(errors.map((e) => [e.code, e.message, (e.cause as Error).message])).toEqual([
      [
        'LV_ERR_LISTENER',
        'linkvisor/otel: status() threw at a collection: its series are left out',
        'unreadable',
      ],
    ]);
  });

  it('the same supervisor twice on one meter: LV_ERR_DUPLICATE_ID naming meter, its events counted once; again after stop()', async () => {
    const server = await h.wsServer();
    const probe = createMetricProbe();
    h.defer(() => probe.shutdown());
    const supervisor = h.supervisor(FAST);
    const first = instrumentSupervisor(supervisor, { meterProvider: probe.provider });
    h.defer(() => first.stop());
    let error: unknown;
    try {
      h.defer(
        instrumentSupervisor(supervisor, { meterProvider: probe.provider, linkIdAttribute: true }).stop,
      );
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'LV_ERR_DUPLICATE_ID', option: 'meter' });
    const link = supervisor.connect(server.url);
    await link.ready();
    for (const ws of server.clients) ws.terminate();
    await waitFor(async () => (await probe.collect()).value('linkvisor.link.disconnects') > 0, {
      message: 'the disconnect counted',
    });
    const collected = await probe.collect();
    expect(collected.value('linkvisor.link.disconnects')).toBe(1);
    expect(collected.points('linkvisor.link.count', { 'linkvisor.link.id': link.id })).toEqual([]);
    // Another meter, or this one after stop(), is fine.
    const other = createMetricProbe();
    h.defer(() => other.shutdown());
    instrumentSupervisor(supervisor, { meterProvider: other.provider }).stop();
    first.stop();
    instrumentSupervisor(supervisor, { meterProvider: probe.provider }).stop();
  });
});
