/**
 * stop(): every listener and observable callback is removed. The observable metrics read 0 at the
 * next collection (the SDK would repeat their last values for ever: `up` 1 for a supervisor no
 * longer measured) and never move again, and nothing that happens to the supervisor, its links
 * (old and new) or its watchers moves a counter or a histogram.
 */

import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { instrumentSupervisor } from '../../src/otel/index.js';
import { nextEvent } from '../helpers/events.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { BEHIND_HOST } from '../helpers/servers.js';
import { waitFor } from '../helpers/wait.js';
import { type Collected, createMetricProbe } from './metric-probe.js';

const OBSERVED = [
  'linkvisor.link.count',
  'linkvisor.link.queue.depth',
  'linkvisor.link.queue.size',
  'linkvisor.watcher.count',
  'linkvisor.supervisor.up',
];

/** Every data point of every metric (attributes and value, without timestamps). */
function pointsOf(collected: Collected): Record<string, unknown> {
  return Object.fromEntries(collected.names().map((name) => [name, collected.points(name)]));
}

describe('linkvisor/otel: stop()', () => {
  const h = useHarness();

  it('leaves nothing: no observation, and no later event of any link or the supervisor is recorded', async () => {
    let pongs = 0;
    const server = await h.wsServer({
      autoPong: false,
      onConnection: (ws: WebSocket) =>
        ws.on('ping', (data) => {
          pongs++;
          ws.pong(data);
        }),
    });
    const { port } = await h.keptPort();
    const probe = createMetricProbe();
    h.defer(() => probe.shutdown());
    const supervisor = h.supervisor({
      ...FAST,
      heartbeat: { intervalMs: 30, timeoutMs: 1_000 },
      queue: { maxMessages: 1, overflow: 'drop-oldest' },
    });
    const handle = instrumentSupervisor(supervisor, {
      meterProvider: probe.provider,
      linkIdAttribute: true,
      watcherNameAttribute: true,
    });
    const old = supervisor.connect(server.url, { id: 'old' });
    supervisor.watch({ name: 'db', probe: () => {} });
    await old.ready();
    const lost = nextEvent(old, 'lost');
    for (const ws of server.clients) ws.terminate();
    await lost;
    await old.ready();

    const before = await probe.collect();
    for (const name of OBSERVED) expect(before.points(name).length, name).toBeGreaterThan(0);
    expect(before.value('linkvisor.link.disconnects')).toBe(1);

    handle.stop();
    // What was recorded up to stop(): the SDK keeps reporting these last values (cumulative), and
    // they must never move again (a pong may have come in since the collection above); what was
    // observed reads 0, every series of it.
    const atStop = await probe.collect();
    expect(atStop.histogram('linkvisor.link.time_to_ready').count).toBe(1);
    for (const name of OBSERVED) {
      expect(atStop.points(name).length, name).toBe(before.points(name).length);
      expect(
        atStop.points(name).every((point) => point.value === 0),
        name,
      ).toBe(true);
    }

    // Everything again, after stop(): the old link bounces, pongs come, a new link overflows its
    // queue and gives up, the supervisor goes down, a new watcher starts.
    const pongsAtStop = pongs;
    const lostAgain = nextEvent(old, 'lost');
    for (const ws of server.clients) ws.terminate();
    await lostAgain;
    await old.ready();
    await waitFor(() => pongs > pongsAtStop, { message: 'a pong after stop()' });
    const doomed = supervisor.connect(`ws://${BEHIND_HOST}:${port}`, {
      id: 'new',
      backoff: { ...FAST.backoff, maxAttempts: 1 },
    });
    doomed.send('x');
    doomed.send('y');
    await doomed.ended();
    supervisor.watch({ name: 'cache', probe: () => {} });
    const down = new Promise<void>((resolve) => supervisor.on('down', () => resolve()));
    await server.stop();
    await down;

    const after = await probe.collect();
    expect(pointsOf(after)).toEqual(pointsOf(atStop));
    expect(after.value('linkvisor.supervisor.up')).toBe(0);
    expect(after.allText()).not.toContain('link:new');
    expect(after.allText()).not.toContain('cache');
  });
});
