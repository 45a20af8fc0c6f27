/**
 * A cancel that cancels nothing (src/stepper/stepped-machine.ts `cancelsNothing`): the stepped
 * actor hands it to XState's executor without its `execute` — the same `@xstate.action`, no
 * deferred task, no scheduler call — only when no delayed event of its id is pending for the actor
 * and none was scheduled earlier in the same step. Differential: after every event the stepped
 * actor shows what XState's does (snapshot, inspection events, emitted events, pending timers),
 * through timers armed, cancelled, fired, re-armed in the step that cancels them (a raise and a
 * delayed sendTo to self), cancelled before being armed, and cancels of ids never armed; and the
 * scheduler is asked to cancel only what may be pending.
 */
import { describe, expect, it } from 'vitest';
import { cancel, createActor, raise, sendTo, setup } from 'xstate';
import { stepMachine, stepperStats } from '../../src/stepper/stepped-machine.js';
import { TestClock } from '../../src/testing/test-clock.js';
import { actorOf, stepEach } from './stepped-harness.js';

// biome-ignore lint/suspicious/noExplicitAny: XState actors and their system (internals).
type Any = any;

const DELAY_MS = 100;

const chart = () =>
  setup({}).createMachine({
    id: 'timers',
    initial: 'waiting',
    states: {
      waiting: {
        on: {
          arm: { actions: raise({ type: 'fired' }, { id: 'x', delay: DELAY_MS }) },
          cancel: { actions: cancel('x') },
          cancelNever: { actions: cancel('never') },
          armThenCancel: {
            actions: [raise({ type: 'fired' }, { id: 'x', delay: DELAY_MS }), cancel('x')],
          },
          cancelThenArm: {
            actions: [cancel('x'), raise({ type: 'fired' }, { id: 'x', delay: DELAY_MS })],
          },
          sendThenCancel: {
            actions: [
              sendTo(({ self }) => self, { type: 'fired' }, { id: 'y', delay: DELAY_MS }),
              cancel('y'),
            ],
          },
          // A cancel's id from a function may be a number where the raise's is a string (or the
          // reverse): XState keys both `${sessionId}.${id}`, so it cancels the raise.
          armThenCancelNumber: {
            actions: [
              raise({ type: 'fired' }, { id: '7', delay: DELAY_MS }),
              cancel((() => 7) as unknown as string),
            ],
          },
          fired: 'done',
        },
      },
      done: { on: { again: 'waiting' } },
    },
  });

/** The actor's scheduler asked to cancel: each call's id. */
function cancelsOf(actor: Any): unknown[] {
  const calls: unknown[] = [];
  const scheduler = actor.system.scheduler;
  const own = scheduler.cancel;
  scheduler.cancel = (source: unknown, id: unknown) => {
    calls.push(id);
    own(source, id);
  };
  return calls;
}

type Step = { type: string } | 'linger';

/** What an actor shows, an actor ref in an action's params (a sendTo's `to`) as 'actor': two
 * actors' ids differ. */
const shown = (take: () => unknown) =>
  JSON.parse(
    JSON.stringify(take(), (_key, v) => (v && typeof v === 'object' && 'xstate$$type' in v ? 'actor' : v)),
  );

const walks: { name: string; steps: Step[]; cancelled: unknown[] }[] = [
  {
    name: 'a cancel of an id never armed',
    steps: [{ type: 'cancelNever' }, { type: 'cancel' }],
    cancelled: [],
  },
  {
    name: 'armed, then cancelled',
    steps: [{ type: 'arm' }, { type: 'cancel' }, { type: 'cancel' }],
    cancelled: ['x'],
  },
  {
    name: 'armed and cancelled in one step (the raise is scheduled after the step)',
    steps: [{ type: 'armThenCancel' }, 'linger', { type: 'cancel' }],
    cancelled: ['x'],
  },
  {
    name: 'a delayed sendTo to self and its cancel in one step',
    steps: [{ type: 'sendThenCancel' }, 'linger'],
    cancelled: ['y'],
  },
  {
    name: 'cancelled before it is armed in one step, then it fires',
    steps: [
      { type: 'cancelThenArm' },
      { type: 'cancelThenArm' },
      'linger',
      { type: 'again' },
      { type: 'cancel' },
    ],
    cancelled: ['x'],
  },
  {
    name: 'armed with id "7" and cancelled by the number 7 in one step (XState keys both alike)',
    steps: [{ type: 'armThenCancelNumber' }, 'linger'],
    cancelled: [7],
  },
  {
    name: 'fired, then cancelled (nothing pending any more)',
    steps: [
      { type: 'arm' },
      'linger',
      { type: 'again' },
      { type: 'cancel' },
      { type: 'arm' },
      { type: 'cancel' },
    ],
    cancelled: ['x'],
  },
];

describe('a stepped cancel that cancels nothing: what XState shows, without the scheduler call', () => {
  for (const walk of walks) {
    it(walk.name, async () => {
      const stepped = stepMachine(chart());
      const plain = actorOf(chart(), undefined);
      const mine = actorOf(stepped, undefined);
      const plainCancels = cancelsOf(plain.actor);
      const myCancels = cancelsOf(mine.actor);
      expect(shown(mine.take)).toEqual(shown(plain.take));
      for (const step of walk.steps) {
        await stepEach([plain, mine], step, DELAY_MS);
        expect(shown(mine.take)).toEqual(shown(plain.take));
      }
      expect(stepperStats(stepped)?.fallbacks).toBe(0);
      // XState asks its scheduler for every cancel; the stepped actor only for one that may cancel.
      expect(plainCancels.length).toBeGreaterThanOrEqual(myCancels.length);
      expect(myCancels).toEqual(walk.cancelled);
      plain.actor.stop();
      mine.actor.stop();
    });
  }
});

// The XState internals `cancelsNothing` reads, as XState 5.x holds them: a later XState that
// changes one fails here by name (the differential above would show a timer left pending).
describe('canary: the XState internals a stepped cancel reads', () => {
  it('_processingStatus 1 only while running; sessionId a string; _scheduledEvents a plain object keyed sessionId.id', async () => {
    const { actor, clock } = actorOf(chart(), undefined);
    const idle: Any = createActor(chart(), { clock: new TestClock() });
    expect(idle._processingStatus).not.toBe(1);
    expect(actor._processingStatus).toBe(1);
    expect(typeof actor.sessionId).toBe('string');
    const pending = () => actor.system._snapshot._scheduledEvents;
    expect(Object.getPrototypeOf(pending())).toBe(Object.prototype);
    actor.send({ type: 'arm' });
    expect(Object.keys(pending())).toEqual([`${actor.sessionId}.x`]);
    actor.send({ type: 'sendThenCancel' });
    expect(Object.keys(pending())).toEqual([`${actor.sessionId}.x`]);
    await clock.advance(DELAY_MS);
    expect(Object.keys(pending())).toEqual([]);
    actor.stop();
    expect(actor._processingStatus).not.toBe(1);
  });

  it('another shape (a sessionId not a string, a Map of scheduled events): every cancel left to XState', () => {
    for (const change of ['sessionId', 'map'] as const) {
      const stepped = stepMachine(chart());
      const { actor } = actorOf(stepped, undefined);
      const calls = cancelsOf(actor);
      if (change === 'sessionId') actor.sessionId = 7;
      else actor.system._snapshot._scheduledEvents = new Map();
      actor.send({ type: 'cancelNever' });
      actor.send({ type: 'cancel' });
      expect(calls).toEqual(['never', 'x']);
      actor.stop();
    }
  });
});
