/**
 * How many microsteps the lifecycle takes (issue 11: each is a pass of XState's microstep and
 * eventless selection, paid by every link of a mass drop). Counted with XState's inspection
 * events on an actor of the chart with transport actions that do nothing; no timer fires.
 */
import { describe, expect, it } from 'vitest';
import { createActor, type InspectionEvent } from 'xstate';
import { type ConnectionInput, connectionMachine, linkStateName } from '../../machines/connection.machine.js';
import { TestClock } from '../../src/testing/index.js';

/** The states each microstep of `run` ended in, for a ws-like link with `input`. */
function microsteps(input: Partial<ConnectionInput>) {
  const steps: string[] = [];
  let recording = false;
  const actor = createActor(connectionMachine, {
    input: { linkId: 'link:a', label: 'ws://a', ...input },
    clock: new TestClock(),
    inspect: (event: InspectionEvent) => {
      if (recording && event.type === '@xstate.microstep')
        steps.push(JSON.stringify((event.snapshot as unknown as { value: unknown }).value));
    },
  }).start();
  return {
    actor,
    during(run: () => void): string[] {
      steps.length = 0;
      recording = true;
      run();
      recording = false;
      return [...steps];
    },
  };
}

describe('connection chart: microsteps of the lifecycle', () => {
  it('entering ready is one eventless step to its quiet interval (heartbeat on or off)', () => {
    const on = microsteps({});
    expect(on.during(() => on.actor.send({ type: 'transport.open' }))).toEqual([
      '{"attempt":{"ready":"resting"}}',
      '{"attempt":{"ready":"settling"}}',
    ]);
    const off = microsteps({ heartbeat: { mode: 'off' } });
    expect(off.during(() => off.actor.send({ type: 'transport.open' }))).toEqual([
      '{"attempt":{"ready":"resting"}}',
      '{"attempt":{"ready":"unmonitored"}}',
    ]);
    expect(linkStateName(off.actor.getSnapshot().value)).toBe('ready');
    on.actor.stop();
    off.actor.stop();
  });

  it('a drop from ready is two steps: the decision (disconnected), then reconnecting', () => {
    const link = microsteps({});
    link.actor.send({ type: 'transport.open' });
    const steps = link.during(() =>
      link.actor.send({ type: 'transport.closed', reason: { kind: 'close', code: 1006, message: 'gone' } }),
    );
    expect(steps).toEqual(['"disconnected"', '"reconnecting"']);
    link.actor.stop();
  });
});
