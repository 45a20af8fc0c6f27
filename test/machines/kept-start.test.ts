/**
 * A started chart keeps its start per link policy (machines/kept-start.ts): the first link of a
 * policy starts as XState starts it, each later one gets the kept snapshot with its own context and
 * the kept actions through its own actor. What a user, an inspector and the timers see of a later
 * link's start, and of what follows it (its timers, its socket opening), is what XState's own
 * start of that link shows, with no parent (a standalone chart) or a parent of its own (a
 * supervisor's socket chart, taking the reports it names; an application machine's, taking every
 * report): its context holds its own parent, which hears what XState's start of it would tell.
 * (The started chart is a supervisor's alone, src/runtime/link-starter.ts: `defineLink`'s machine,
 * which an application spawns with `spawnChild`, is the chart itself and starts in `idle`.) An
 * in-process link's start is XState's for its policy. Toy charts: ./kept-start-judged.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { type ConnectionInput, connectionMachine } from '../../machines/connection.machine.js';
import { startedChart, startedFrom, startLeafOf } from '../../machines/started-chart.js';
import { defineLink } from '../../src/index.js';
import { lifeOf, PARENTS, recorder, start } from './kept-start-view.js';

/** The kinds of supervised link whose start differs (leaf, timers), in-process aside. */
const INPUTS: Partial<ConnectionInput>[] = [
  {},
  { perAttempt: true },
  { hasHandshake: true },
  { timeouts: { connectTimeoutMs: 1234 } },
  { heartbeat: { mode: 'off' }, backoff: { maxAttempts: 2 } },
  { resume: { resumeTimeoutMs: 500, ackDelayMs: 20 } },
  { autoConnect: true, intensity: false },
];

/** A link's own parts: two links of one policy differ in all of them. */
const FIRST = { linkId: 'link:a', label: 'ws://a', seed: 1 };
const OTHER = { linkId: 'link:b', label: 'ws://b', seed: 99, reconnectEnabled: false };

describe('a started chart keeps its start per policy', () => {
  for (const [kind, parentOf] of Object.entries(PARENTS))
    it(`a later link of a policy (parent: ${kind}) starts, and goes on, as XState's own start of it: snapshot, actions, timers, announcements, reports`, async () => {
      const heard: number[] = [];
      for (const input of INPUTS) {
        const what = JSON.stringify(input);
        const leaf = startLeafOf(connectionMachine, { ...FIRST, ...input, ...parentOf() });
        expect(leaf, what).not.toBe('ready');
        const started = startedChart(connectionMachine, leaf ?? 'connecting');
        const first = start(started, { ...FIRST, ...input, ...parentOf() });
        // The first link's start goes on meanwhile: what it does later is none of the kept start.
        await first.clock.advance(60_000);
        // Its life: timers alone (the attempt times out), or its socket opening first (ready,
        // handshaking or resuming, then their timers), each compared with XState's start of it.
        for (const events of [[], [{ type: 'transport.open' }]]) {
          const later = await lifeOf(started, { ...OTHER, ...input, ...parentOf() }, events);
          // XState's start of the same link: the first of a fresh started chart (which XState starts).
          const own = await lifeOf(
            startedChart(connectionMachine, leaf ?? 'connecting'),
            { ...OTHER, ...input, ...parentOf() },
            events,
          );
          expect(later, what).toEqual(own);
          expect(later[0]?.scheduled, what).toMatchObject([{ own: true }]);
          expect(later.length, what).toBeGreaterThan(1 + events.length);
          // Its own parent, in its context and told what the chart tells a parent.
          expect(later.every((view) => view.parent)).toBe(true);
          if (events.length > 0 && kind !== 'none') heard.push(later.at(-1)?.reported.length ?? 0);
        }
        // Kept: the later link's snapshot is the first one's (its nodes, value, tags), but for its
        // context and children.
        const again = start(started, { ...OTHER, ...input, ...parentOf() });
        expect(again.created.tags).toBe(first.created.tags);
        expect(again.created.value).toBe(first.created.value);
        expect(again.created.children).not.toBe(first.created.children);
        expect(again.created.context.linkId).toBe('link:b');
      }
      // A parent heard of the life of each link that got ready (`link.ready`: four of the seven
      // kinds; the others time out in a handshake, a resume or resolving, and are suspended
      // without a report), and the comparison saw what it heard.
      expect(heard.filter((n) => n > 0)).toHaveLength(kind === 'none' ? 0 : 4);
    });

  it('keeps one start a policy: another policy is started by XState, then kept too', async () => {
    const started = startedChart(connectionMachine, 'connecting');
    const a = start(started, FIRST);
    const b = start(started, { ...FIRST, timeouts: { connectTimeoutMs: 777 } });
    expect(b.created.tags).not.toBe(a.created.tags);
    expect(b.view().scheduled).toMatchObject([{ delay: 777 }]);
    const c = start(started, { ...OTHER, timeouts: { connectTimeoutMs: 777 } });
    expect(c.created.tags).toBe(b.created.tags);
    expect(c.view().scheduled).toMatchObject([{ delay: 777, own: true }]);
    expect(start(started, OTHER).created.tags).toBe(a.created.tags);
  });

  it("an in-process link's start (into ready: a report, an announcement, eventless steps) is XState's, every time", async () => {
    const input = { ...FIRST, inProcess: true };
    const started = startedChart(connectionMachine, 'ready');
    const first = start(started, input);
    const later = start(started, { ...OTHER, inProcess: true });
    expect(later.created.tags).not.toBe(first.created.tags);
    // Off for the chart: a policy whose start could be kept is XState's too.
    const third = start(started, { ...OTHER, inProcess: true });
    expect(third.created.tags).not.toBe(later.created.tags);
    expect(later.view()).toEqual(
      start(startedChart(connectionMachine, 'ready'), { ...OTHER, inProcess: true }).view(),
    );
  });

  it("an application machine's link (defineLink, for spawnChild) runs the chart itself: no start of it is kept", () => {
    const feed = defineLink('ws://127.0.0.1:9/feed');
    expect(startedFrom(feed.machine)).toBeUndefined();
    const input = { ...FIRST, ...feed.input({ parent: recorder() }) };
    const tags = [0, 1].map(() => createActor(feed.machine, { input }).getSnapshot().tags);
    expect(tags[1]).not.toBe(tags[0]);
  });
});
