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
import { type AnyActorRef, createActor, type InspectionEvent } from 'xstate';
import { connectionMachine } from '../../machines/connection.machine.js';
import { stepMachine, stepperStats } from '../../src/stepper/stepped-machine.js';
import { createLinkTestModel, type LinkModelConfig, linkModelInput } from '../../src/testing/link-model.js';
import { TestClock } from '../../src/testing/test-clock.js';

// biome-ignore lint/suspicious/noExplicitAny: XState snapshots and inspection events (internals).
type Any = any;

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

/** A snapshot as compared: every field, in order; node and actor refs by id. */
function shownSnapshot(s: Any, logic: unknown) {
  if (!s || typeof s !== 'object' || !('_nodes' in s)) return s;
  expect(s.machine).toBe(logic);
  return {
    keys: Object.keys(s),
    status: s.status,
    output: s.output,
    error: s.error,
    context: s.context,
    nodes: s._nodes.map((n: Any) => n.id),
    value: s.value,
    tags: [...s.tags],
    children: Object.keys(s.children),
    historyValue: s.historyValue,
    functions: [s.matches, s.hasTag, s.can, s.getMeta, s.toJSON],
    json: JSON.stringify(s),
  };
}

const ref = (r: Any, self: AnyActorRef) => (r === self ? 'self' : (r?.id ?? r));

/** An inspection event as compared (the actor itself as 'self'). */
function shownEvent(e: Any, self: AnyActorRef, logic: unknown) {
  const out: Any = { type: e.type, actorRef: ref(e.actorRef, self) };
  if ('sourceRef' in e) out.sourceRef = ref(e.sourceRef, self);
  if ('event' in e) out.event = e.event;
  if ('snapshot' in e) out.snapshot = shownSnapshot(e.snapshot, logic);
  if ('action' in e) out.action = e.action;
  if ('_transitions' in e)
    out.transitions = e._transitions.map((t: Any) => ({
      source: t.source.id,
      targets: t.target?.map((n: Any) => n.id),
      event: t.eventType,
      reenter: t.reenter,
    }));
  return out;
}

/** One actor of `logic` on its own clock, recording what it shows. */
function actorOf(logic: Any, input: unknown) {
  const clock = new TestClock();
  const seen: Any[] = [];
  const emitted: Any[] = [];
  let self: AnyActorRef | null = null;
  const pending: Any[] = [];
  const inspect = (e: InspectionEvent) => pending.push(e);
  const actor: Any = createActor(logic, { input, clock, inspect });
  self = actor;
  actor.on('*', (e: Any) => emitted.push(e));
  actor.start();
  const take = () => {
    for (const e of pending.splice(0)) seen.push(shownEvent(e, self as AnyActorRef, logic));
    const timers = Object.values(actor.system.getSnapshot()._scheduledEvents).map((t: Any) => ({
      event: t.event,
      delay: t.delay,
      id: t.id,
      target: ref(t.target, actor),
    }));
    return {
      snapshot: shownSnapshot(actor.getSnapshot(), logic),
      inspected: seen.splice(0),
      emitted: emitted.splice(0),
      timers,
    };
  };
  return { actor, take };
}

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
