/**
 * The socket chart as the runtime provides it (src/runtime/supervisor-socket.ts): `spawnPeers`,
 * `closePeer`, `tellLinks` and `tellPeers` are plain functions there, not the chart's
 * `enqueueActions` placeholders that ./stepped-socket.test.ts walks with, and they act on what
 * XState hands them: `self` (the supervisor's effects are found through it), the event
 * (`closePeer` reads `peer.remove`'s code and reason) and the params (`spawnPeers`' inputs and
 * `tellLinks`' targets, worked out from the context at that point of the step). Inspection shows
 * an action's type and params only, so here the same walks run both actors provided with
 * recording implementations, and after every event the actions' calls — with what each was
 * given, in order among the emitted events — must be XState's own, besides everything the walk
 * compares. `peer.add` carries one to three links here (a start slice), as the runtime sends it.
 */
import { describe, expect, it } from 'vitest';
import type { AnyActorRef } from 'xstate';
import { socketMachine } from '../../machines/socket.machine.js';
import { stepMachine, stepperStats } from '../../src/stepper/stepped-machine.js';
import { actorOf, LINGER_MS, nextEvent, prng } from './stepped-harness.js';

// biome-ignore lint/suspicious/noExplicitAny: XState action args.
type Any = any;

/** Each actor's timeline: its custom actions' calls and its emitted events, in order. */
const timelines = new WeakMap<AnyActorRef, unknown[]>();

/** A recording implementation of a runtime-supplied action. */
const recording =
  (name: string) =>
  ({ context, event, self, system }: Any, params: unknown): void => {
    const timeline = timelines.get(self);
    if (!timeline) throw new Error(`${name}: its self is not the stepping actor`);
    timeline.push({
      action: name,
      system: system === self.system,
      context: structuredClone(context),
      event: structuredClone(event),
      params: structuredClone(params),
    });
  };

const runtimeActions = () => ({
  actions: {
    spawnPeers: recording('spawnPeers'),
    closePeer: recording('closePeer'),
    tellLinks: recording('tellLinks'),
    tellPeers: recording('tellPeers'),
  },
});
const plainLogic = socketMachine.provide(runtimeActions());
const steppedLogic = stepMachine(socketMachine.provide(runtimeActions()));

describe('a stepped socket chart with the runtime-supplied actions (plain functions)', () => {
  const WALKS = 300;
  const LENGTH = 40;
  it(`${WALKS} seeded walks: each action is called as XState calls it, with the same args and params`, async () => {
    let calls = 0;
    for (let walk = 0; walk < WALKS; walk++) {
      const random = prng(10_000 + walk);
      const input = { lingerMs: LINGER_MS, ...(random() < 0.2 ? { reconnectEnabled: false } : {}) };
      const actors = [plainLogic, steppedLogic].map((logic) => {
        const made = actorOf(logic, input);
        const timeline: unknown[] = [];
        timelines.set(made.actor, timeline);
        made.actor.on('*', (e: Any) => timeline.push({ emitted: e }));
        return { ...made, timeline };
      });
      const [plain, mine] = actors as [(typeof actors)[0], (typeof actors)[0]];
      for (let i = 0; i < LENGTH && plain.actor.getSnapshot().status === 'active'; i++) {
        let event = nextEvent(random);
        if (event !== 'linger' && event.type === 'peer.add') {
          const more = Math.floor(random() * 3);
          const ids = ['link:a', 'link:g/0', 'link:g/1'].slice(0, 1 + more);
          event = { type: 'peer.add', inputs: ids.map((linkId) => ({ linkId, label: 'mem://m' })) as never };
        }
        for (const { actor, clock } of actors) {
          if (event === 'linger') await clock.advance(LINGER_MS);
          else actor.send(event);
        }
        const where = `walk ${walk}, event ${i}: ${event === 'linger' ? event : event.type}`;
        calls += plain.timeline.length;
        expect({ where, calls: mine.timeline.splice(0), ...mine.take() }).toEqual({
          where,
          calls: plain.timeline.splice(0),
          ...plain.take(),
        });
      }
      for (const { actor } of actors) actor.stop();
      expect(mine.timeline).toEqual(plain.timeline);
    }
    expect(calls).toBeGreaterThan(1_000);
    expect([...(stepperStats(steppedLogic)?.reasons.keys() ?? [])]).toEqual(['xstate.stop']);
  }, 600_000);
});
