/**
 * Canaries of the XState internals a stepped start relies on (src/stepper/stepped-machine.ts
 * `start`, ./stepped-start.test.ts for the connection chart), on toy charts whose start a kept
 * start cannot replay: XState's `getInitialSnapshot` is the context factory's result assigned onto
 * an empty context, then `initialMicrostep` (the root and every initial state node entered by
 * default, root first: entry actions, then the initial transition's; no inspection event), then
 * its macrostep of `{ type: 'xstate.init', input }` (eventless transitions guarded on that event,
 * raised events, each microstep inspected), its actions deferred to the actor's start. A later
 * XState that starts otherwise fails here: the stepped start's snapshot, actions, inspection events
 * and timers are compared with XState's own start of the same chart. A start the stepper cannot
 * take, or one that throws, is XState's (nothing handed on twice).
 */
import { describe, expect, it } from 'vitest';
import {
  type AnyStateMachine,
  assign,
  createActor,
  emit,
  type InspectionEvent,
  raise,
  setup,
  stopChild,
} from 'xstate';
import { keepStarts } from '../../machines/kept-start.js';
import { stepMachine, stepperStats } from '../../src/stepper/stepped-machine.js';

const POLICY = Object.freeze({ limit: 2 });

type Ctx = { policy: typeof POLICY; n: number; log: string[] };

/** A toy chart whose start takes several microsteps, assigns, emits with params and raises. */
function toy(extra: { entry?: unknown; guard?: () => boolean } = {}) {
  return setup({
    types: {} as { context: Ctx; input: { n: number } },
    actions: {
      note: ({ context, event }, params: { what: string }) =>
        context.log.push(`${params.what} ${context.n} ${event.type}`),
    },
    guards: {
      below: ({ context, event }) => context.n < context.policy.limit && event.type !== 'never',
      extra: () => (extra.guard ? extra.guard() : true),
    },
  }).createMachine({
    id: 'toy',
    context: ({ input }) => ({ policy: POLICY, n: input.n, log: [] }),
    entry: [{ type: 'note', params: { what: 'root' } }],
    initial: 'a',
    states: {
      a: {
        entry: [assign({ n: ({ context }) => context.n + 1 }), { type: 'note', params: { what: 'a' } }],
        initial: 'a1',
        states: {
          a1: {
            entry: [
              emit(({ context }) => ({ type: 'counted', n: context.n })),
              raise({ type: 'go' }),
              ...(extra.entry ? [extra.entry as never] : []),
            ],
            always: { guard: 'below', target: 'a2' },
            on: { go: { target: 'a3', actions: assign({ n: ({ context }) => context.n * 10 }) } },
          },
          a2: { entry: { type: 'note', params: { what: 'a2' } }, always: { guard: 'extra', target: 'a3' } },
          a3: { after: { 500: 'a4' } },
          a4: { always: { target: '#toy.end' } },
        },
      },
      end: { type: 'final' },
    },
  }) as unknown as AnyStateMachine;
}

/** Everything seen of an actor of `machine` started with `input`: its created snapshot's parts,
 * every inspection event, its announcements, its timers, its snapshot after its start. */
function seen(machine: AnyStateMachine, input: unknown) {
  const events: string[] = [];
  const emitted: string[] = [];
  const actor = createActor(machine, {
    id: 'toy-link',
    input,
    inspect: (e: InspectionEvent) => {
      if ((e.actorRef as { id?: string }).id !== 'toy-link') return;
      const detail =
        e.type === '@xstate.microstep'
          ? [e.event, e.snapshot, e._transitions.map((t) => [t.eventType, t.target?.map((n) => n.id)])]
          : e.type === '@xstate.action'
            ? e.action
            : e.type === '@xstate.event'
              ? e.event
              : e.type === '@xstate.snapshot'
                ? e.snapshot
                : null;
      events.push(
        `${e.type} ${JSON.stringify(detail, (k, v) => (k === 'machine' || k === '_nodes' ? undefined : v))}`,
      );
    },
  });
  actor.on('*', (e) => emitted.push(JSON.stringify(e)));
  // A start in error reports it to a subscriber (else thrown, unhandled).
  actor.subscribe({ error: () => {} });
  const created = actor.getSnapshot();
  const parts = (s: typeof created) => ({
    value: s.value,
    context: s.context,
    tags: [...s.tags],
    status: s.status,
    children: s.children,
    historyValue: s.historyValue,
    error: s.error ? String(s.error) : undefined,
    nodes: s._nodes.map((n: { id: string }) => n.id).sort(),
  });
  const before = parts(created);
  actor.start();
  const timers = Object.values(actor.system.getSnapshot()._scheduledEvents).map(({ event, delay }) => ({
    event,
    delay,
  }));
  const after = parts(actor.getSnapshot());
  actor.stop();
  return { before, after, timers, events, emitted };
}

