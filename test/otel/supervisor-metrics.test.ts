/**
 * linkvisor/otel: supervisor up/down, watcher health, and the attributes that are opt-in (link id,
 * watcher name) or given (constant attributes), against real links on `ws` servers.
 */
import { describe, expect, it } from 'vitest';
import { nextEvent } from '../helpers/events.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { useInstrumentation } from './use-instrumentation.js';

const LINK_ID = 'linkvisor.link.id';
const WATCHER_STATE = 'linkvisor.watcher.state';
const WATCHER_NAME = 'linkvisor.watcher.name';

describe('linkvisor/otel: supervisor and watchers', () => {
  const h = useHarness();
  const m = useInstrumentation();

  it('supervisor up: 1 while a link is ready, 0 after the last one went down; each outage counted', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    m.instrument(supervisor);
    expect((await m.probe.collect()).value('linkvisor.supervisor.up')).toBe(0);
    const link = supervisor.connect(server.url);
    await link.ready();
    expect((await m.probe.collect()).value('linkvisor.supervisor.up')).toBe(1);

    const down = new Promise<void>((resolve) => supervisor.on('down', () => resolve()));
    await server.stop();
    await down;
    const collected = await m.probe.collect();
    expect(collected.value('linkvisor.supervisor.up')).toBe(0);
    expect(collected.value('linkvisor.supervisor.outages')).toBe(1);
  });

  it('watchers by state (no names unless asked); with watcherNameAttribute one series per watcher', async () => {
    const supervisor = h.supervisor(FAST);
    m.instrument(supervisor);
    const db = supervisor.watch({ name: 'db', probe: () => {} });
    supervisor.watch({
      name: 'cache',
      probe: () => {
        throw new Error('down');
      },
      backoff: { initialDelayMs: 60_000, maxDelayMs: 60_000 },
    });
    await waitFor(() => db.isReady(), { message: 'db ready' });

    let collected = await m.probe.collect();
    expect(collected.value('linkvisor.watcher.count', { [WATCHER_STATE]: 'ready' })).toBe(1);
    expect(collected.value('linkvisor.watcher.count', { [WATCHER_STATE]: 'starting' })).toBe(1);
    expect(collected.value('linkvisor.watcher.count', { [WATCHER_STATE]: 'down' })).toBe(0);
    expect(collected.value('linkvisor.watcher.count')).toBe(2);
    expect(collected.allText()).not.toContain(WATCHER_NAME);
    expect(collected.allText()).not.toMatch(/\bdb\b|cache/);

    m.instrument(supervisor, { watcherNameAttribute: true });
    collected = await m.probe.collect();
    expect(collected.points('linkvisor.watcher.count', { [WATCHER_NAME]: 'db' })).toEqual([
      { attributes: { [WATCHER_NAME]: 'db', [WATCHER_STATE]: 'ready' }, value: 1 },
    ]);
    expect(
      collected.value('linkvisor.watcher.count', { [WATCHER_NAME]: 'cache', [WATCHER_STATE]: 'starting' }),
    ).toBe(1);
  });

  it('no link id anywhere by default; with linkIdAttribute every per-link metric carries it', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor({ ...FAST, heartbeat: { intervalMs: 50, timeoutMs: 1_000 } });
    m.instrument(supervisor);
    const link = supervisor.connect(server.url, { id: 'orders' });
    await link.ready();
    let collected = await m.probe.collect();
    expect(collected.allText()).not.toContain(LINK_ID);
    expect(collected.allText()).not.toContain('orders');

    m.instrument(supervisor, { linkIdAttribute: true });
    const other = supervisor.connect(server.url, { id: 'prices' });
    await other.ready();
    await waitFor(() => other.status().rttMs !== null, { message: 'a heartbeat round trip' });
    const lost = nextEvent(other, 'lost');
    for (const ws of server.clients) ws.terminate();
    await lost;
    await other.ready();

    collected = await m.probe.collect();
    // Links seen before instrumenting are counted too (their state), with their id.
    expect(collected.value('linkvisor.link.count', { [LINK_ID]: 'link:orders' })).toBe(1);
    expect(
      collected.value('linkvisor.link.count', { [LINK_ID]: 'link:prices', 'linkvisor.link.state': 'ready' }),
    ).toBe(1);
    expect(collected.value('linkvisor.link.disconnects', { [LINK_ID]: 'link:prices' })).toBe(1);
    expect(collected.value('linkvisor.link.reconnects', { [LINK_ID]: 'link:prices' })).toBe(1);
    expect(collected.histogram('linkvisor.link.time_to_ready', { [LINK_ID]: 'link:prices' }).count).toBe(1);
    expect(collected.histogram('linkvisor.link.down.duration', { [LINK_ID]: 'link:prices' }).count).toBe(1);
    expect(
      collected.histogram('linkvisor.link.heartbeat.rtt', { [LINK_ID]: 'link:prices' }).count,
    ).toBeGreaterThan(0);
    expect(collected.value('linkvisor.link.queue.depth', { [LINK_ID]: 'link:prices' })).toBe(0);
  });

  it('constant attributes are added to every data point', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    m.instrument(supervisor, { attributes: { 'app.pool': 'eu-1' } });
    supervisor.watch({ name: 'db', probe: () => {} });
    await supervisor.connect(server.url).ready();
    const collected = await m.probe.collect();
    let points = 0;
    for (const name of collected.names()) {
      for (const point of collected.points(name)) {
        points++;
        expect(point.attributes['app.pool'], name).toBe('eu-1');
      }
    }
    expect(points).toBeGreaterThan(10);
  });

  it('constant attributes are copied: an array the application changes later changes no series', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    const zones = ['eu-1'];
    m.instrument(supervisor, { attributes: { zones } });
    await supervisor.connect(server.url).ready();
    expect((await m.probe.collect()).points('linkvisor.supervisor.up')).toEqual([
      { attributes: { zones: ['eu-1'] }, value: 1 },
    ]);
    zones.push('us-1');
    // One series still (a second one, and the first repeated for ever, if the array were shared).
    expect((await m.probe.collect()).points('linkvisor.supervisor.up')).toEqual([
      { attributes: { zones: ['eu-1'] }, value: 1 },
    ]);
  });
});
