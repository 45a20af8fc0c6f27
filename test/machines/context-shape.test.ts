/**
 * The connection chart's context never has more than 19 own fields, in any state it reaches.
 * XState's assign copies the context with `Object.assign({}, context, update)`; on V8 a copy of
 * 20 fields or more is built in dictionary mode — ~10 × slower per assign and a larger object
 * (machines/connection-context.ts has the numbers). A budget, not a timing: this walk sets every
 * optional field (stableInMs, previousReason, intensity) and counts the fields at each step.
 */
import { describe, expect, it } from 'vitest';
import { initialTransition, type SnapshotFrom, transition } from 'xstate';
import {
  type ConnectionEvent,
  type ConnectionInput,
  connectionMachine,
} from '../../machines/connection.machine.js';
import type { Reason } from '../../machines/policy/close-reason.js';

type Snapshot = SnapshotFrom<typeof connectionMachine>;

const MAX_FIELDS = 19;
const RESET: Reason = { kind: 'close', code: 1006, message: 'closed with code 1006: connection reset' };
const UNAUTHORIZED: Reason = { kind: 'http', status: 401, message: 'unexpected server response: 401' };

/** The delayed events scheduled by a step, by delay name (`xstate.after.<name>.<state>`). */
function timers(actions: unknown[]): Map<string, ConnectionEvent> {
  const found = new Map<string, ConnectionEvent>();
  for (const action of actions as {
    type: string;
    params?: { id?: string; event?: ConnectionEvent; delay?: number };
  }[]) {
    const id = action.params?.id;
    if (action.type === 'xstate.raise' && id?.startsWith('xstate.after.') && action.params?.event) {
      found.set(id.split('.')[2] ?? '', action.params.event);
    }
  }
  return found;
}

describe('connection context shape', () => {
  it(`keeps at most ${MAX_FIELDS} own fields while every optional field is set`, () => {
    const input: ConnectionInput = {
      linkId: 'link:shape',
      label: 'ws://shape',
      perAttempt: true,
      hasHandshake: true,
      // A stable wait longer than the heartbeat's quiet interval: quiet intervals are credited
      // toward it (stableInMs).
      backoff: { stableAfterMs: 10_000, initialDelayMs: 100 },
      heartbeat: { intervalMs: 1_000, timeoutMs: 500 },
      intensity: { maxRestarts: 1, withinMs: 60_000 },
    };
    let [snapshot, actions] = initialTransition(connectionMachine, input);
    let most = Object.keys(snapshot.context).length;
    const seen = new Set<string>();
    let scheduled = timers(actions);
    const step = (event: ConnectionEvent): void => {
      [snapshot, actions] = transition(connectionMachine, snapshot as Snapshot, event);
      const fields = Object.keys(snapshot.context);
      most = Math.max(most, fields.length);
      for (const field of fields) seen.add(field);
      scheduled = timers(actions);
    };
    const fire = (name: string): void => {
      const event = scheduled.get(name);
      if (!event) throw new Error(`no ${name} timer; scheduled: ${[...scheduled.keys()].join(', ')}`);
      step(event);
    };
    const readyAgain = (): void => {
      // The per-attempt function settled (the link resolves first: perAttempt).
      step({ type: 'transport.opening' });
      step({ type: 'transport.open' });
      step({ type: 'handshake.ok' });
    };

    readyAgain();
    // A quiet interval, answered: credited toward the stable wait.
    fire('heartbeatInterval');
    step({ type: 'heartbeat.pong', rttMs: 3, proof: 'pong' });
    // Dropped: a restart (intensity), then a rejection (previousReason), then ready again.
    step({ type: 'transport.closed', reason: RESET });
    fire('reconnectDelay');
    step({ type: 'transport.closed', reason: UNAUTHORIZED });
    readyAgain();
    step({ type: 'transport.closed', reason: RESET });

    expect([...seen]).toEqual(expect.arrayContaining(['stableInMs', 'previousReason', 'intensity']));
    expect(most).toBeLessThanOrEqual(MAX_FIELDS);
  });

  it('stableInMs exists only where the stable wait outlasts the quiet interval, previousReason only after a disconnect (a key counts as a field, even undefined)', () => {
    // The default stable wait (5 s) ends within the default quiet interval (30 s): no countdown.
    const input: ConnectionInput = { linkId: 'link:plain', label: 'ws://plain' };
    let [snapshot] = initialTransition(connectionMachine, input);
    [snapshot] = transition(connectionMachine, snapshot as Snapshot, { type: 'transport.open' });
    expect(snapshot.value).toEqual({ attempt: { ready: 'settling' } });
    expect(Object.keys(snapshot.context)).not.toContain('previousReason');
    for (const event of [
      { type: 'transport.closed', reason: RESET },
      { type: 'link.reconnect' },
      { type: 'transport.open' },
    ] as ConnectionEvent[]) {
      [snapshot] = transition(connectionMachine, snapshot as Snapshot, event);
      expect(Object.keys(snapshot.context), `after ${event.type}`).not.toContain('stableInMs');
    }
    expect(snapshot.value).toEqual({ attempt: { ready: 'settling' } });
  });
});
