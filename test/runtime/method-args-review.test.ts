/**
 * Review of round 26's method-argument checks (i26args): what worked before the checks and must
 * keep working, each pinned against the real thing (a `ws` server on loopback, the memory network
 * on a simulated clock), nothing left after close. Found broken by the merge (b5f4628):
 * - `supervisor.get(5)` found the link `link:5` (the lookup's `link:${id}` template made the
 *   number its string) and now threw LV_ERR_INVALID_OPTION: a number is looked up as its string again;
 * - `createStatelyInspector({ maxDeferredEvents: 0 })` (hold nothing while the receiver is away:
 *   the link's `queue.maxMessages` takes 0) was refused as "between 1 and …";
 * - `createInspector({ maxRecordsPerActor | maxRecords | maxEndedActors: Infinity })` (keep
 *   everything, a test's or a debugging session's choice) was refused as "must be a finite number".
 * Checked and fine (pinned here): observer objects with only `error`/`complete`, a getter or a
 * bound `next`, `@statelyai/inspect`'s `inspect` ({ next }), `observe(fn)` seeing each later link
 * once and nothing after unsubscribe(), `clock.fire(0)`, a peer's `close()` with default code,
 * ids that are numbers-as-strings, and the errors describing (never quoting) what they refuse.
 */
import { describe, expect, it } from 'vitest';
import type { AnyActorRef, InspectionEvent } from 'xstate';
import { createSupervisor } from '../../src/index.js';
import { combineInspectors, createInspector, createStatelyInspector } from '../../src/inspector/index.js';
import { createMemoryNetwork, type MemoryPeer, TestClock } from '../../src/testing/index.js';
import { FAST, useHarness } from '../helpers/harness.js';

/** A memory network on a simulated clock with one echo-less server, and its supervisor. */
async function memorySetup() {
  const clock = new TestClock();
  const network = createMemoryNetwork({ clock });
  const server = network.listen('mem://feed');
  const peers: MemoryPeer[] = [];
  server.onConnection((peer) => peers.push(peer));
  const supervisor = createSupervisor({ clock, transport: network.transport, networkSignals: false });
  return { clock, server, peers, supervisor };
}

describe('round 26 argument checks: what worked before still works', () => {
  const h = useHarness();

  it('supervisor.get(5) finds link:5, as before the checks; ids that are numbers-as-strings too', async () => {
    const { clock, supervisor } = await memorySetup();
    const link = supervisor.connect('mem://feed', { id: '5' });
    await link.ready();
    expect(supervisor.get(5 as never)).toBe(link);
    expect(supervisor.get('5')).toBe(link);
    expect(supervisor.get('link:5')).toBe(link);
    expect(supervisor.get(6 as never)).toBeUndefined();
    expect(await clock.fire(0)).toBe(false);
    await supervisor.close();
    expect(supervisor.list()).toEqual([]);
    expect(clock.pending).toBe(0);
  });

  it('createStatelyInspector({ maxDeferredEvents: 0 }) is taken, and leaves nothing after stop()', async () => {
    const server = await h.wsServer();
    const stately = await createStatelyInspector({ url: server.url, maxDeferredEvents: 0 });
    await stately.link.ready();
    const supervisor = h.supervisor({ ...FAST, networkSignals: false, inspect: stately.inspect });
    await supervisor.connect(server.url).ready();
    await supervisor.close();
    await stately.stop();
    expect(stately.link.state).toBe('closed');
  });

  it('createInspector: an Infinity bound keeps everything, as before the checks', async () => {
    const { clock, supervisor } = await memorySetup();
    const inspector = createInspector({
      maxRecordsPerActor: Number.POSITIVE_INFINITY,
      maxRecords: Number.POSITIVE_INFINITY,
      maxEndedActors: Number.POSITIVE_INFINITY,
    });
    supervisor.observe(inspector.inspect);
    for (let i = 0; i < 25; i++) {
      const link = supervisor.connect('mem://feed', { id: `l${i}` });
      await link.ready();
      await link.close();
    }
    // 25 ended links kept (the default keeps 20).
    expect(inspector.actors().filter((a) => a.id.startsWith('link:l')).length).toBe(25);
    inspector.dispose();
    await supervisor.close();
    expect(clock.pending).toBe(0);
  });

  it('observe(): observers XState takes are taken; a function sees each later link once, none after unsubscribe', async () => {
    const { supervisor, peers } = await memorySetup();
    await supervisor.connect('mem://feed', { id: 'first' }).ready();
    const opens = new Map<string, number>();
    const count = (event: InspectionEvent) => {
      if (event.type !== '@xstate.event' || event.event.type !== 'transport.open') return;
      const id = (event.actorRef as AnyActorRef).id;
      opens.set(id, (opens.get(id) ?? 0) + 1);
    };
    const recorder = {
      events: 0,
      next(event: InspectionEvent) {
        this.events++;
        count(event);
      },
    };
    const stately = { inspect: { next: (_event: InspectionEvent) => {} } };
    const subs = [
      supervisor.observe(count),
      supervisor.observe({ error: () => {}, complete: () => {} }),
      supervisor.observe({
        get next() {
          return (_event: InspectionEvent) => {};
        },
      }),
      supervisor.observe({ next: recorder.next.bind(recorder) }),
      supervisor.observe(stately.inspect),
      supervisor.observe(combineInspectors(stately.inspect, undefined)),
    ];
    await supervisor.connect('mem://feed', { id: 'later' }).ready();
    // Two observers count: the function and the bound method, once each.
    expect(opens.get('link:later')).toBe(2);
    expect(recorder.events).toBeGreaterThan(0);
    for (const sub of subs) sub.unsubscribe();
    const heard = recorder.events;
    await supervisor.connect('mem://feed', { id: 'after' }).ready();
    expect(recorder.events).toBe(heard);
    expect(opens.has('link:after')).toBe(false);
    await peers[0]?.close();
    await supervisor.close();
    expect(supervisor.list()).toEqual([]);
  });

  it('errors describe what they refuse, never quote it (a URL with a token given as an id)', () => {
    const secret = 'wss://example.org/feed?token=s3cr3t';
    const supervisor = h.supervisor({ ...FAST, networkSignals: false });
    const tries: (() => unknown)[] = [
      () => supervisor.get({ url: secret } as never),
      () => supervisor.watcher([secret] as never),
      () => supervisor.observe(secret as never),
      () => combineInspectors(secret as never),
      () => createInspector({ now: secret } as never).dispose(),
    ];
    for (const attempt of tries) {
      let message = '';
      try {
        attempt();
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/LV_ERR_INVALID_OPTION|must be/);
      expect(message).not.toContain('s3cr3t');
    }
  });
});
