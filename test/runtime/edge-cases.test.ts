/**
 * Edge cases found in review, each with the failure it used to cause: a close() that hung, an
 * uncaught exception, a lost Retry-After, a replaced link, a promise that never settled.
 */
import { describe, expect, it } from 'vitest';
import { createActor, setup, spawnChild, stopChild } from 'xstate';
import { createSupervisor, defineLink, type LinkvisorError } from '../../src/index.js';
import { createMemoryNetwork, settle, TestClock } from '../../src/testing/index.js';

function world(inProcess = false) {
  const clock = new TestClock();
  const network = createMemoryNetwork({ clock, inProcess });
  const server = network.listen('mem://svc');
  return { clock, network, server };
}

/** Drives the clock until `promise` settles (bounded), then returns it. */
async function drive<T>(clock: TestClock, promise: Promise<T>): Promise<T> {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < 200 && !done; i++) await clock.advance(50);
  expect(done, 'the promise did not settle').toBe(true);
  return promise;
}

/** An application actor that spawns a `feed` link and stops it on `drop`. */
function droppableFeed(network: ReturnType<typeof world>['network'], clock: TestClock) {
  const feed = defineLink('mem://svc', { heartbeat: false }, { transport: network.transport, clock });
  const app = createActor(
    setup({ actors: { feed: feed.machine } }).createMachine({
      entry: spawnChild('feed', { id: 'feed', input: () => feed.input({ id: 'feed' }) }),
      on: { drop: { actions: stopChild('feed') } },
    }),
    { clock },
  ).start();
  return { feed, app };
}

