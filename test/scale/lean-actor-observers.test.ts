/**
 * An application's observers on a lean link actor (src/runtime/lean-actor.ts's ObserverSetOfOne)
 * behave as in XState's own `Set` (round 49's review): one subscribed while the link's observer is
 * being told of a step (from a `link.on('state')` listener) hears that step's snapshot, as a `Set`
 * visits what is added while it is iterated; two application observers, unsubscribing and
 * subscribing again; nothing kept after close.
 */
import { describe, expect, it } from 'vitest';
import type { Link } from '../../src/index.js';
import { ObserverSetOfOne } from '../../src/runtime/lean-actor.js';
import { memoryWorld, untilOnClock } from '../helpers/clock-run.js';

const observersOf = (link: Link) => (link.actor as unknown as { observers: ReadonlySet<unknown> }).observers;

describe("an application's observers on a lean link actor", () => {
  it("one subscribed from the link's state listener hears that step's snapshot (as XState's Set)", async () => {
    const { clock, server, supervisor } = memoryWorld('mem://observers');
    const link = supervisor.connect('mem://observers');
    await untilOnClock(clock, () => link.state === 'ready', 'ready');
    const heard: string[] = [];
    let subscribed = false;
    link.on('state', ({ to }) => {
      if (to !== 'reconnecting' || subscribed) return;
      subscribed = true;
      link.actor.subscribe((snapshot) => heard.push(JSON.stringify(snapshot.value)));
    });
    server.dropAll(1006);
    await untilOnClock(clock, () => subscribed && link.state === 'ready', 'subscribed, ready again');
    // The step that made the link reconnecting was heard by the observer subscribed in it.
    expect(heard[0]).toMatch(/reconnecting/);
    await supervisor.close();
  });

  it('two application observers, one unsubscribed and subscribed again: each hears, the link too', async () => {
    const { clock, server, supervisor } = memoryWorld('mem://observers');
    const link = supervisor.connect('mem://observers');
    await untilOnClock(clock, () => link.state === 'ready', 'ready');
    const a: unknown[] = [];
    const b: unknown[] = [];
    const subA = link.actor.subscribe((s) => a.push(s.value));
    let subB = link.actor.subscribe((s) => b.push(s.value));
    expect(observersOf(link).size).toBe(3);
    subB.unsubscribe();
    subB.unsubscribe();
    expect(observersOf(link).size).toBe(2);
    subB = link.actor.subscribe((s) => b.push(s.value));
    const states: string[] = [];
    link.on('state', ({ to }) => states.push(to));
    server.dropAll(1006);
    await untilOnClock(clock, () => states.at(-1) === 'ready', 'ready again');
    expect(a.length).toBeGreaterThan(0);
    expect(b).toEqual(a);
    expect(states).toEqual(['reconnecting', 'ready']);
    subA.unsubscribe();
    subB.unsubscribe();
    expect(observersOf(link).size).toBe(1);
    await supervisor.close();
    // Stopped: XState cleared its observers, whichever set holds them.
    expect(observersOf(link).size).toBe(0);
    expect([...observersOf(link)]).toEqual([]);
  });

  it('ObserverSetOfOne: an add while iterated is visited; an iteration inside another keeps its own place', () => {
    const actorA: { observers?: Set<unknown> | ObserverSetOfOne } = {};
    const actorB: { observers?: Set<unknown> | ObserverSetOfOne } = {};
    const a = new ObserverSetOfOne(actorA, 'link A');
    const b = new ObserverSetOfOne(actorB, 'link B');
    actorA.observers = a;
    actorB.observers = b;
    const visited: unknown[] = [];
    for (const observer of a) {
      visited.push(observer);
      if (observer === 'link A') {
        a.add('app A');
        for (const inner of b) visited.push(inner);
        (actorA.observers as unknown as Set<unknown>).add('app A2');
      }
    }
    expect(visited).toEqual(['link A', 'link B', 'app A', 'app A2']);
    expect([...(actorA.observers as unknown as Set<unknown>)]).toEqual(['link A', 'app A', 'app A2']);
    expect([...b]).toEqual(['link B']);
    b.delete('link B');
    expect([...b]).toEqual([]);
    expect(b.size).toBe(0);
    b.add('again');
    expect([...b]).toEqual(['again']);
  });
});
