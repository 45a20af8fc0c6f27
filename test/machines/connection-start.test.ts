/**
 * The chart started where `idle`'s eventless transition takes a link of its policy
 * (machines/connection-start.ts) starts every kind of link exactly as the chart does: the same
 * state, context and tags, the same actions in the same order (timers included), and no microstep
 * through `idle`; a link that waits in `idle` keeps the chart. Pure (`initialTransition`), plus one
 * actor each to count the microsteps.
 */
import { describe, expect, it } from 'vitest';
import { type AnyStateMachine, createActor, type InspectionEvent, initialTransition } from 'xstate';
import { type ConnectionInput, connectionMachine } from '../../machines/connection.machine.js';
import { startedAt } from '../../machines/connection-start.js';
import { TestClock } from '../../src/testing/index.js';

const KINDS: [string, Partial<ConnectionInput>][] = [
  ['ws-like', {}],
  ['ws-like with handshake and resume', { hasHandshake: true, resume: {} }],
  ['per-attempt target', { perAttempt: true }],
  ['in-process, heartbeat on', { inProcess: true }],
  ['in-process, heartbeat off', { inProcess: true, heartbeat: { mode: 'off' } }],
];

const inputOf = (kind: Partial<ConnectionInput>): ConnectionInput => ({
  linkId: 'link:a',
  label: 'ws://a',
  seed: 7,
  ...kind,
});

/** What a start does, as the pure transition returns it. */
function start(machine: AnyStateMachine, input: ConnectionInput) {
  const [snapshot, actions] = initialTransition(machine, input);
  return {
    value: snapshot.value,
    context: snapshot.context,
    tags: [...snapshot.tags],
    status: snapshot.status,
    actions: actions.map((action) => ({ type: action.type, params: action.params })),
  };
}

/** The states each microstep of an actor's start ended in. */
function microsteps(machine: AnyStateMachine, input: ConnectionInput): unknown[] {
  const steps: unknown[] = [];
  const inspect = (event: InspectionEvent) => {
    if (event.type === '@xstate.microstep') steps.push((event.snapshot as { value?: unknown }).value);
  };
  createActor(machine, { input, clock: new TestClock(), inspect }).start().stop();
  return steps.slice(0, -1); // the stop's own
}

describe('the chart started where idle takes a link', () => {
  for (const [name, kind] of KINDS) {
    it(`${name}: the chart's start without the microstep through idle`, () => {
      const input = inputOf(kind);
      const chart = start(connectionMachine, input);
      expect(chart.value).not.toBe('idle');
      const derived = startedAt(connectionMachine, chart.value);
      expect(derived).not.toBe(connectionMachine);
      expect(derived.id).toBe('connection');
      expect(start(derived, input)).toEqual(chart);
      expect(chart.actions.map((a) => a.type)).toContain('openTransport');
      // The chart's eventless step out of idle (into attempt) is the one step fewer.
      const drawn = microsteps(connectionMachine, input);
      expect(drawn[0]).toMatchObject({ attempt: expect.anything() });
      expect(microsteps(derived, input)).toEqual(drawn.slice(1));
      if (name === 'ws-like') expect(drawn).toEqual([{ attempt: 'connecting' }]);
    });
  }

  it('a link that waits in idle (autoConnect off) keeps the chart', () => {
    const { value } = start(connectionMachine, inputOf({ autoConnect: false }));
    expect(value).toBe('idle');
    expect(startedAt(connectionMachine, value)).toBe(connectionMachine);
  });
});
