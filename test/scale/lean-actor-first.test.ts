/**
 * src/runtime/lean-actor.ts checks XState's Actor shape on the first link actor of the process and
 * keeps the answer. What an application's `inspect` observer does to that first actor (it hears
 * `@xstate.actor` inside XState's constructor, before lean-actor runs: `actorRef.subscribe()`,
 * `actorRef.on()`) is not XState's shape: it must neither fail the check for every later link of
 * the process (all silently as XState made them, heavier) nor change what the application's
 * observer hears. Fresh modules (`vi.resetModules`): this file's first link actor is the process's.
 */
import { describe, expect, it, vi } from 'vitest';
import type { InspectionEvent } from 'xstate';

async function freshLinkvisor() {
  vi.resetModules();
  const index = await import('../../src/index.js');
  const testing = await import('../../src/testing/index.js');
  const lean = await import('../../src/runtime/lean-actor.js');
  return { ...index, ...testing, ListenersOnFirstUse: lean.ListenersOnFirstUse };
}

interface ActorInternals {
  eventListeners: unknown;
  observers: Set<unknown>;
}

describe("lean-actor's shape check on the process's first link actor", () => {
  it('an inspect observer that subscribes to (and listens on) the first link actor leaves later links lean', async () => {
    const lv = await freshLinkvisor();
    const clock = new lv.TestClock();
    const network = lv.createMemoryNetwork({ clock });
    network.listen('mem://first');
    const heard: string[] = [];
    const emitted: string[] = [];
    const inspect = (event: InspectionEvent) => {
      if (event.type !== '@xstate.actor') return;
      const ref = event.actorRef as unknown as {
        logic?: { id?: string };
        subscribe(next: (s: { value: unknown }) => void): unknown;
        on(type: string, handler: (e: { type: string }) => void): unknown;
      };
      if (ref.logic?.id !== 'connection') return;
      ref.subscribe((snapshot) => heard.push(JSON.stringify(snapshot.value)));
      ref.on('*', (e) => emitted.push(e.type));
    };
    const inspected = lv.createSupervisor({ transport: network.transport, clock, inspect });
    const first = inspected.connect('mem://first');
    const plain = lv.createSupervisor({ transport: network.transport, clock });
    const later = plain.connect('mem://first');
    for (let i = 0; i < 200 && !(first.state === 'ready' && later.state === 'ready'); i++)
      await clock.advance(50);
    expect([first.state, later.state]).toEqual(['ready', 'ready']);
    // The application's observer and listener hear the first link as before.
    expect(heard.length).toBeGreaterThan(0);
    expect(emitted.length).toBeGreaterThan(0);
    const firstActor = first.actor as unknown as ActorInternals;
    // Its listener map is the application's (kept), its observer first, the link's after it.
    expect(firstActor.eventListeners).toBeInstanceOf(Map);
    expect(firstActor.observers.size).toBe(2);
    // A later link, nobody listening: lean (the check did not latch false on the inspector's doing).
    expect((later.actor as unknown as ActorInternals).eventListeners).toBeInstanceOf(lv.ListenersOnFirstUse);
    await inspected.close();
    await plain.close();
  });

  it('an XState of another shape (a seventh option key) is left as XState made it: the link subscribes, hears, fails', async () => {
    const lv = await freshLinkvisor();
    const { leanActor } = await import('../../src/runtime/lean-actor.js');
    // The first actor the check reads has another shape: nothing is changed, false, and so for every later one.
    const other = {
      options: { clock: 0, logger: 0, devTools: 0, id: 0, input: 0, parent: 0, more: 0 },
      eventListeners: new Map(),
      observers: new Set(),
    };
    const link = { onSnapshot: () => {}, onActorError: () => {} };
    expect(leanActor(other as never, link)).toBe(false);
    expect(other.observers.size).toBe(0);
    const clock = new lv.TestClock();
    const network = lv.createMemoryNetwork({ clock });
    const server = network.listen('mem://other');
    const supervisor = lv.createSupervisor({ transport: network.transport, clock });
    const made = supervisor.connect('mem://other');
    for (let i = 0; i < 200 && made.state !== 'ready'; i++) await clock.advance(50);
    expect(made.state).toBe('ready');
    const actor = made.actor as unknown as ActorInternals & { options: object };
    expect(actor.eventListeners).toBeInstanceOf(Map);
    expect(Object.keys(actor.options)).toEqual(['clock', 'logger', 'devTools', 'id', 'input', 'parent']);
    // The link's observer is subscribe()'s (XState's toObserver object), and it hears a drop.
    expect(actor.observers.size).toBe(1);
    const states: string[] = [];
    made.on('state', ({ to }) => states.push(to));
    server.dropAll(1006);
    for (let i = 0; i < 200 && !states.includes('ready'); i++) await clock.advance(50);
    expect(states).toContain('reconnecting');
    expect(states).toContain('ready');
    await supervisor.close();
  });

  // Round 49 (review): the set of one and the deferred queue's storage read `observers` (a Set) and
  // `_deferred` (an array): an XState without either is left as it is, options and all.
  for (const [what, parts] of [
    ['no _deferred array', { observers: new Set() }],
    ['observers not a Set', { observers: [], _deferred: [] }],
  ] as const) {
    it(`an XState whose actor has ${what} is left as XState made it`, async () => {
      await freshLinkvisor();
      const { leanActor } = await import('../../src/runtime/lean-actor.js');
      const options = { clock: 0, logger: 0, devTools: 0, id: 0, input: 0, parent: 0 };
      const other = { options, eventListeners: new Map(), ...parts };
      const link = { onSnapshot: () => {}, onActorError: () => {} };
      expect(leanActor(other as never, link)).toBe(false);
      expect(other.options).toBe(options);
      expect(other.eventListeners).toBeInstanceOf(Map);
      expect(other.observers).toBe(parts.observers);
      expect([...other.observers]).toEqual([]);
    });
  }
});
