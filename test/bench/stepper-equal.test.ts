/**
 * The stepper what-if (bench/stepper/, Round 42 in BENCHMARKS.md) steps the connection chart
 * exactly as XState does: for every step of every path the connection chart's model test walks
 * (test/model/connection.model.test.ts: `createLinkTestModel(config).coveringPaths()` for its nine
 * configurations, the same path generation), XState's `transition()` and the stepper step from the
 * same snapshot, and the test asserts the same state value, context (deep), status, the same
 * ordered list of the actions XState hands to its executor (type and params: custom actions,
 * raise, cancel, emit, sendTo), and so the same delayed raises (event, delay, id) scheduled and
 * the same ids cancelled. No step may fall back to XState.
 */
import { describe, expect, it } from 'vitest';
import { transition } from 'xstate';
import { Stepper } from '../../bench/stepper/stepper.js';
import { connectionMachine } from '../../machines/connection.machine.js';
import { createLinkTestModel, type LinkModelConfig } from '../../src/testing/link-model.js';

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

/** An action as compared: its type and params, an actor ref in params by identity (its id). */
function shown(type: string, params: unknown) {
  if (params && typeof params === 'object' && 'to' in params) {
    const { to, ...rest } = params as { to: { id?: string } };
    return { type, params: { ...rest, to: to?.id ?? to } };
  }
  return { type, params };
}

/** The delayed raises scheduled and the ids cancelled, in order. */
function timers(actions: { type: string; params: unknown }[]) {
  return actions.flatMap(({ type, params }) => {
    const p = params as { event?: { type: string }; delay?: unknown; id?: unknown; sendId?: unknown };
    if (type === 'xstate.raise' && typeof p.delay === 'number')
      return [`schedule ${p.event?.type} ${p.delay} ${p.id}`];
    if (type === 'xstate.cancel') return [`cancel ${p.sendId}`];
    return [];
  });
}

describe('stepper what-if: steps the connection chart as XState does', () => {
  const stepper = new Stepper(connectionMachine);
  let steps = 0;
  for (const config of configs) {
    it(`every step of the model's covering paths: ${JSON.stringify(config)}`, () => {
      const model = createLinkTestModel(config);
      for (const path of model.coveringPaths()) {
        for (let i = 1; i < path.steps.length; i++) {
          const from = (path.steps[i - 1] as (typeof path.steps)[number]).state;
          const event = (path.steps[i] as (typeof path.steps)[number]).event;
          const [want, wantActions] = transition(connectionMachine, from, event);
          const got = stepper.step(stepper.fromSnapshot(from), event);
          const gotActions = Array.from({ length: stepper.out.length }, (_, k) =>
            shown(stepper.out.types[k] as string, stepper.out.params[k]),
          );
          const expected = wantActions.map((a) => shown(a.type, a.params));
          const where = `${JSON.stringify(from.value)} --${event.type}-->`;
          expect({ where, value: got.config.value }).toEqual({ where, value: want.value });
          expect(got.status, where).toBe(want.status);
          expect(got.context, where).toEqual(want.context);
          expect({ where, actions: gotActions }).toEqual({ where, actions: expected });
          expect(timers(gotActions), where).toEqual(timers(expected));
          steps++;
        }
      }
      expect(stepper.fallbacks).toBe(0);
    }, 600_000);
  }
  it('took every step without falling back to XState', () => {
    console.log(`stepper-equal: ${steps} steps compared, ${stepper.fallbacks} fallbacks`);
    expect(steps).toBeGreaterThan(1000);
    expect(stepper.fallbacks).toBe(0);
  });
});
