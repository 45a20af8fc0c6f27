/**
 * A stepped connection chart (src/stepper/stepped-machine.ts) is, end to end, the chart XState
 * steps: for every path the connection chart's model test walks (test/model/connection.model.test.ts:
 * `createLinkTestModel(config).coveringPaths()` for its nine configurations), two actors — one of
 * the chart as XState steps it, one of the same chart stepped — are fed the path's events, and
 * after each event the test asserts equal snapshots (every field, key order, `_nodes` order, tags
 * order, the same shared `matches`/`hasTag`/`can`/`getMeta`/`toJSON`, `machine` the actor's logic),
 * the same inspection events in the same order (`@xstate.event`, `@xstate.microstep` with its
 * event, snapshot and `_transitions` — source, targets, event type —, `@xstate.action` with type
 * and params, `@xstate.snapshot`), the same emitted events, and the same timers pending in the
 * actor's system scheduler (event, delay, id, target; not `startedAt`: XState reads Date.now()). No step may be handed to XState.
 */
import { describe, expect, it } from 'vitest';
import { connectionMachine } from '../../machines/connection.machine.js';
import { stepMachine, stepperStats } from '../../src/stepper/stepped-machine.js';
import { createLinkTestModel, type LinkModelConfig, linkModelInput } from '../../src/testing/link-model.js';
import { actorOf } from './stepped-harness.js';

const configs: LinkModelConfig[] = [
  { handshake: true, heartbeat: true, intensity: false },
  { heartbeat: true, intensity: false },
  { heartbeat: false, autoConnect: false },
  { resume: true, heartbeat: true, intensity: false },
  { inProcess: true, heartbeat: true, maxMissed: 1 },
  { inProcess: true, heartbeat: false, autoConnect: false },
  { heartbeat: false, perAttempt: true, intensity: false },
  { heartbeat: false, intensity: 'fail' },
  { heartbeat: false, perAttempt: true, autoConnect: false },
];

const stepped = stepMachine(connectionMachine.provide({}));

describe('a stepped connection chart: the same actor as XState steps, end to end', () => {
  let events = 0;
  for (const config of configs) {
    it(`every event of the model's covering paths: ${JSON.stringify(config)}`, () => {
      const model = createLinkTestModel(config);
      const input = linkModelInput(model.config);
      for (const path of model.coveringPaths()) {
        const plain = actorOf(connectionMachine, input);
        const mine = actorOf(stepped, input);
        expect(mine.take()).toEqual(plain.take());
        for (const event of path.events) {
          plain.actor.send(event);
          mine.actor.send(event);
          const where = `${path.description}: ${event.type}`;
          expect({ where, ...mine.take() }).toEqual({ where, ...plain.take() });
          events++;
        }
        plain.actor.stop();
        mine.actor.stop();
        expect({ end: path.description, ...mine.take() }).toEqual({ end: path.description, ...plain.take() });
      }
    }, 600_000);
  }
  it('took every step itself (no fallback to XState)', () => {
    const stats = stepperStats(stepped);
    console.log(
      `stepped-actor: ${events} events, ${stats?.steps} steps stepped, ${stats?.fallbacks} fallbacks`,
    );
    expect(events).toBeGreaterThan(1000);
    // Only the stop of each path's actor (`xstate.stop`) is XState's.
    expect([...(stats?.reasons.keys() ?? [])]).toEqual(['xstate.stop']);
  });
});