describe('edge cases', () => {
  it('a heartbeat ping() or isPong() that throws is reported, and close() still completes', async () => {
    const { clock, network, server } = world();
    server.onConnection((peer) => peer.send('hello'));
    const errors: LinkvisorError[] = [];
    const supervisor = createSupervisor({ transport: network.transport, clock });
    const link = supervisor.connect('mem://svc', {
      heartbeat: {
        intervalMs: 100,
        timeoutMs: 100,
        ping: () => {
          throw new Error('no ping');
        },
        isPong: () => {
          throw new Error('no match');
        },
      },
    });
    link.on('error', (e) => errors.push(e));
    await clock.advance(250);
    expect(link.state).toBe('ready');
    expect(errors.map((e) => e.message)).toEqual(
      expect.arrayContaining(['heartbeat.ping() threw', 'heartbeat.isPong() threw']),
    );
    await drive(clock, supervisor.close());
    expect(clock.pending).toBe(0);
  });

  it('close() from a `down` listener while the last link fails fatally completes', async () => {
    const { clock, network, server } = world();
    const supervisor = createSupervisor({ transport: network.transport, clock, heartbeat: false });
    const link = supervisor.connect('mem://svc');
    await clock.advance(10);
    expect(link.state).toBe('ready');
    let closing: Promise<void> | null = null;
    supervisor.on('down', () => {
      closing = supervisor.close();
    });
    server.dropAll(1008, 'policy');
    await clock.advance(10);
    expect(closing).not.toBeNull();
    await drive(clock, closing as unknown as Promise<void>);
    expect(link.state).toBe('failed');
  });

  it('connect() from an `up` listener works and close() completes', async () => {
    const { clock, network } = world();
    const supervisor = createSupervisor({ transport: network.transport, clock, heartbeat: false });
    const more: string[] = [];
    supervisor.on('up', () => {
      if (more.length === 0) more.push(supervisor.connect('mem://svc', { id: 'second' }).id);
    });
    supervisor.connect('mem://svc', { id: 'first' });
    await clock.advance(10);
    expect(more).toEqual(['link:second']);
    expect(supervisor.get('second')?.state).toBe('ready');
    await drive(clock, supervisor.close());
  });

  it('ids never collide: explicit ids, automatic ids and group members', async () => {
    const { clock, network } = world();
    const supervisor = createSupervisor({ transport: network.transport, clock, heartbeat: false });
    supervisor.connect('mem://svc', { id: '2' });
    const a = supervisor.connect('mem://svc');
    const b = supervisor.connect('mem://svc');
    expect(new Set(['link:2', a.id, b.id]).size).toBe(3);
    supervisor.connect('mem://svc', { id: 'x/0' });
    expect(() => supervisor.connectGroup(['mem://svc', 'mem://svc'], { id: 'x' })).toThrow(
      expect.objectContaining({ code: 'LV_ERR_DUPLICATE_ID' }),
    );
    await drive(clock, supervisor.close());
  });

  it('a Retry-After hint survives the reconnect switch (suspended → reconnecting)', async () => {
    const { clock, network, server } = world();
    const supervisor = createSupervisor({ transport: network.transport, clock, heartbeat: false });
    supervisor.setReconnect(false);
    server.refuse({ status: 503, retryAfterSeconds: 30 });
    const link = supervisor.connect('mem://svc');
    const planned: { delayMs: number; kind: string }[] = [];
    link.on('reconnecting', ({ delayMs, reason }) => planned.push({ delayMs, kind: reason.kind }));
    await clock.advance(10);
    expect(link.state).toBe('suspended');
    supervisor.setReconnect(true);
    await settle();
    expect(planned).toEqual([{ delayMs: expect.any(Number), kind: 'http' }]);
    expect(planned[0]?.delayMs).toBeGreaterThanOrEqual(30_000);
    await drive(clock, supervisor.close());
  });

  it('a backoff function returning more than a timer can hold is refused (it would fire at once)', async () => {
    const { clock, network, server } = world();
    server.refuse();
    const supervisor = createSupervisor({ transport: network.transport, clock, heartbeat: false });
    const link = supervisor.connect('mem://svc', { backoff: () => 2 ** 31 });
    const errors: string[] = [];
    link.on('error', (e) => errors.push(e.code));
    await clock.advance(10);
    expect(link.state).toBe('reconnecting');
    expect(link.status().nextDelayMs).toBeLessThanOrEqual(2 ** 31 - 1);
    expect(errors).toContain('LV_ERR_INVALID_DELAY');
    await drive(clock, supervisor.close());
  });

  it('defineLink: a child stopped and spawned again with the same id keeps its new wire', async () => {
    const { clock, network } = world(true);
    const feed = defineLink('mem://svc', { heartbeat: false }, { transport: network.transport, clock });
    const app = createActor(
      setup({ actors: { feed: feed.machine } }).createMachine({
        entry: spawnChild('feed', { id: 'feed', input: () => feed.input({ id: 'feed' }) }),
        on: {
          restart: {
            actions: [
              stopChild('feed'),
              spawnChild('feed', { id: 'feed', input: () => feed.input({ id: 'feed' }) }),
            ],
          },
        },
      }),
      { clock },
    ).start();
    await settle();
    app.send({ type: 'restart' });
    await settle();
    const child = app.getSnapshot().children.feed;
    expect(child?.getSnapshot().value).toEqual({ attempt: { ready: 'unmonitored' } });
    expect(feed.handle(child as never).send('hi')).toBe('sent');
    app.stop();
  });

  it('a link actor stopped while connected ends its socket (a stopped actor runs no exit action)', async () => {
    const { clock, network, server } = world();
    const { feed, app } = droppableFeed(network, clock);
    await drive(clock, feed.handle(app.getSnapshot().children.feed as never).ready());
    expect(server.peers).toHaveLength(1);
    app.send({ type: 'drop' });
    await settle();
    expect(server.peers).toHaveLength(0);
    app.stop();
  });

  it('ready() settles when a spawned link is stopped before it was ever ready', async () => {
    const { clock, network, server } = world();
    server.stall();
    const { feed, app } = droppableFeed(network, clock);
    const ready = feed.handle(app.getSnapshot().children.feed as never).ready();
    app.send({ type: 'drop' });
    await expect(ready).rejects.toMatchObject({ code: 'LV_ERR_LINK_CLOSED' });
    app.stop();
  });
});
