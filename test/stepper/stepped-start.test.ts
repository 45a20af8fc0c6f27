/**
 * A started chart's link whose start is not kept (an in-process link's, into `ready`: its report,
 * its announcement, two eventless steps) is started by the stepper when its machine is stepped
 * (src/stepper/stepped-machine.ts `start`, machines/kept-start.ts `startUnkeptWith`): the same
 * snapshot (value, context, tags, status, children, historyValue, every field), the same actions
 * (types, params, order), the same inspection events, timers, announcements and reports as
 * XState's own start of that link, and the same life after it. Every kind of link start is
 * compared: in-process with each option that changes its start, and the kept ones (ws: the stepped
 * start is never asked for them). The first link of a policy is XState's (kept-start judges it).
 */
import { describe, expect, it } from 'vitest';
import { type AnyStateMachine, createActor, type InspectionEvent } from 'xstate';
import { type ConnectionInput, connectionMachine } from '../../machines/connection.machine.js';
import { type StartLeaf, startedChart, startLeafOf } from '../../machines/started-chart.js';
import { stepMachine, stepperStats } from '../../src/stepper/stepped-machine.js';
import { lifeOf, PARENTS, start } from '../machines/kept-start-view.js';

/** In-process links whose start differs (features, timers, reports), and ws links (kept). */
const IN_PROCESS: Partial<ConnectionInput>[] = [
  { inProcess: true },
  { inProcess: true, perAttempt: true },
  { inProcess: true, hasHandshake: true },
  { inProcess: true, heartbeat: { mode: 'off' } },
  { inProcess: true, heartbeat: { intervalMs: 777 } },
  { inProcess: true, resume: { resumeTimeoutMs: 500, ackDelayMs: 20 } },
  { inProcess: true, intensity: false, backoff: { maxAttempts: 2 } },
  { inProcess: true, timeouts: { connectTimeoutMs: 1234 } },
];
const WS: Partial<ConnectionInput>[] = [{}, { hasHandshake: true }, { resume: { resumeTimeoutMs: 500 } }];

const FIRST = { linkId: 'link:a', label: 'mem://a', seed: 1 };
const OTHER = { linkId: 'link:b', label: 'mem://b', seed: 99, reconnectEnabled: false };

/** XState's own start of a link (a fresh started chart, not stepped: its first link is XState's). */
function xstateChart(leaf: StartLeaf): AnyStateMachine {
  return startedChart(connectionMachine, leaf);
}

/** The created snapshot's parts the brief names, comparable. */
function created(snapshot: {
  value: unknown;
  context: Record<string, unknown>;
  tags: Set<string>;
  status: string;
  children: object;
  historyValue: object;
}) {
  return {
    value: snapshot.value,
    context: JSON.stringify({ ...snapshot.context, parent: undefined }),
    tags: [...snapshot.tags],
    status: snapshot.status,
    children: snapshot.children,
    historyValue: snapshot.historyValue,
  };
}

/** Every inspection event of the link actor `machine` starts with `input`, from its making on. */
function inspected(machine: AnyStateMachine, input: unknown): string[] {
  const seen: string[] = [];
  const actor = createActor(machine, {
    id: 'link',
    input,
    inspect: (e: InspectionEvent) => {
      if ((e.actorRef as { id?: string }).id !== 'link') return;
      const { type } = e;
      const detail =
        type === '@xstate.microstep'
          ? [
              e.event,
              (e.snapshot as { value?: unknown }).value,
              e._transitions.map((t) => [t.eventType, t.target?.map((n) => n.id)]),
            ]
          : type === '@xstate.action'
            ? e.action
            : type === '@xstate.event'
              ? e.event
              : type === '@xstate.snapshot'
                ? (e.snapshot as { value?: unknown }).value
                : null;
      seen.push(`${type} ${JSON.stringify(detail, (k, v) => (k === 'parent' ? undefined : v))}`);
    },
  });
  actor.start();
  actor.stop();
  return seen;
}

describe('a stepped start is XState start', () => {
  for (const [kind, parentOf] of Object.entries(PARENTS))
    it(`in-process links of each policy (parent: ${kind}): snapshot, actions, inspection, timers, announcements, reports, and the life after`, async () => {
      for (const input of IN_PROCESS) {
        const what = JSON.stringify(input);
        const leaf = startLeafOf(connectionMachine, { ...FIRST, ...input, ...parentOf() }) as StartLeaf;
        expect(leaf, what).toBe('ready');
        const stepped = stepMachine(startedChart(connectionMachine, leaf));
        const stats = stepperStats(stepped);
        // The policy's first link: XState's start, judged not kept.
        start(stepped, { ...FIRST, ...input, ...parentOf() });
        expect(stats?.starts, what).toBe(0);
        for (const events of [[], [{ type: 'transport.closed', code: 1006, reason: '' }]]) {
          const later = await lifeOf(stepped, { ...OTHER, ...input, ...parentOf() }, events);
          const own = await lifeOf(xstateChart(leaf), { ...OTHER, ...input, ...parentOf() }, events);
          expect(later, what).toEqual(own);
          // It was the stepper's start, and it announced and scheduled.
          expect(
            later[0]?.seen.some((s) => s.startsWith('action {"type":"xstate.emit"')),
            what,
          ).toBe(true);
        }
        const before = stats?.starts ?? 0;
        const mine = start(stepped, { ...OTHER, ...input, ...parentOf() });
        const theirs = start(xstateChart(leaf), { ...OTHER, ...input, ...parentOf() });
        expect(stats?.starts, what).toBe(before + 1);
        expect(stats?.startFallbacks, what).toBe(0);
        expect(created(mine.created), what).toEqual(created(theirs.created));
        expect(mine.view(), what).toEqual(theirs.view());
        // Every inspection event, the start's own microsteps among them (sent while the actor is
        // made: kept-start-view's filter misses them).
        const seen = inspected(stepped, { ...OTHER, ...input, ...parentOf() });
        expect(seen, what).toEqual(inspected(xstateChart(leaf), { ...OTHER, ...input, ...parentOf() }));
        expect(seen.filter((e) => e.startsWith('@xstate.microstep')).length, what).toBeGreaterThan(0);
      }
    });

  it('ws links keep their start (kept-start replays it): the stepped start is never asked', () => {
    for (const input of WS) {
      const leaf = startLeafOf(connectionMachine, { ...FIRST, ...input }) as StartLeaf;
      expect(leaf).not.toBe('ready');
      const stepped = stepMachine(startedChart(connectionMachine, leaf));
      for (const link of [FIRST, OTHER, OTHER]) {
        const mine = start(stepped, { ...link, ...input });
        expect(mine.view()).toEqual(start(xstateChart(leaf), { ...link, ...input }).view());
      }
      expect(stepperStats(stepped)?.starts).toBe(0);
    }
  });
});
