/**
 * With `linkIdAttribute` / `watcherNameAttribute`, each link (watcher) is one series of value 1 in
 * its current state (docs/otel.md): a state it left, or a link or watcher that ended, reads 0.
 * Real links on a real `ws` server (127.0.0.1, port 0) and the real SDK.
 *
 * The SDK keeps reporting the last value of an attribute set no callback observes any more: a link
 * that went idle → ready counted 1 in both, and after its close 1 in both for ever (the sum of
 * `linkvisor_link_count` grew with every state any link had ever been in); watchers alike.
 */
import { describe, expect, it } from 'vitest';
import { instrumentSupervisor } from '../../src/otel/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { createMetricProbe } from './metric-probe.js';
import { useInstrumentation } from './use-instrumentation.js';

const LINK_ID = 'linkvisor.link.id';
const WATCHER_NAME = 'linkvisor.watcher.name';

/** The non-zero points of `name` as `{ state: value }`, by the attribute `stateKey`. */
function nonZero(points: { attributes: Record<string, unknown>; value: unknown }[], stateKey: string) {
  return Object.fromEntries(
    points.filter((p) => p.value !== 0).map((p) => [String(p.attributes[stateKey]), p.value]),
  );
}

describe('linkvisor/otel: per-link and per-watcher series follow their state', () => {
  const h = useHarness();
  const m = useInstrumentation();

  it('a link idle → ready → closed, a watcher starting → ready → stopped: 1 in the current state only, 0 once ended', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    m.instrument(supervisor, { linkIdAttribute: true, watcherNameAttribute: true });
    const link = supervisor.connect(server.url, { id: 'feed', autoConnect: false });
    link.send('one');
    link.send('two');
    let ready = false;
    const db = supervisor.watch({
      name: 'db',
      probe: () => {
        if (!ready) throw new Error('not yet');
      },
      backoff: { initialDelayMs: 20, maxDelayMs: 20 },
    });

    let collected = await m.probe.collect();
    const linkPoints = () => collected.points('linkvisor.link.count', { [LINK_ID]: 'link:feed' });
    const watcherPoints = () => collected.points('linkvisor.watcher.count', { [WATCHER_NAME]: 'db' });
    expect(nonZero(linkPoints(), 'linkvisor.link.state')).toEqual({ idle: 1 });
    expect(collected.value('linkvisor.link.queue.depth', { [LINK_ID]: 'link:feed' })).toBe(2);
    expect(nonZero(watcherPoints(), 'linkvisor.watcher.state')).toEqual({ starting: 1 });

    link.connect();
    await link.ready();
    ready = true;
    await waitFor(() => db.isReady(), { message: 'db ready' });
    collected = await m.probe.collect();
    expect(nonZero(linkPoints(), 'linkvisor.link.state')).toEqual({ ready: 1 });
    expect(collected.value('linkvisor.link.count')).toBe(1);
    expect(collected.value('linkvisor.link.queue.depth')).toBe(0);
    expect(nonZero(watcherPoints(), 'linkvisor.watcher.state')).toEqual({ ready: 1 });
    expect(collected.value('linkvisor.watcher.count')).toBe(1);

    link.send('three');
    await link.close();
    await db.stop();
    collected = await m.probe.collect();
    expect(collected.value('linkvisor.link.count')).toBe(0);
    expect(collected.value('linkvisor.link.queue.depth')).toBe(0);
    expect(collected.value('linkvisor.watcher.count')).toBe(0);
    // And it stays so.
    collected = await m.probe.collect();
    expect(collected.value('linkvisor.link.count')).toBe(0);
    expect(collected.value('linkvisor.watcher.count')).toBe(0);
  });

  it('with two readers (Prometheus and OTLP, say), each sees the zeros, whichever collects first', async () => {
    const server = await h.wsServer();
    const probe = createMetricProbe(2);
    h.defer(() => probe.shutdown());
    const supervisor = h.supervisor(FAST);
    const handle = instrumentSupervisor(supervisor, { meterProvider: probe.provider, linkIdAttribute: true });
    h.defer(() => handle.stop());
    const link = supervisor.connect(server.url, { id: 'feed', autoConnect: false });
    for (const reader of [0, 1]) expect((await probe.collect(reader)).value('linkvisor.link.count')).toBe(1);
    link.connect();
    await link.ready();
    await link.close();
    for (const _ of [1, 2]) {
      for (const reader of [0, 1]) {
        const collected = await probe.collect(reader);
        expect(collected.value('linkvisor.link.count'), `reader ${reader}`).toBe(0);
      }
    }
  });
});
