/**
 * How many microsteps the lifecycle takes (issue 11: each is a pass of XState's microstep and
 * eventless selection, paid by every link of a mass drop): a guard against steps creeping in.
 * Counted with XState's inspection events on an actor of the chart with transport actions that
 * do nothing; no timer fires.
 */
import { describe, expect, it } from 'vitest';
import { createActor, type InspectionEvent } from 'xstate';
import { type ConnectionInput, connectionMachine } from '../../machines/connection.machine.js';
import { TestClock } from '../../src/testing/index.js';

/** A ws-like link with `input`, and the states each microstep of a run ended in. */
function microsteps(input: Partial<ConnectionInput>) {
  const steps: string[] = [];
  let recording = false;
  const actor = createActor(connectionMachine, {
    input: { linkId: 'link:a', label: 'ws://a', ...input },
    clock: new TestClock(),
    inspect: (event: InspectionEvent) => {
      if (recording && event.type === '@xstate.microstep') {
        steps.push(JSON.stringify((event.snapshot as unknown as { value: unknown }).value));
      }
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

const DROP = { type: 'transport.closed', reason: { kind: 'close', code: 1006, message: 'gone' } } as const;

describe('connection chart: microsteps of the lifecycle', () => {
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
});
