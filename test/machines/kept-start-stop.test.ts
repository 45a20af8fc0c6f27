/**
 * A replayed start (machines/kept-start.ts) stopped early is XState's start stopped early: an
 * actor stopped before it starts runs none of its start's actions and arms no timer; one stopped
 * in its first turn leaves no timer behind (the replayed connect timeout is the actor's own, so
 * XState's stop cancels it). Each compared with the first link of a fresh started chart, which
 * XState starts.
 */
import { describe, expect, it } from 'vitest';
import { type AnyActorRef, type AnyStateMachine, createActor, type InspectionEvent } from 'xstate';
import { connectionMachine } from '../../machines/connection.machine.js';
import { startedChart } from '../../machines/started-chart.js';
import { TestClock } from '../../src/testing/index.js';

const FIRST = { linkId: 'link:a', label: 'ws://a', seed: 1, timeouts: { connectTimeoutMs: 2_345 } };
const LATER = { linkId: 'link:b', label: 'ws://b', seed: 7, timeouts: { connectTimeoutMs: 2_345 } };

/** An actor of `machine` for `input`, stopped before it starts or in its first turn: what ran and
 * what is left armed. */
function stopped(machine: AnyStateMachine, input: object, when: 'before start' | 'first turn') {
  const clock = new TestClock();
  const seen: string[] = [];
  let actor: AnyActorRef | undefined;
  actor = createActor(machine, {
    input,
    clock,
    inspect: (event: InspectionEvent) => {
      if (event.actorRef === actor && event.type === '@xstate.action') seen.push(event.action.type);
    },
  });
  if (when === 'first turn') actor.start();
  actor.stop();
  return {
    seen,
    scheduled: Object.keys(actor.system.getSnapshot()._scheduledEvents),
    pending: clock.pending,
    status: actor.getSnapshot().status,
  };
}

describe('a replayed start stopped early', () => {
  for (const when of ['before start', 'first turn'] as const) {
    it(`stopped ${when}: what ran and what is armed is XState's own start stopped ${when}`, () => {
      const started = startedChart(connectionMachine, 'connecting');
      createActor(started, { input: FIRST });
      const later = stopped(started, LATER, when);
      const own = stopped(startedChart(connectionMachine, 'connecting'), LATER, when);
      expect(later).toEqual(own);
      expect(later.scheduled).toEqual([]);
      expect(later.pending).toBe(0);
      expect(later.seen).toEqual(when === 'before start' ? [] : ['openTransport', 'xstate.raise']);
    });
  }
});

describe('a provided copy of a started chart', () => {
  it('keeps nothing: each of its links is started by XState (machine.provide() makes a new machine)', () => {
    const started = startedChart(connectionMachine, 'connecting');
    // A start of the started chart first: the copy shares its config (its context factory), and
    // makes its own links' contexts, never the one a start of the chart made.
    createActor(started, { input: { ...FIRST, linkId: 'link:started' } });
    const provided = started.provide({});
    const first = createActor(provided, { input: FIRST }).getSnapshot();
    const later = createActor(provided, { input: LATER }).getSnapshot();
    expect(later.tags).not.toBe(first.tags);
    expect(later.value).toEqual(first.value);
    expect([first.context.linkId, later.context.linkId]).toEqual(['link:a', 'link:b']);
  });
});
