/**
 * How many microsteps the lifecycle takes (issue 11: each is a pass of XState's microstep and
 * eventless selection, paid by every link of a mass drop): a guard against steps creeping in.
 * Counted with XState's inspection events on an actor of the chart with transport actions that
 * do nothing; no timer fires. A link's start: the chart leaves idle in one eventless microstep; a
 * supervised link runs a started chart (machines/started-chart.ts), which starts past idle in none
 * (BENCHMARKS.md round 32 (start)).
 */
import { describe, expect, it } from 'vitest';
import { type AnyEventObject, createActor, createMachine, type InspectionEvent } from 'xstate';
import {
  type ConnectionInput,
  connectionMachine,
  type LinkReport,
} from '../../machines/connection.machine.js';
import { startedChart } from '../../machines/started-chart.js';
import { TestClock } from '../../src/testing/index.js';

/** A ws-like link with `input`, and the states each microstep of a run ended in. */
function microsteps(input: Partial<ConnectionInput>) {
  const steps: string[] = [];
  /** Every report (`link.*`) any actor received, recording or not. */
  const reported: string[] = [];
  let recording = false;
  const actor = createActor(connectionMachine, {
    input: { linkId: 'link:a', label: 'ws://a', ...input },
    clock: new TestClock(),
    inspect: (event: InspectionEvent) => {
      if (event.type === '@xstate.event' && event.event.type.startsWith('link.'))
        reported.push(event.event.type);
      if (recording && event.type === '@xstate.microstep') {
        steps.push(JSON.stringify((event.snapshot as unknown as { value: unknown }).value));
      }
    },
  }).start();
  return {
    actor,
    reported,
    during(run: () => void): string[] {
      steps.length = 0;
      recording = true;
      run();
      recording = false;
      return [...steps];
    },
  };
}

const DROP = { type: 'transport.closed', reason: { kind: 'close', code: 1006, message: 'gone' } } as const;

describe('connection chart: microsteps of the lifecycle', () => {
  it("a link's start: one eventless step out of idle on the chart, none on a started chart", () => {
    const startSteps = (machine: typeof connectionMachine) => {
      const steps: string[] = [];
      createActor(machine, {
        input: { linkId: 'link:a', label: 'ws://a' },
        clock: new TestClock(),
        inspect: (event: InspectionEvent) => {
          if (event.type === '@xstate.microstep' && event.event.type === 'xstate.init')
            steps.push(JSON.stringify((event.snapshot as unknown as { value: unknown }).value));
        },
      })
        .start()
        .stop();
      return steps;
    };
    expect(startSteps(connectionMachine)).toEqual(['{"attempt":"connecting"}']);
    expect(startSteps(startedChart(connectionMachine, 'connecting'))).toEqual([]);
  });

  it('a drop from ready is one step when it is retried through the backoff (what disconnected decides)', () => {
    const link = microsteps({});
    link.actor.send({ type: 'transport.open' });
    expect(link.during(() => link.actor.send(DROP))).toEqual(['"reconnecting"']);
    // A connection refused on the way back: one step too.
    link.actor.send({ type: 'xstate.after.reconnectDelay.connection.reconnecting' } as never);
    expect(link.during(() => link.actor.send(DROP))).toEqual(['"reconnecting"']);
    link.actor.stop();
  });

  it('any other drop is two steps: the decision (disconnected), then where it goes', () => {
    const once = microsteps({ intensity: { maxRestarts: 0 } });
    once.actor.send({ type: 'transport.open' });
    expect(once.during(() => once.actor.send(DROP))).toEqual(['"disconnected"', '"coolingDown"']);
    const off = microsteps({ reconnectEnabled: false });
    off.actor.send({ type: 'transport.open' });
    expect(off.during(() => off.actor.send(DROP))).toEqual(['"disconnected"', '"suspended"']);
    once.actor.stop();
    off.actor.stop();
  });

  it('entering ready: the open straight to its quiet interval (heartbeat on), or through the eventless steps', () => {
    const on = microsteps({});
    expect(on.during(() => on.actor.send({ type: 'transport.open' }))).toEqual([
      '{"attempt":{"ready":"settling"}}',
    ]);
    const off = microsteps({ heartbeat: { mode: 'off' } });
    expect(off.during(() => off.actor.send({ type: 'transport.open' }))).toEqual([
      '{"attempt":{"ready":"starting"}}',
      '{"attempt":{"ready":"unmonitored"}}',
    ]);
    on.actor.stop();
    off.actor.stop();
  });

  it("listeners and parent see an open and a drop in announce()'s order, the parent only the reports it takes", () => {
    const seen = (reports: readonly LinkReport['type'][] | undefined, withParent = true, resume = false) => {
      const log: string[] = [];
      const parent = createActor(
        createMachine({ on: { '*': { actions: ({ event }) => log.push(`parent ${event.type}`) } } }),
      ).start();
      const link = microsteps({
        ...(withParent ? { parent } : {}),
        ...(reports ? { reports } : {}),
        ...(resume ? { resume: {} } : {}),
      });
      link.actor.on('*', (event: AnyEventObject) => log.push(`listener ${event.type}`));
      link.actor.send({ type: 'transport.open' });
      if (resume) link.actor.send({ type: 'resume.done', outcome: 'resumed', replayedIn: 1, replayedOut: 0 });
      link.actor.send(DROP);
      link.actor.stop();
      parent.stop();
      return { log, reported: link.reported };
    };
    expect(seen(undefined).log).toEqual([
      'listener ready',
      'parent link.ready',
      'parent link.unready',
      'listener lost',
      'parent link.lost',
      'listener reconnecting',
      'parent link.reconnecting',
    ]);
    expect(seen(['link.unready', 'link.lost']).log).toEqual([
      'listener ready',
      'parent link.unready',
      'listener lost',
      'parent link.lost',
      'listener reconnecting',
    ]);
    // No parent: announced to listeners, nothing sent anywhere (sendTo(undefined) would be to itself).
    const alone = seen(undefined, false);
    expect(alone.log).toEqual(['listener ready', 'listener lost', 'listener reconnecting']);
    expect(alone.reported).toEqual([]);
    // The resume feature's announcement alike.
    const resumed = seen(undefined, true, true);
    expect(resumed.log.slice(0, 4)).toEqual([
      'listener resumed',
      'parent link.resumed',
      'listener ready',
      'parent link.ready',
    ]);
    const filtered = seen(['link.lost'], true, true);
    expect(filtered.log.slice(0, 2)).toEqual(['listener resumed', 'listener ready']);
    // Nothing but what the parent takes is sent anywhere (not to the link itself either).
    expect(filtered.reported).toEqual(['link.lost']);
  });
});
