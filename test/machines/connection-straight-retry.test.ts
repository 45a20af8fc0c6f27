/**
 * The straight edges to `reconnecting` (`transport.closed [backoffRetry]` in an attempt and in
 * ready: BENCHMARKS.md round 20 (drop)) never change what a disconnect
 * does: for any context and reason, the chart with them ends the step where the chart without them
 * (their guards never holding, every disconnect through `disconnected`) does, with the same context,
 * the same actions in the same order and the same events emitted and reported. Only the microstep
 * through `disconnected` is gone. With a user's hook (`retryGuards`) they are never taken, so the
 * hook is asked once, by `disconnected`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AnyMachineSnapshot, transition } from 'xstate';
import {
  type ConnectionContext,
  connectionMachine,
  createConnectionContext,
  retryGuards,
} from '../../machines/connection.machine.js';
import type { Reason } from '../../machines/policy/close-reason.js';

const REASONS: Reason[] = [
  { kind: 'close', code: 1006, message: 'connection reset' },
  { kind: 'close', code: 1008, message: 'policy violation' },
  { kind: 'close', code: 1000, message: 'bye' },
  { kind: 'http', status: 401, message: 'unauthorized' },
  { kind: 'close', code: 3000, auth: true, message: 'unauthorized' },
  { kind: 'group', cause: 'link:b', message: 'restarted with group g: link:b was lost' },
  { kind: 'user', code: 1000, message: 'closed by the application' },
  { kind: 'timeout', phase: 'connect', message: 'no connection within 10 ms' },
];

/** The chart as it was: the straight edges' guards never hold. */
const throughDisconnected = connectionMachine.provide({
  guards: { backoffRetry: () => false },
});

const input = fc.record({
  maxAttempts: fc.integer({ min: 0, max: 3 }),
  attempt: fc.integer({ min: 0, max: 4 }),
  perAttempt: fc.boolean(),
  previousAuth: fc.boolean(),
  reconnectEnabled: fc.boolean(),
  intensity: fc.oneof(
    fc.constant(false as const),
    fc.record({ maxRestarts: fc.integer({ min: 0, max: 3 }), fails: fc.boolean() }),
  ),
  restarts: fc.integer({ min: 0, max: 4 }),
  recorded: fc.option(fc.constantFrom(...REASONS), { nil: null }),
  reason: fc.constantFrom(...REASONS),
  where: fc.constantFrom<unknown>(
    { attempt: { ready: 'beating' } },
    { attempt: { ready: 'settling' } },
    { attempt: 'connecting' },
    { attempt: 'handshakeGrace' },
    { attempt: 'resolving' },
  ),
});

type Case = typeof input extends fc.Arbitrary<infer T> ? T : never;

function contextOf(c: Case): ConnectionContext {
  const base = createConnectionContext({
    linkId: 'link:a',
    label: 'ws://a',
    backoff: { maxAttempts: c.maxAttempts },
    perAttempt: c.perAttempt,
    hasHandshake: true,
    reconnectEnabled: c.reconnectEnabled,
    intensity: c.intensity && {
      maxRestarts: c.intensity.maxRestarts,
      // biome-ignore lint/suspicious/noThenProperty: the intensity option's name (a string)
      then: c.intensity.fails ? 'fail' : 'cool-down',
    },
  });
  return {
    ...base,
    reason: c.recorded,
    ...(c.previousAuth ? { previousReason: REASONS[3] } : {}),
    retry: { ...base.retry, attempt: c.attempt },
    intensity:
      c.intensity === false
        ? base.intensity
        : { restarts: Array(c.restarts).fill(0), escalations: 0, quietSinceMs: 0, sick: false },
  };
}

/** A step of `machine` from `value` with `context`: where it ends, its context, and its actions
 * (emitted events and reports included) as data. */
