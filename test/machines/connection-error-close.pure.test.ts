/**
 * The error-close timer (machines/connection-error-close.ts): a socket that fired `error` must
 * fire `close` within errorCloseGrace, or the chart ends the attempt itself as an abnormal close
 * (1006, the reason naming that no close came), and the link reconnects as after any drop.
 * Nothing is armed on a healthy link; leaving the attempt cancels it.
 */
import { describe, expect, it } from 'vitest';
import { ERROR_CLOSE_GRACE_MS } from '../../machines/policy/timeouts.js';
import { RESET_1006, readyWalk, Walk } from './connection-walk.js';

const NO_CLOSE = {
  kind: 'close',
  code: 1006,
  message: `no close event within ${ERROR_CLOSE_GRACE_MS} ms of an error event`,
};

describe('connection chart: an error with no close after it', () => {
  it('a healthy attempt arms no error timer', () => {
    const walk = readyWalk();
    expect(walk.timerNames()).not.toContain('errorCloseGrace');
    walk.send({ type: 'transport.closed', reason: RESET_1006 });
    expect(walk.timerNames()).not.toContain('errorCloseGrace');
  });

  it('in ready: after errorCloseGrace the link is lost as 1006, naming it, and reconnects', () => {
    const walk = readyWalk().send({ type: 'transport.error' });
    expect(walk.state).toBe('ready');
    expect(walk.delayOf('errorCloseGrace')).toBe(ERROR_CLOSE_GRACE_MS);
    walk.fire('errorCloseGrace');
    expect(walk.did('closeTransport')).toBe(true);
    expect(walk.snapshot.value).toBe('reconnecting');
    expect(walk.emitted.slice(-2)).toEqual([
      { type: 'lost', linkId: walk.context.linkId, reason: NO_CLOSE },
      expect.objectContaining({ type: 'reconnecting', reason: NO_CLOSE }),
    ]);
  });

  it('while connecting: the attempt ends as 1006 and is retried', () => {
    const walk = new Walk().send({ type: 'transport.error' });
    expect(walk.timerNames()).toContain('errorCloseGrace');
    walk.fire('errorCloseGrace');
    expect(walk.snapshot.value).toBe('reconnecting');
    expect(walk.context.reason).toEqual(NO_CLOSE);
  });

  it('the close that follows the error ends the attempt first: the timer goes with it', () => {
    const walk = readyWalk()
      .send({ type: 'transport.error' })
      .send({ type: 'transport.closed', reason: RESET_1006 });
    expect(walk.context.reason).toEqual(RESET_1006);
    expect(walk.timerNames()).not.toContain('errorCloseGrace');
    expect(walk.actions.map((a) => a.type)).toContain('xstate.cancel');
  });

  it('while closing: the error shortens the close wait to the grace; the close keeps its own reason', () => {
    // closeTimeoutMs longer than the grace: the error-close timer ends the wait first.
    const timeouts = { connectTimeoutMs: 1_111, handshakeTimeoutMs: 2_222, closeTimeoutMs: 60_000 };
    const walk = readyWalk({ timeouts })
      .send({ type: 'link.close', code: 4001, reason: 'done' })
      .send({ type: 'transport.error' });
    expect(walk.timerNames()).toEqual(expect.arrayContaining(['closeTimeout', 'errorCloseGrace']));
    walk.fire('errorCloseGrace');
    expect(walk.snapshot.value).toBe('closed');
    expect(walk.did('closeTransport')).toBe(true);
    expect(walk.context.reason).toMatchObject({ kind: 'user', code: 4001 });
    expect(walk.timerNames()).not.toContain('closeTimeout');
  });

  it('while closing: a closeTimeout shorter than the grace still governs', () => {
    const walk = readyWalk() // closeTimeoutMs 3 333 < ERROR_CLOSE_GRACE_MS
      .send({ type: 'link.close', code: 4001, reason: 'done' })
      .send({ type: 'transport.error' });
    walk.fire('closeTimeout');
    expect(walk.snapshot.value).toBe('closed');
    expect(walk.context.reason).toMatchObject({ kind: 'user', code: 4001 });
    expect(walk.timerNames()).not.toContain('errorCloseGrace');
  });
});
