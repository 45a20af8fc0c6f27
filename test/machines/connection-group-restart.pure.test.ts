/**
 * The connection chart told that a sibling of its group was lost (link.restart): a ready link
 * attempts again at once with reason kind group; any other state ignores it.
 * Pure: `initialTransition` / `transition` through `Walk` (connection-walk.ts), which reads the returned
 * actions the way an actor would, so every test also checks that each state schedules exactly the
 * timers it owns, with the delay the policy says. No actor runs and no timer exists.
 */
import { describe, expect, it } from 'vitest';
import type { Reason } from '../../machines/policy/close-reason.js';
import { RESET_1006, readyWalk, Walk, withHook } from './connection-walk.js';

describe('group restart (link.restart: a sibling was lost)', () => {
  const RESTART = { type: 'link.restart', group: 'api', cause: 'link:api/0' } as const;
  const GROUP_REASON: Reason = {
    kind: 'group',
    cause: 'link:api/0',
    message: 'restarted with group api: link:api/0 was lost',
  };

  it('a ready link is lost with reason kind group and attempts at once: socket closed and reopened, no backoff timer', () => {
    const walk = readyWalk();
    walk.send(RESTART);
    expect(walk.snapshot.value).toEqual({ attempt: 'connecting' });
    expect(walk.did('closeTransport')).toBe(true);
    expect(walk.did('openTransport')).toBe(true);
    expect(walk.liveTransports).toBe(1);
    // Announced as any retry after the loss: in 0 ms, with the group reason, the retry number kept.
    expect(walk.lastEmitted()).toEqual([
      { type: 'lost', linkId: 'link:test', reason: GROUP_REASON },
      { type: 'reconnecting', linkId: 'link:test', attempt: 0, delayMs: 0, reason: GROUP_REASON },
    ]);
    expect(walk.timerNames()).toEqual(['connectTimeout']);
    // The attempt's per-attempt functions see why (AttemptInfo.lastReason).
    expect(walk.context.previousReason).toEqual(GROUP_REASON);
    walk.send({ type: 'transport.open' });
    expect(walk.state).toBe('ready');
  });

  it('is not a restart of its own: the intensity window does not count it (maxRestarts 0 does not escalate)', () => {
    const walk = readyWalk({
      intensity: { maxRestarts: 0, coolDownMs: 7_777, maxCoolDownMs: 7_777, jitterRatio: 0 },
    });
    walk.send(RESTART);
    expect(walk.state).toBe('connecting');
    expect(walk.context.intensity?.restarts ?? []).toEqual([]);
    walk.send({ type: 'transport.open' }).send(RESTART);
    expect(walk.state).toBe('connecting');
  });

  it('a link that is not ready ignores it: connecting, reconnecting (its backoff is kept), coolingDown, closing', () => {
    const connecting = new Walk();
    connecting.send(RESTART);
    expect(connecting.actions).toEqual([]);
    expect(connecting.state).toBe('connecting');

    const reconnecting = readyWalk().send({ type: 'transport.closed', reason: RESET_1006 });
    expect(reconnecting.state).toBe('reconnecting');
    const delay = reconnecting.delayOf('reconnectDelay');
    reconnecting.send(RESTART);
    expect(reconnecting.actions).toEqual([]);
    expect(reconnecting.delayOf('reconnectDelay')).toBe(delay);

    const cooling = readyWalk({
      intensity: { maxRestarts: 0, coolDownMs: 7_777, maxCoolDownMs: 7_777, jitterRatio: 0 },
    }).send({ type: 'transport.closed', reason: RESET_1006 });
    expect(cooling.state).toBe('coolingDown');
    cooling.send(RESTART);
    expect(cooling.actions).toEqual([]);

    const closing = readyWalk().send({ type: 'link.close' });
    expect(closing.state).toBe('closing');
    closing.send(RESTART);
    expect(closing.actions).toEqual([]);
  });

  it('with reconnecting disabled (offline, switch off), a restarted link waits in suspended', () => {
    const walk = readyWalk().send({ type: 'reconnect.disable' });
    walk.send(RESTART);
    expect(walk.state).toBe('suspended');
    expect(walk.timerNames()).toEqual([]);
    walk.send({ type: 'reconnect.enable' });
    expect(walk.state).toBe('reconnecting');
  });

  it('an in-process link is ready again at once', () => {
    const walk = new Walk({ inProcess: true });
    expect(walk.state).toBe('ready');
    walk.send(RESTART);
    expect(walk.state).toBe('ready');
    expect(walk.lastEmitted().map((e) => e.type)).toEqual(['lost', 'reconnecting', 'ready']);
  });

  it("the user's shouldReconnect hook sees the group reason and may end the link", () => {
    const seen: Reason[] = [];
    const walk = readyWalk(
      {},
      withHook((reason) => {
        seen.push(reason);
        return false;
      }),
    );
    walk.send(RESTART);
    expect(seen).toEqual([GROUP_REASON]);
    expect(walk.state).toBe('failed');
  });
});
