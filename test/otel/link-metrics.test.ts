/**
 * linkvisor/otel against real links on real `ws` servers (127.0.0.1, port 0): a server bounce, a
 * heartbeat loss, a fatal close and a queue overflow, each read back through the SDK's reader and
 * compared with what the links themselves reported.
 */

import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import type { Link, Reason } from '../../src/index.js';
import { nextEvent, recordEvents } from '../helpers/events.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { BEHIND_HOST } from '../helpers/servers.js';
import { waitFor } from '../helpers/wait.js';
import { useInstrumentation } from './use-instrumentation.js';

const KIND = 'linkvisor.reason.kind';
const STATE = 'linkvisor.link.state';

describe('linkvisor/otel: link metrics from real links', () => {
  const h = useHarness();
  const m = useInstrumentation();

  it('links by state: every state reported, zeros included; the sum is the number of live links', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    m.instrument(supervisor);
    const ready = supervisor.connect(server.url, { id: 'ready' });
    supervisor.connect(server.url, { id: 'idle', autoConnect: false });
    await ready.ready();

    const collected = await m.probe.collect();
    expect(collected.value('linkvisor.link.count', { [STATE]: 'ready' })).toBe(1);
    expect(collected.value('linkvisor.link.count', { [STATE]: 'idle' })).toBe(1);
    expect(collected.value('linkvisor.link.count')).toBe(2);
    const states = collected.points('linkvisor.link.count').map((p) => p.attributes[STATE]);
    expect(states).toEqual(
      expect.arrayContaining(['idle', 'connecting', 'handshaking', 'ready', 'reconnecting', 'failed']),
    );
    expect(collected.value('linkvisor.link.count', { [STATE]: 'reconnecting' })).toBe(0);
    // Descriptors: units in UCUM, the kind of instrument that sums across attributes.
    expect(collected.metric('linkvisor.link.count')?.descriptor.unit).toBe('{link}');
    expect(collected.value('linkvisor.supervisor.up')).toBe(1);
  });

  it('server bounce: one disconnect and the reconnects by reason kind, as the link reported them; time to ready once; time down once', async () => {
    // The server restarts on a kept port: no other process can take it in between.
    const kept = await h.keptPort();
    const first = await h.wsServer(kept.behind);
    const supervisor = h.supervisor(FAST);
    m.instrument(supervisor);
    const link = supervisor.connect(first.url);
    const log = recordEvents(link);
    await link.ready();

    const lost = nextEvent(link, 'lost');
    const downAt = performance.now();
    await first.stop(); // terminates the socket: 1006, no close frame
    expect((await lost).reason.kind).toBe('close');
    await waitFor(() => log.count('reconnecting') >= 2, { message: 'a retry against the closed port' });
    const readyAgain = nextEvent(link, 'ready');
    await h.wsServer(kept.behind);
    await readyAgain;
    const downForS = (performance.now() - downAt) / 1000;

    const collected = await m.probe.collect();
    const reported = log.of<{ reason: Reason }>('reconnecting').map((e) => e.reason.kind);
    expect(collected.value('linkvisor.link.reconnects')).toBe(reported.length);
    for (const kind of new Set(reported)) {
      expect(collected.value('linkvisor.link.reconnects', { [KIND]: kind })).toBe(
        reported.filter((k) => k === kind).length,
      );
    }
    expect(collected.value('linkvisor.link.reconnects', { [KIND]: 'close' })).toBe(1);
    expect(collected.value('linkvisor.link.disconnects')).toBe(1);
    expect(collected.value('linkvisor.link.disconnects', { [KIND]: 'close' })).toBe(1);
    expect(collected.value('linkvisor.link.failures')).toBe(0);
    expect(collected.value('linkvisor.supervisor.outages')).toBe(1);

    // Time to ready: the first ready only (the second is the end of an outage).
    expect(collected.histogram('linkvisor.link.time_to_ready').count).toBe(1);
    const down = collected.histogram('linkvisor.link.down.duration', { [KIND]: 'close' });
    expect(down.count).toBe(1);
    expect(down.sum).toBeGreaterThan(0);
    expect(down.sum).toBeLessThanOrEqual(downForS);
    expect(collected.metric('linkvisor.link.down.duration')?.descriptor.unit).toBe('s');
  });

  it('heartbeat: round trips recorded in seconds; a peer that stops answering is a heartbeat disconnect', async () => {
    const silent = new Set<WebSocket>();
    let pongsSent = 0;
    const server = await h.wsServer({
      autoPong: false,
      onConnection: (ws) =>
        ws.on('ping', (data) => {
          if (silent.has(ws)) return;
          pongsSent++;
          ws.pong(data);
        }),
    });
    const supervisor = h.supervisor({ ...FAST, heartbeat: { intervalMs: 50, timeoutMs: 100, maxMissed: 1 } });
    m.instrument(supervisor);
    const link = supervisor.connect(server.url);
    await link.ready();
    await waitFor(() => pongsSent >= 3 && link.status().rttMs !== null, { message: 'three pongs' });

    // Read before collecting: a later pong can only widen the recorded range.
    const lastRttS = (link.status().rttMs as number) / 1000;
    let collected = await m.probe.collect();
    const rtt = collected.histogram('linkvisor.link.heartbeat.rtt');
    expect(rtt.count).toBeGreaterThanOrEqual(1);
    expect(rtt.count).toBeLessThanOrEqual(pongsSent);
    expect(rtt.min).toBeGreaterThanOrEqual(0);
    // The link's own last round trip (ms) is one of the values recorded (s).
    expect(lastRttS).toBeGreaterThanOrEqual(rtt.min);
    expect(lastRttS).toBeLessThanOrEqual(rtt.max);
    expect(collected.metric('linkvisor.link.heartbeat.rtt')?.descriptor.unit).toBe('s');

    const lost = nextEvent(link, 'lost');
    for (const ws of server.clients) silent.add(ws);
    expect((await lost).reason.kind).toBe('heartbeat');
    await link.ready();
    collected = await m.probe.collect();
    expect(collected.value('linkvisor.link.disconnects', { [KIND]: 'heartbeat' })).toBe(1);
    expect(collected.value('linkvisor.link.reconnects', { [KIND]: 'heartbeat' })).toBe(1);
    expect(collected.histogram('linkvisor.link.down.duration', { [KIND]: 'heartbeat' }).count).toBe(1);
  });

  it('a fatal close: one failure by reason kind, the link leaves the count, the outage is timed', async () => {
    let connections = 0;
    const server = await h.wsServer({
      // The first connection is closed with a policy violation when the client asks for it.
      onConnection: (ws) => {
        if (++connections === 1) ws.on('message', () => ws.close(1008, 'policy'));
      },
    });
    const supervisor = h.supervisor(FAST);
    m.instrument(supervisor);
    const link = supervisor.connect(server.url);
    const failed = nextEvent(link, 'failed');
    await link.ready();
    link.send('close me');
    expect((await failed).reason).toMatchObject({ kind: 'close', code: 1008 });
    await link.ended();

    const collected = await m.probe.collect();
    expect(collected.value('linkvisor.link.failures')).toBe(1);
    expect(collected.value('linkvisor.link.failures', { [KIND]: 'close' })).toBe(1);
    expect(collected.value('linkvisor.link.reconnects')).toBe(0);
    expect(collected.value('linkvisor.link.count')).toBe(0);
    expect(collected.value('linkvisor.supervisor.up')).toBe(0);
    // Lost while ready, never back: the outage ends with the link.
    expect(collected.histogram('linkvisor.link.down.duration', { [KIND]: 'close' }).count).toBe(1);
  });

  it('a link that gives up: failure kind gave-up; never ready, so no time to ready and no outage', async () => {
    const { port } = await h.keptPort();
    const supervisor = h.supervisor({ ...FAST, backoff: { ...FAST.backoff, maxAttempts: 2 } });
    m.instrument(supervisor);
    const link = supervisor.connect(`ws://${BEHIND_HOST}:${port}`);
    await link.ended();
    const collected = await m.probe.collect();
    expect(collected.value('linkvisor.link.failures', { [KIND]: 'gave-up' })).toBe(1);
    expect(collected.value('linkvisor.link.reconnects', { [KIND]: 'error' })).toBe(2);
    expect(collected.histogram('linkvisor.link.time_to_ready').count).toBe(0);
    expect(collected.histogram('linkvisor.link.down.duration').count).toBe(0);
  });

  it('queue overflow: depth and bytes while queued, drops by reason (overflow, then closed at the end)', async () => {
    const { port } = await h.keptPort();
    const supervisor = h.supervisor({
      ...FAST,
      backoff: { ...FAST.backoff, initialDelayMs: 60_000, maxDelayMs: 60_000 },
      queue: { maxMessages: 2, overflow: 'drop-oldest' },
    });
    m.instrument(supervisor);
    const link: Link = supervisor.connect(`ws://${BEHIND_HOST}:${port}`);
    const log = recordEvents(link);
    for (const m of ['a', 'bb', 'ccc', 'dddd', 'eeeee']) expect(link.send(m)).toBe('queued');

    let collected = await m.probe.collect();
    expect(collected.value('linkvisor.link.queue.depth')).toBe(2);
    expect(collected.value('linkvisor.link.queue.size')).toBe(4 + 5);
    expect(collected.metric('linkvisor.link.queue.size')?.descriptor.unit).toBe('By');
    expect(collected.value('linkvisor.link.messages.dropped', { 'linkvisor.drop.reason': 'overflow' })).toBe(
      3,
    );

    await link.close();
    collected = await m.probe.collect();
    expect(log.count('dropped')).toBe(5);
    expect(collected.value('linkvisor.link.messages.dropped', { 'linkvisor.drop.reason': 'closed' })).toBe(2);
    expect(collected.value('linkvisor.link.messages.dropped')).toBe(5);
    expect(collected.value('linkvisor.link.queue.depth')).toBe(0);
  });

  it('durations are read from the given clock (time to ready, time down), in seconds', async () => {
    let now = 1_000;
    // The server restarts on a kept port: no other process can take it in between.
    const kept = await h.keptPort();
    const first = await h.wsServer(kept.behind);
    const supervisor = h.supervisor(FAST);
    m.instrument(supervisor, { clock: { now: () => now } });
    const link = supervisor.connect(first.url);
    now = 1_250; // the clock moves before the link can become ready
    await link.ready();

    now = 5_000;
    const lost = nextEvent(link, 'lost');
    await first.stop();
    await lost;
    now = 5_750;
    const readyAgain = nextEvent(link, 'ready');
    await h.wsServer(kept.behind);
    await readyAgain;

    const collected = await m.probe.collect();
    expect(collected.histogram('linkvisor.link.time_to_ready')).toMatchObject({ count: 1, sum: 0.25 });
    expect(collected.histogram('linkvisor.link.down.duration')).toMatchObject({ count: 1, sum: 0.75 });
  });

  it('time to ready starts at connect() for a link created idle; an outage ended by close() is timed', async () => {
    let now = 1_000;
    const first = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    m.instrument(supervisor, { clock: { now: () => now } });
    const link = supervisor.connect(first.url, { autoConnect: false });
    now = 3_000;
    link.connect();
    now = 3_100;
    await link.ready();

    now = 10_000;
    const lost = nextEvent(link, 'lost');
    await first.stop();
    await lost;
    now = 12_500;
    await link.close();

    const collected = await m.probe.collect();
    expect(collected.histogram('linkvisor.link.time_to_ready')).toMatchObject({ count: 1, sum: 0.1 });
    expect(collected.histogram('linkvisor.link.down.duration', { [KIND]: 'close' })).toMatchObject({
      count: 1,
      sum: 2.5,
    });
  });

  it('a meter whose instruments throw cannot break a link: it stays ready through heartbeats and a bounce', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor({ ...FAST, heartbeat: { intervalMs: 30, timeoutMs: 1_000 } });
    const broken = () => {
      throw new Error('broken meter');
    };
    m.instrument(supervisor, (provider) => ({
      meter: new Proxy(provider.getMeter('broken'), {
        get: (target, key, receiver) => {
          const value = Reflect.get(target, key, receiver);
          if (key === 'createCounter') return () => ({ add: broken });
          if (key === 'createHistogram') return () => ({ record: broken });
          return typeof value === 'function' ? value.bind(target) : value;
        },
      }),
    }));
    const link = supervisor.connect(server.url);
    const log = recordEvents(link);
    await link.ready();
    await waitFor(() => link.status().rttMs !== null, { message: 'a heartbeat round trip' });
    const lost = nextEvent(link, 'lost');
    for (const ws of server.clients) ws.terminate();
    await lost;
    await link.ready();
    expect(link.actor.getSnapshot().status).toBe('active');
    // Throwing listeners are reported the documented way (LV_ERR_LISTENER), nothing else changes.
    for (const error of log.of<{ code: string }>('error')) expect(error.code).toBe('LV_ERR_LISTENER');
    expect((await m.probe.collect()).value('linkvisor.link.count', { [STATE]: 'ready' })).toBe(1);
  });
});