/** A stepped machine with kept starts (a toy's first link judged by XState's start). */
function stepped(machine: AnyStateMachine): AnyStateMachine {
  keepStarts(machine);
  const logic = stepMachine(machine);
  seen(logic, { n: 0 });
  return logic;
}

describe("a stepped start relies on XState's start as it is (canaries)", () => {
  it('several microsteps, assigns, custom actions with params, emit, raise, guards on the init event, a delayed raise: XState’s start exactly', () => {
    for (const n of [0, 1, 5]) {
      const logic = stepped(toy());
      const mine = seen(logic, { n });
      expect(stepperStats(logic)?.starts).toBe(1);
      expect(mine).toEqual(seen(toy(), { n }));
      expect(mine.events.some((e) => e.startsWith('@xstate.microstep'))).toBe(true);
    }
  });

  it('initial transitions with actions (the root’s and a nested state’s): each after its state’s entry, the root’s too, XState’s start exactly', () => {
    const withInitialActions = () =>
      setup({
        types: {} as { context: { policy: typeof POLICY; log: string[] } },
        actions: {
          note: ({ context, event }, params: { what: string }) =>
            context.log.push(`${params.what} ${event.type}`),
        },
      }).createMachine({
        id: 'initials',
        context: () => ({ policy: POLICY, log: [] as string[] }),
        entry: { type: 'note', params: { what: 'root entry' } },
        initial: {
          target: 'a',
          actions: [
            { type: 'note', params: { what: 'root initial' } },
            emit(({ context }) => ({ type: 'seen', log: [...context.log] })),
          ],
        },
        states: {
          a: {
            entry: { type: 'note', params: { what: 'a entry' } },
            initial: { target: 'a1', actions: { type: 'note', params: { what: 'a initial' } } },
            states: {
              a1: { entry: { type: 'note', params: { what: 'a1 entry' } }, always: { target: 'a2' } },
              a2: { entry: emit(() => ({ type: 'a2' })) },
            },
          },
        },
      }) as unknown as AnyStateMachine;
    const logic = stepped(withInitialActions());
    const mine = seen(logic, {});
    expect(stepperStats(logic)?.starts).toBe(1);
    expect(mine).toEqual(seen(withInitialActions(), {}));
    // The order XState 5.33 runs them in (a later XState that reorders them fails here).
    expect(
      mine.events.filter((e) => e.startsWith('@xstate.action')).map((e) => JSON.parse(e.slice(14)).params),
    ).toEqual([
      { what: 'root entry' },
      { what: 'root initial' },
      { event: { type: 'seen', log: [] } },
      { what: 'a entry' },
      { what: 'a initial' },
      { what: 'a1 entry' },
      { event: { type: 'a2' } },
    ]);
  });

  it('a start that ends the machine (a root-level final state) is XState’s', () => {
    const ending = setup({}).createMachine({
      id: 'ending',
      context: () => ({ policy: POLICY }),
      initial: 'a',
      states: {
        a: { entry: raise({ type: 'x' }), on: { x: 'b' } },
        b: { always: 'end' },
        end: { type: 'final' },
      },
    }) as unknown as AnyStateMachine;
    const logic = stepped(ending);
    const mine = seen(logic, {});
    expect(mine.before.status).toBe('done');
    expect(stepperStats(logic)?.starts).toBe(1);
    const fresh = setup({}).createMachine(ending.config as never) as unknown as AnyStateMachine;
    expect(mine).toEqual(seen(fresh, {}));
  });

  it('a start the stepper cannot take (stopChild) or that throws (a guard) is XState’s, nothing handed on twice', () => {
    const logging = stepped(toy({ entry: stopChild('nobody') }));
    expect(seen(logging, { n: 0 })).toEqual(seen(toy({ entry: stopChild('nobody') }), { n: 0 }));
    expect(stepperStats(logging)).toMatchObject({ starts: 0, startFallbacks: 1 });
    let calls = 0;
    // Throws on the stepper's try and on XState's own (the first link's too): every call but the judged first link's.
    const guard = () => {
      calls++;
      if (calls > 1) throw new Error('guard broke');
      return true;
    };
    const throwing = stepped(toy({ guard }));
    const mine = seen(throwing, { n: 0 });
    expect(mine.before.status).toBe('error');
    expect(stepperStats(throwing)).toMatchObject({ starts: 0, startFallbacks: 1 });
    expect(mine).toEqual(
      seen(
        toy({
          guard: () => {
            throw new Error('guard broke');
          },
        }),
        { n: 0 },
      ),
    );
  });
});
