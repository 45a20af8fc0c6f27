/**
 * The drop-in's chart (`connectionChart`: the connection chart with every feature slot empty,
 * machines/connection.machine.ts) is the full chart for everything it has: covering walks of ITS
 * graph (the link model's events, xstate/graph; a feature's event is never offered since no state
 * of it takes one), for every link configuration without a feature (no handshake, no resume, an
 * intensity that cools down or is off; in-process ones too, which the chart runs though the
 * drop-in makes none), replayed step by step on `connectionMachine` give the same state, context
 * and actions. Then a gate fails if any state or transition of the drop-in's chart was not taken
 * (as test/model/connection.model.test.ts's gate does for the full chart against the runtime).
 */
import { describe, expect, it } from 'vitest';
import { createActor, initialTransition, SimulatedClock, transition } from 'xstate';
import { connectionChart, connectionMachine } from '../../machines/connection.machine.js';
import { ChartCoverage } from '../../src/testing/chart-coverage.js';
import { createLinkTestModel, type LinkModelConfig, linkModelInput } from '../../src/testing/link-model.js';

const coverage = new ChartCoverage([connectionChart]);
const chart = connectionChart as unknown as typeof connectionMachine;

const configs: [string, LinkModelConfig][] = [
  ['heartbeat, cooling down (the drop-in by default)', { heartbeat: true }],
  ['heartbeat, intensity off', { heartbeat: true, intensity: false }],
  ['no heartbeat, started by hand (startClosed)', { heartbeat: false, autoConnect: false }],
  [
    'a URL function (a rejection refreshes once), no heartbeat',
    { heartbeat: false, perAttempt: true, intensity: false },
  ],
  [
    'a URL function, started by hand, cooling down, no heartbeat',
    { heartbeat: false, perAttempt: true, autoConnect: false },
  ],
  ['in-process, heartbeat', { inProcess: true, heartbeat: true, maxMissed: 1 }],
  ['in-process, no heartbeat, started by hand', { inProcess: true, heartbeat: false, autoConnect: false }],
];

/** What a step did: where it is, what it holds, which actions ran (by name, with their params). */
const seen = ([snapshot, actions]: readonly [
  { value: unknown; context: unknown; status: string },
  { type: string; params?: unknown }[],
]) => ({
  value: snapshot.value,
  context: snapshot.context,
  status: snapshot.status,
  actions: actions.map((a) => `${a.type} ${JSON.stringify(a.params ?? null)}`),
});

// The full chart's exit slot (`disarmAck`) cancels the ack timer only on a link that resumes
// (none here): the two charts run the very same actions, cancels included (round 47 (disarm)).

describe.sequential("the drop-in's connection chart: the full chart's steps, every state and transition", () => {
  for (const [name, config] of configs) {
    it(name, () => {
      const model = createLinkTestModel(config, chart);
      const paths = model.coveringPaths();
      expect(paths.length).toBeGreaterThan(5);
      const input = linkModelInput(model.config);
      for (const path of paths) {
        const events = path.steps.slice(1).map((step) => step.event);
        let dropIn = initialTransition(chart, input);
        let full = initialTransition(connectionMachine, input);
        expect(seen(dropIn)).toEqual(seen(full));
        // The same walk on an actor of the drop-in's chart, for the coverage gate (its timers on a
        // clock that never moves: the walk sends each timer's event itself).
        const actor = createActor(connectionChart, {
          input,
          clock: new SimulatedClock(),
          inspect: coverage.observer,
        });
        actor.start();
        for (const [i, event] of events.entries()) {
          dropIn = transition(chart, dropIn[0], event);
          full = transition(connectionMachine, full[0], event);
          expect(seen(dropIn), `step ${i + 1}: ${event.type}`).toEqual(seen(full));
          actor.send(event as never);
          expect(actor.getSnapshot().value, `actor, step ${i + 1}`).toEqual(dropIn[0].value);
        }
        actor.stop();
      }
    }, 600_000);
  }

  // The model offers no terminate (a supervisor's stop sends it: the full chart's gate takes it
  // through the runtime); here it is taken from every state the walks reach.
  it('terminate from a connecting and a ready link, as the full chart does', () => {
    const input = linkModelInput(createLinkTestModel({ heartbeat: true }, chart).config);
    for (const before of [[], [{ type: 'transport.open' }]] as const) {
      const actor = createActor(connectionChart, {
        input,
        clock: new SimulatedClock(),
        inspect: coverage.observer,
      });
      actor.start();
      let dropIn = initialTransition(chart, input);
      let full = initialTransition(connectionMachine, input);
      for (const event of [...before, { type: 'link.terminate' }] as const) {
        actor.send(event);
        dropIn = transition(chart, dropIn[0], event);
        full = transition(connectionMachine, full[0], event);
        expect(seen(dropIn), event.type).toEqual(seen(full));
      }
      expect(actor.getSnapshot().value).toBe('closed');
      actor.stop();
    }
  });

  it("covers every state and transition of the drop-in's chart", () => {
    console.log('drop-in chart coverage by the walks:', coverage.summary());
    expect(coverage.missing()).toEqual({ states: [], transitions: [] });
  });
});
