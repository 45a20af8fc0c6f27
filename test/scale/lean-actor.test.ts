/**
 * What an idle supervisor link's XState actor no longer keeps (src/runtime/lean-actor.ts,
 * BENCHMARKS.md round 48 (idle heap)): its options share one hidden class across links (XState's
 * spread gave each actor's a hidden class, descriptor array and property array: ~250 B a link),
 * and it has no event listener `Map` until something listens (~150 B a link). Structural
 * assertions, no heap or timing bounds: V8's own answer in a child process for the hidden class,
 * the actor's fields for the rest, and the canary that XState still builds what lean-actor.ts
 * replaces (a change there would leave every link as XState made it, silently heavier).
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createActor, createMachine } from 'xstate';
import { createSupervisor, type Link } from '../../src/index.js';
import { ListenersOnFirstUse, ObserverSetOfOne } from '../../src/runtime/lean-actor.js';
import { createMemoryNetwork, TestClock } from '../../src/testing/index.js';
import { memoryWorld, untilOnClock } from '../helpers/clock-run.js';
import { runNativesChild } from '../helpers/natives-child.js';

const CHILD = fileURLToPath(new URL('./fixtures/lean-actor-child.ts', import.meta.url));

interface ActorInternals {
  options: Record<string, unknown>;
  eventListeners: ReadonlyMap<string, Set<unknown>>;
  observers: ReadonlySet<unknown>;
  _deferred: unknown[];
  id: string;
  _parent: unknown;
}

const internals = (link: Link) => link.actor as unknown as ActorInternals;

describe("a link actor's options and listener map", () => {
  it('canary: XState resolves { id, input, parent } to these six keys and makes an empty Map', () => {
    const machine = createMachine({});
    const parent = createActor(machine);
    const actor = createActor(machine, { id: 'a', input: { n: 1 }, parent }) as unknown as ActorInternals;
    expect(Object.keys(actor.options)).toEqual(['clock', 'logger', 'devTools', 'id', 'input', 'parent']);
    expect(actor.eventListeners).toBeInstanceOf(Map);
    expect(actor.eventListeners.size).toBe(0);
    expect((actor as unknown as ActorInternals).observers).toBeInstanceOf(Set);
    expect(Array.isArray((actor as unknown as ActorInternals)._deferred)).toBe(true);
  });

  it('links share one hidden class for their options, with fast properties (XState alone does not)', {
    timeout: 120_000,
  }, async () => {
    expect(await runNativesChild(CHILD)).toEqual({ links: true, bare: false });
  });

  it("keep XState's option values, and make the listener map when actor.on() is first called", async () => {
    const { clock, server, supervisor } = memoryWorld('mem://lean');
    const links = [supervisor.connect('mem://lean'), supervisor.connect('mem://lean')];
    await untilOnClock(clock, () => links.every((link) => link.state === 'ready'), 'ready');
    for (const link of links) {
      const actor = internals(link);
      expect(Object.keys(actor.options)).toEqual(['clock', 'logger', 'devTools', 'id', 'input', 'parent']);
      expect(actor.options.id).toBe(link.id);
      expect(actor.options.parent).toBe(actor._parent);
      expect(actor.options.devTools).toBe(false);
      expect((actor.options.input as { linkId: string }).linkId).toBe(link.id);
      // Idle, nobody listening: no Map yet, read as an empty one.
      expect(actor.eventListeners).toBeInstanceOf(ListenersOnFirstUse);
      expect(actor.eventListeners.size).toBe(0);
      expect(actor.eventListeners.get('*')).toBeUndefined();
      expect([...actor.eventListeners.values()]).toEqual([]);
    }
    // The application listens on the actor itself: XState's on() gets a real Map, and hears.
    const [first, second] = links as [Link, Link];
    const heard: string[] = [];
    const subscription = first.actor.on('lost', (event) => heard.push(event.type));
    expect(internals(first).eventListeners).toBeInstanceOf(Map);
    expect(internals(first).eventListeners.size).toBe(1);
    // The link's own relay (link.on) on the other: a Map with XState's '*' entry.
    const relayed: string[] = [];
    second.on('lost', () => relayed.push('lost'));
    expect(internals(second).eventListeners).toBeInstanceOf(Map);
    expect(internals(second).eventListeners.has('*')).toBe(true);
    server.dropAll(1006);
    await untilOnClock(clock, () => heard.length === 1 && relayed.length === 1, 'both heard the drop');
    expect(heard).toEqual(['lost']);
    subscription.unsubscribe();
    await untilOnClock(clock, () => links.every((link) => link.state === 'ready'), 'ready again');
    server.dropAll(1006);
    await untilOnClock(clock, () => relayed.length === 2, 'the relay heard the second drop');
    expect(heard).toEqual(['lost']);
    await supervisor.close();
  });

  it("an idle link's observer alone in an ObserverSetOfOne; an application's subscribe gets a real Set, both hear", async () => {
    const { clock, server, supervisor } = memoryWorld('mem://lean');
    const link = supervisor.connect('mem://lean');
    await untilOnClock(clock, () => link.state === 'ready', 'ready');
    const actor = internals(link);
    expect(actor.observers).toBeInstanceOf(ObserverSetOfOne);
    expect(actor.observers.size).toBe(1);
    expect([...actor.observers]).toHaveLength(1);
    // Every deferred task run, and its queue's storage given back (the next snapshot's observer).
    expect(actor._deferred).toHaveLength(0);
    const seen: string[] = [];
    const subscription = link.actor.subscribe((snapshot) => seen.push(String(snapshot.value)));
    expect(actor.observers).toBeInstanceOf(Set);
    expect(actor.observers.size).toBe(2);
    const states: string[] = [];
    link.on('state', ({ to }) => states.push(to));
    server.dropAll(1006);
    await untilOnClock(
      clock,
      () => seen.length > 0 && link.state === 'ready',
      'ready again, the subscriber heard',
    );
    expect(states).toContain('ready');
    subscription.unsubscribe();
    expect(actor.observers.size).toBe(1);
    await supervisor.close();
  });

  it("an actor that fails reaches its link through the observer in XState's set: failed, reported", async () => {
    // A clock whose setTimeout throws once armed: the link actor's next timer fails its step.
    class ArmedClock extends TestClock {
      armed = false;
      override setTimeout(fn: () => void, ms: number): number {
        if (this.armed) throw new Error('clock broke');
        return super.setTimeout(fn, ms);
      }
    }
    const clock = new ArmedClock();
    const network = createMemoryNetwork({ clock });
    network.listen('mem://lean');
    const supervisor = createSupervisor({ transport: network.transport, clock });
    const link = supervisor.connect('mem://lean');
    await untilOnClock(clock, () => link.state === 'ready', 'ready');
    const failed: string[] = [];
    link.on('failed', ({ reason }) => failed.push(reason.message));
    link.on('error', () => {});
    clock.armed = true;
    await untilOnClock(clock, () => failed.length === 1, 'failed');
    expect(failed[0]).toMatch(/^the link actor failed: .*clock broke/);
    expect(link.state).toBe('failed');
    await expect(link.ready()).rejects.toMatchObject({ code: 'LV_ERR_LINK_FAILED' });
    clock.armed = false;
    await supervisor.close();
  });
});