function step(machine: typeof connectionMachine, value: unknown, context: ConnectionContext, reason: Reason) {
  const start = machine.resolveState({ value: value as never, context });
  const [next, actions] = transition(machine, start as AnyMachineSnapshot as never, {
    type: 'transport.closed',
    reason,
  });
  return {
    value: next.value,
    context: next.context,
    actions: actions.map((a) => JSON.stringify({ type: a.type, params: a.params })),
  };
}

describe('connection chart: the straight edges to reconnecting', () => {
  it('end every disconnect where disconnected sends it, with the same context, actions and events', () => {
    let straight = 0;
    fc.assert(
      fc.property(input, (c) => {
        const context = contextOf(c);
        const got = step(connectionMachine, c.where, context, c.reason);
        expect(got).toEqual(step(throughDisconnected, c.where, context, c.reason));
        if (got.value === 'reconnecting') straight++;
      }),
      { numRuns: 3000 },
    );
    // The property is not vacuous: many of the cases retry through the backoff. About 3.8 % of
    // the random cases do (110-125 of 3,000 in six runs, standard deviation about 10); 100 failed
    // a CI run (94; about one run in twelve by that spread), so the bound sits seven deviations below.
    expect(straight).toBeGreaterThan(40);
  });

  it('take the usual retry; a loss that may escalate goes through disconnected', () => {
    const ready = { attempt: { ready: 'beating' } };
    const reset = REASONS[0] as Reason;
    const c = contextOf({
      maxAttempts: 3,
      attempt: 0,
      perAttempt: false,
      previousAuth: false,
      reconnectEnabled: true,
      intensity: { maxRestarts: 1, fails: false },
      restarts: 0,
      recorded: null,
      reason: reset,
      where: ready,
    });
    const start = connectionMachine.resolveState({ value: ready as never, context: c });
    const [retried] = transition(connectionMachine, start as never, {
      type: 'transport.closed',
      reason: reset,
    });
    expect(retried.value).toBe('reconnecting');
    // One restart in the window already: the next may escalate, so disconnected decides.
    const near = { ...c, intensity: { restarts: [0], escalations: 0, quietSinceMs: 0, sick: false } };
    const nearStart = connectionMachine.resolveState({ value: ready as never, context: near });
    const [after] = transition(connectionMachine, nearStart as never, {
      type: 'transport.closed',
      reason: reset,
    });
    expect(after.value).toBe('coolingDown');
  });

  it('are never taken for a link with a shouldReconnect hook: disconnected asks it, once', () => {
    const calls: number[] = [];
    const hooked = connectionMachine.provide({
      guards: retryGuards(() => (_reason, attempt) => calls.push(attempt) > 0),
    });
    const c = createConnectionContext({ linkId: 'link:a', label: 'ws://a' });
    for (const value of [{ attempt: { ready: 'beating' } }, { attempt: 'connecting' }]) {
      calls.length = 0;
      const start = hooked.resolveState({ value: value as never, context: c });
      const [next] = transition(hooked, start as never, {
        type: 'transport.closed',
        reason: REASONS[0] as Reason,
      });
      expect(next.value).toBe('reconnecting');
      expect(calls).toEqual([1]);
    }
  });

  it('a hook that throws is reported with its link, and the close table decides', () => {
    const boom = new Error('hook failed');
    const reported: [string, unknown][] = [];
    const hooked = connectionMachine.provide({
      guards: retryGuards(
        () => () => {
          throw boom;
        },
        (context, error) => reported.push([context.linkId, error]),
      ),
    });
    const c = createConnectionContext({ linkId: 'link:a', label: 'ws://a' });
    const start = hooked.resolveState({ value: { attempt: { ready: 'beating' } } as never, context: c });
    const [next] = transition(hooked, start as never, {
      type: 'transport.closed',
      reason: REASONS[0] as Reason,
    });
    expect(next.value).toBe('reconnecting');
    expect(reported).toEqual([['link:a', boom]]);
  });
});
