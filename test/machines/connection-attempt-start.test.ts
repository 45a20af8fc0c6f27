/**
 * `startAttempt` (entry of `attempt`) clears what the last socket left (its reason, which becomes
 * `previousReason`; missed pongs; a ping outstanding). A link's first attempt has nothing to clear,
 * and an assign that changes nothing still copies the context and the snapshot (XState's
 * `resolveAssign`): issue 11's open pays it once per link. Pinned here: the first attempt keeps the
 * context it was created with; any attempt after something to clear starts clean.
 */
import { describe, expect, it } from 'vitest';
import { createActor, type InspectionEvent } from 'xstate';
import {
  type ConnectionContext,
  type ConnectionInput,
  connectionMachine,
} from '../../machines/connection.machine.js';
import { TestClock } from '../../src/testing/index.js';

const DROP = { type: 'transport.closed', reason: { kind: 'close', code: 1006, message: 'gone' } } as const;

/** A ws-like link and the context of every microstep it took. */
function link(input: Partial<ConnectionInput> = {}) {
  const contexts: ConnectionContext[] = [];
  const clock = new TestClock();
  const actor = createActor(connectionMachine, {
    input: { linkId: 'link:a', label: 'ws://a', ...input },
    clock,
    inspect: (event: InspectionEvent) => {
      if (event.type === '@xstate.microstep') {
        contexts.push((event.snapshot as unknown as { context: ConnectionContext }).context);
      }
    },
  }).start();
  return { actor, clock, contexts };
}

describe('connection chart: what an attempt start clears', () => {
  it("a link's first attempt copies no context (nothing to clear)", () => {
    // autoConnect off: the context the link was created with, then link.connect into its first
    // attempt (autoConnect's eventless step from idle enters `attempt` the same way).
    const { actor, contexts } = link({ autoConnect: false });
    const created = actor.getSnapshot().context;
    contexts.length = 0;
    actor.send({ type: 'link.connect' });
    expect(actor.getSnapshot().value).toEqual({ attempt: 'connecting' });
    expect(contexts).toEqual([created]);
    expect(contexts[0]).toBe(created);
    actor.stop();
  });

  it('an attempt after a drop starts clean: the reason becomes previousReason', () => {
    const { actor } = link();
    actor.send({ type: 'transport.open' });
    actor.send(DROP);
    expect(actor.getSnapshot().value).toBe('reconnecting');
    expect(actor.getSnapshot().context.reason).toEqual(DROP.reason);
    actor.send({ type: 'link.reconnect' });
    expect(actor.getSnapshot().value).toEqual({ attempt: 'connecting' });
    expect(actor.getSnapshot().context.reason).toBeNull();
    expect(actor.getSnapshot().context.previousReason).toEqual(DROP.reason);
    actor.stop();
  });

  it('a reconnect from ready with a ping outstanding or a pong missed starts clean', async () => {
    const outstanding = link();
    outstanding.actor.send({ type: 'transport.open' });
    outstanding.actor.send({ type: 'heartbeat.overdue' });
    expect(outstanding.actor.getSnapshot().context.pingOutstanding).toBe(true);
    expect(outstanding.actor.getSnapshot().context.missedPongs).toBe(0);
    outstanding.actor.send({ type: 'link.reconnect' });
    expect(outstanding.actor.getSnapshot().value).toEqual({ attempt: 'connecting' });
    expect(outstanding.actor.getSnapshot().context.pingOutstanding).toBe(false);
    outstanding.actor.stop();

    const missed = link({ heartbeat: { maxMissed: 3 } });
    missed.actor.send({ type: 'transport.open' });
    missed.actor.send({ type: 'heartbeat.overdue' });
    missed.actor.send({ type: 'heartbeat.pong', proof: 'pong', rttMs: 1 });
    missed.actor.send({ type: 'heartbeat.overdue' });
    // The pong timeout (10 s), then its I/O turn: one pong missed (a peer that answered before).
    await missed.clock.advance(10_000);
    await missed.clock.advance(1_000);
    const before = missed.actor.getSnapshot().context;
    expect(before.missedPongs).toBe(1);
    expect(before.reason).toBeNull();
    missed.actor.send({ type: 'link.reconnect' });
    expect(missed.actor.getSnapshot().value).toEqual({ attempt: 'connecting' });
    expect(missed.actor.getSnapshot().context.missedPongs).toBe(0);
    missed.actor.stop();
  });
});
