/**
 * Reentrancy of the stepper's reused executors (src/stepper/stepped-machine.ts `Executor`): a step
 * whose custom action, inspector or emitted-event listener makes another actor of the same stepped
 * machine step synchronously — mid-drain — must take its own executor, so the outer step's actions,
 * microstep events and snapshot go on as XState's do. Differential: three peers of one machine
 * relaying pokes around a ring (a → b → c → a, the last one queued in a's mailbox) stepped by the
 * stepper and by XState, one ordered log of every inspection event, emitted event and snapshot of
 * all three, and their pending timers, compared after every send.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { type AnyActorRef, assign, cancel, createActor, emit, raise, setup } from 'xstate';
import { stepMachine, stepperStats } from '../../src/stepper/stepped-machine.js';
import { TestClock } from '../../src/testing/test-clock.js';
import { shownEvent } from './stepped-harness.js';

// biome-ignore lint/suspicious/noExplicitAny: XState actors, snapshots and internals.
type Any = any;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const DELAY_MS = 50;
const NEXT: Record<string, string> = { a: 'b', b: 'c', c: 'a' };

type Poke = { type: 'poke'; hops: number };
type PeerEvent = Poke | { type: 'ping' } | { type: 'fired' };

const chart = () =>
  setup({
    types: {} as { context: { id: string; n: number }; input: { id: string }; events: PeerEvent },
    actions: { relay: () => {} },
  }).createMachine({
    id: 'peer',
    context: ({ input }) => ({ id: input.id, n: 0 }),
    initial: 'idle',
    states: {
      idle: {
        on: {
          poke: {
            target: 'busy',
            actions: [
              'relay',
              assign({ n: ({ context }) => context.n + 1 }),
              raise({ type: 'fired' }, { id: 't', delay: DELAY_MS }),
              emit({ type: 'poked' }),
            ],
          },
          ping: { actions: assign({ n: ({ context }) => context.n + 10 }) },
        },
      },
      busy: {
        always: { guard: ({ context }) => context.n > 12, target: 'idle', actions: cancel('t') },
        on: {
          poke: { actions: ['relay', cancel('t'), assign({ n: ({ context }) => context.n + 1 })] },
          ping: { actions: [assign({ n: ({ context }) => context.n + 10 }), cancel('t')] },
          fired: 'idle',
        },
      },
    },
  });

/** Three peers of `logic` (stepped or not) on one clock, and one log of what they all show. */
function ring(stepped: boolean) {
  const clock = new TestClock();
  const log: Any[] = [];
  const peers = new Map<string, Any>();
  const machine = chart().provide({
    actions: {
      // A custom action: the next peer steps now, inside this step's drain.
      relay: ({ context, event }) => {
        if (event.type === 'poke' && event.hops > 0)
          peers.get(NEXT[context.id] as string).send({ type: 'poke', hops: event.hops - 1 });
      },
    },
  });
  const logic: Any = stepped ? stepMachine(machine) : machine;
  const nobody = {} as AnyActorRef;
  for (const id of ['a', 'b', 'c']) {
    const actor: Any = createActor(logic, {
      id,
      input: { id },
      clock,
      inspect: (e: Any) => {
        log.push({ peer: id, ...shownEvent(e, nobody, logic) });
        // An inspector that sends: b's poke of 2 hops pings c mid-step (a microstep event).
        if (id === 'b' && e.type === '@xstate.microstep' && e.event?.hops === 2)
          peers.get('c').send({ type: 'ping' });
      },
    });
    // A listener of an emitted event that sends: a's poke pings b.
    if (id === 'a') actor.on('poked', () => peers.get('b').send({ type: 'ping' }));
    actor.on('*', (e: Any) => log.push({ peer: id, emitted: e }));
    actor.subscribe((s: Any) => log.push({ peer: id, value: s.value, n: s.context.n }));
    peers.set(id, actor);
  }
  for (const actor of peers.values()) actor.start();
  const take = () => ({
    log: log.splice(0),
    timers: Object.values(peers.get('a').system.getSnapshot()._scheduledEvents).map((t: Any) => [
      t.source.id,
      t.id,
    ]),
    states: [...peers.values()].map((p) => [p.getSnapshot().value, p.getSnapshot().context.n]),
  });
  return { clock, peers, logic, take };
}

describe('a stepped actor stepping another of its machine synchronously, mid-drain', () => {
  it('custom action, inspector and listener relays: every peer shows what XState shows', async () => {
    const plain = ring(false);
    const mine = ring(true);
    expect(mine.take()).toEqual(plain.take());
    const walk: (Poke | 'linger')[] = [
      { type: 'poke', hops: 3 },
      { type: 'poke', hops: 5 },
      'linger',
      { type: 'poke', hops: 7 },
      { type: 'poke', hops: 2 },
      'linger',
      { type: 'poke', hops: 9 },
    ];
    for (const step of walk) {
      if (step === 'linger') {
        await plain.clock.advance(DELAY_MS);
        await mine.clock.advance(DELAY_MS);
      } else {
        plain.peers.get('a').send(step);
        mine.peers.get('a').send(step);
      }
      const want = plain.take();
      if (step !== 'linger') expect(want.log.length).toBeGreaterThan(0);
      expect(mine.take()).toEqual(want);
    }
    const stats = stepperStats(mine.logic);
    expect(stats?.fallbacks).toBe(0);
    expect(stats?.steps).toBeGreaterThan(20);
    for (const p of [...plain.peers.values(), ...mine.peers.values()]) p.stop();
  });
});

/** The stepped ring driven through nested steps and stopped; WeakRefs to its actors, their last
 * contexts and the events sent (made in a function of its own: no local of the test holds them). */
async function ringRunAndStopped() {
  const mine = ring(true);
  const sent = [{ type: 'poke', hops: 7 } as Poke, { type: 'poke', hops: 9 } as Poke];
  mine.peers.get('a').send(sent[0]);
  await mine.clock.advance(DELAY_MS);
  mine.peers.get('a').send(sent[1]);
  const refs = [...mine.peers.values()].flatMap((p) => [
    new WeakRef<object>(p),
    new WeakRef<object>(p.getSnapshot().context),
  ]);
  refs.push(...sent.map((e) => new WeakRef<object>(e)));
  for (const p of mine.peers.values()) p.stop();
  mine.take();
  // The relay action (in the machine's implementations, so held by `logic`) finds peers here.
  mine.peers.clear();
  return { logic: mine.logic, refs };
}

describe('the stepped machine after its actors stop (its free executors, pooled by nested steps)', () => {
  it('holds none of their actors, contexts or events', async () => {
    const { logic, refs } = await ringRunAndStopped();
    // The nested steps made several executors; the stepped machine (kept, as a module keeps it)
    // holds them, and they must hold nothing of a step that ended.
    expect(stepperStats(logic)?.steps).toBeGreaterThan(10);
    const deadline = Date.now() + 10_000;
    while (refs.some((r) => r.deref() !== undefined) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      gc();
    }
    expect(refs.map((r) => r.deref() === undefined)).toEqual(refs.map(() => true));
    expect(logic).toBeDefined();
  });
});
