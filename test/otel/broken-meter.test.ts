/**
 * A meter that throws or hands back garbage (a hand-made one, a half-initialised SDK): nothing of
 * it may crash the process, leave listeners behind or go unreported. Real links on real `ws`
 * servers (127.0.0.1, port 0).
 *
 * - A throw when a link ends (its failure counted, its outage timed) used to escape as an unhandled
 *   rejection (Node ends the process on one by default) and left the link's listeners attached.
 * - A round trip the meter cannot record was dropped without a word.
 * - A meter whose `addBatchObservableCallback` throws made instrumentSupervisor() throw after it had
 *   attached its listeners, with no handle to remove them: every later link was still measured.
 * - A meter that returns no instrument is refused at once, naming `meter`.
 */
import type { Meter } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import type { LinkvisorError } from '../../src/index.js';
import { instrumentSupervisor } from '../../src/otel/index.js';
import { nextEvent, recordEvents } from '../helpers/events.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { useStrayErrors } from '../helpers/stray-errors.js';
import { waitFor } from '../helpers/wait.js';
import { createMetricProbe } from './metric-probe.js';

/** The SDK's meter with some of its methods replaced. */
function meterWith(overrides: Partial<Record<keyof Meter, unknown>>): {
  meter: Meter;
  shutdown(): Promise<void>;
} {
  const probe = createMetricProbe();
  const real = probe.provider.getMeter('broken');
  const meter = new Proxy(real, {
    get: (target, key, receiver) => {
      if (key in overrides) return overrides[key as keyof Meter];
      const value = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { meter, shutdown: () => probe.shutdown() };
}

const broken = () => {
  throw new Error('broken meter');
};
const throwingInstruments = {
  createCounter: () => ({ add: broken }),
  createHistogram: () => ({ record: broken }),
};

describe('linkvisor/otel: a meter that throws or returns garbage', () => {
  const h = useHarness();
  const unhandled = useStrayErrors();

  it('a throw when a link ends (failure, outage): no unhandled rejection, reported on the supervisor, nothing left attached', async () => {
    // Ready, then closed with 1008 (fatal): the link fails with an outage in progress.
    const server = await h.wsServer();
    const { meter, shutdown } = meterWith(throwingInstruments);
    h.defer(shutdown);
    const supervisor = h.supervisor(FAST);
    const errors: LinkvisorError[] = [];
    supervisor.on('error', (error) => errors.push(error));
    const handle = instrumentSupervisor(supervisor, { meter });
    h.defer(() => handle.stop());
    const link = supervisor.connect(server.url);
    const log = recordEvents(link);
    await link.ready();
    for (const ws of server.clients) ws.close(1008, 'policy');
    await link.ended();
    const atEnd = () => errors.filter((error) => error.option === 'meter');
    await waitFor(() => atEnd().length > 0, { message: 'the end-of-link failure reported' });
    // One more turn for a rejection to be reported unhandled.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(unhandled).toEqual([]);
    expect(link.state).toBe('failed');
    expect(atEnd().map((e) => [e.code, e.message, (e.cause as Error).message])).toEqual([
      [
        'LV_ERR_LISTENER',
        `linkvisor/otel: the meter threw recording the end of link ${link.id}`,
        'broken meter',
      ],
    ]);
    // The supervisor's `down` listener threw too: reported as any listener's.
    for (const error of errors) expect(error.code).toBe('LV_ERR_LISTENER');
    // The instrumentation's listeners on the link are gone (the test's own log aside).
    log.stop();
    expect(link.wire.listens()).toBe(false);
    // While it lived, the link's listeners threw and were reported on the link (as before).
    for (const error of log.of<LinkvisorError>('error')) expect(error.code).toBe('LV_ERR_LISTENER');
  });

  it("a heartbeat round trip the meter cannot record is reported on the link's error event", async () => {
    const server = await h.wsServer();
    const { meter, shutdown } = meterWith({ createHistogram: () => ({ record: broken }) });
    h.defer(shutdown);
    const supervisor = h.supervisor({ ...FAST, heartbeat: { intervalMs: 30, timeoutMs: 1_000 } });
    const handle = instrumentSupervisor(supervisor, { meter });
    h.defer(() => handle.stop());
    const link = supervisor.connect(server.url);
    const errors: LinkvisorError[] = [];
    link.on('error', (error) => errors.push(error));
    await link.ready();
    // (Its time to ready, recorded by a `ready` listener, throws too: reported as any listener's.)
    const refused = () => errors.find((error) => error.option === 'meter');
    await waitFor(() => refused() !== undefined, { message: 'a round trip the meter refused, reported' });
    expect(refused()).toMatchObject({
      code: 'LV_ERR_LISTENER',
      message: expect.stringContaining('heartbeat.rtt'),
    });
    expect((refused()?.cause as Error | undefined)?.message).toBe('broken meter');
    expect(link.state).toBe('ready');
  });

  it('addBatchObservableCallback throws: instrumentSupervisor throws and leaves no listener behind', async () => {
    const server = await h.wsServer();
    let added = 0;
    const { meter, shutdown } = meterWith({
      createCounter: () => ({
        add: () => {
          added++;
        },
      }),
      addBatchObservableCallback: () => {
        throw new Error('no callbacks here');
      },
    });
    h.defer(shutdown);
    const supervisor = h.supervisor(FAST);
    const before = supervisor.connect(server.url, { id: 'before' });
    await before.ready();
    expect(() => instrumentSupervisor(supervisor, { meter })).toThrow('no callbacks here');
    // Neither the link that existed nor a later one, nor the supervisor, is measured.
    const after = supervisor.connect(server.url, { id: 'after' });
    await after.ready();
    const lost = [nextEvent(before, 'lost'), nextEvent(after, 'lost')];
    for (const ws of server.clients) ws.terminate();
    await Promise.all(lost);
    await Promise.all([before.ready(), after.ready()]);
    expect(added).toBe(0);
  });

  it("a meter that returns no instrument is refused at once, naming 'meter'", async () => {
    const supervisor = h.supervisor(FAST);
    for (const overrides of [
      { createCounter: () => undefined },
      { createHistogram: () => ({}) },
      { createObservableGauge: () => null },
    ]) {
      const { meter, shutdown } = meterWith(overrides);
      h.defer(shutdown);
      expect(() => instrumentSupervisor(supervisor, { meter })).toThrow(
        expect.objectContaining({ code: 'LV_ERR_INVALID_OPTION', option: 'meter' }),
      );
    }
  });
});
