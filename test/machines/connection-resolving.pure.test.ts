/**
 * `attempt.resolving`: a link with a per-attempt URL, protocols, headers or wsOptions function
 * (`perAttempt`) waits there for it to settle, bounded by resolveTimeout; the connect timeout starts
 * only with `transport.opening` (the transport asked to open the resolved target). Pure walks.
 */
import { describe, expect, it } from 'vitest';
import { linkStateName } from '../../machines/connection.machine.js';
import type { Reason } from '../../machines/policy/close-reason.js';
import { TIMEOUT_DEFAULTS } from '../../machines/policy/timeouts.js';
import { TIMING, Walk } from './connection-walk.js';

const RESOLVE_MS = 7_777;
const PER_ATTEMPT = { perAttempt: true, timeouts: { ...TIMING.timeouts, resolveTimeoutMs: RESOLVE_MS } };
const REJECTED: Reason = {
  kind: 'error',
  errorCode: 'LV_ERR_RESOLVE',
  message: 'resolving the connection details failed: url() threw or rejected: down',
};

describe('connection chart: resolving (a per-attempt function settles before the socket)', () => {
  it('a link with a per-attempt function starts in resolving: the attempt opened, only resolveTimeout armed', () => {
    const walk = new Walk(PER_ATTEMPT);
    expect(walk.snapshot.value).toEqual({ attempt: 'resolving' });
    expect(walk.did('openTransport')).toBe(true);
    expect(walk.timerNames()).toEqual(['resolveTimeout']);
    expect(walk.delayOf('resolveTimeout')).toBe(RESOLVE_MS);
    // Publicly still connecting, and pending.
    expect(walk.state).toBe('connecting');
    expect(linkStateName({ attempt: 'resolving' })).toBe('connecting');
    expect(walk.snapshot.hasTag('pending')).toBe(true);
    expect(walk.snapshot.hasTag('connected')).toBe(false);
  });

  it('without one it starts in connecting, as before', () => {
    const walk = new Walk();
    expect(walk.snapshot.value).toEqual({ attempt: 'connecting' });
    expect(walk.timerNames()).toEqual(['connectTimeout']);
    // A stray transport.opening changes nothing there.
    walk.send({ type: 'transport.opening' });
    expect(walk.snapshot.value).toEqual({ attempt: 'connecting' });
    expect(walk.actions).toEqual([]);
  });

  it('the default bound is 10 s, its own: not the connect timeout', () => {
    expect(TIMEOUT_DEFAULTS.resolveTimeoutMs).toBe(10_000);
    expect(new Walk({ perAttempt: true, timeouts: undefined }).delayOf('resolveTimeout')).toBe(10_000);
  });

  it('transport.opening: the connect timeout starts then, the resolve timeout is cancelled', () => {
    const walk = new Walk(PER_ATTEMPT).send({ type: 'transport.opening' });
    expect(walk.snapshot.value).toEqual({ attempt: 'connecting' });
    expect(walk.timerNames()).toEqual(['connectTimeout']);
    expect(walk.delayOf('connectTimeout')).toBe(TIMING.timeouts.connectTimeoutMs);
    // The same attempt: its transport is not reopened.
    expect(walk.did('openTransport')).toBe(false);
    expect(walk.liveTransports).toBe(1);
    walk.send({ type: 'transport.open' });
    expect(walk.state).toBe('ready');
  });

  it('a function that never settles: after resolveTimeout the attempt ends with a timeout of phase resolve', () => {
    const walk = new Walk(PER_ATTEMPT).fire('resolveTimeout');
    expect(walk.state).toBe('reconnecting');
    expect(walk.did('closeTransport')).toBe(true);
    expect(walk.liveTransports).toBe(0);
    const reason: Reason = {
      kind: 'timeout',
      phase: 'resolve',
      message: `the connection details (url, protocols, headers) not resolved within ${RESOLVE_MS} ms`,
    };
    expect(walk.context.lastError).toEqual(reason);
    expect(walk.lastEmitted()).toContainEqual(expect.objectContaining({ type: 'reconnecting', reason }));
    // The retry's attempt resolves again.
    walk.fire('reconnectDelay');
    expect(walk.snapshot.value).toEqual({ attempt: 'resolving' });
  });

  it('a rejection ends the attempt with its reason, as in connecting', () => {
    const walk = new Walk(PER_ATTEMPT).send({ type: 'transport.closed', reason: REJECTED });
    expect(walk.state).toBe('reconnecting');
    expect(walk.context.lastError).toEqual(REJECTED);
    expect(walk.timerNames()).toEqual(['reconnectDelay']);
  });

  it('link.close in resolving: closed at once, by the application, no timer left', () => {
    const walk = new Walk(PER_ATTEMPT).send({ type: 'link.close' });
    expect(walk.snapshot.value).toBe('closed');
    expect(walk.lastEmitted()).toContainEqual(
      expect.objectContaining({ type: 'closed', reason: expect.objectContaining({ kind: 'user' }) }),
    );
    expect(walk.timerNames()).toEqual([]);
  });

  it('started by hand (link.connect) and reconnected (link.reconnect): resolving again, a fresh attempt', () => {
    const walk = new Walk({ ...PER_ATTEMPT, autoConnect: false });
    expect(walk.snapshot.value).toBe('idle');
    walk.send({ type: 'link.connect' });
    expect(walk.snapshot.value).toEqual({ attempt: 'resolving' });
    walk.send({ type: 'transport.opening' }).send({ type: 'transport.open' });
    walk.send({ type: 'link.reconnect' });
    expect(walk.snapshot.value).toEqual({ attempt: 'resolving' });
    expect(walk.did('closeTransport')).toBe(true);
    expect(walk.did('openTransport')).toBe(true);
    expect(walk.timerNames()).toEqual(['resolveTimeout']);
    // link.reconnect while resolving starts it again too.
    walk.send({ type: 'link.reconnect' });
    expect(walk.did('openTransport')).toBe(true);
    expect(walk.snapshot.value).toEqual({ attempt: 'resolving' });
  });

  it('a group restart and a retry after the backoff resolve again; without a function they connect', () => {
    const RESTART = { type: 'link.restart', group: 'api', cause: 'link:api/0' } as const;
    const walk = new Walk(PER_ATTEMPT).send({ type: 'transport.opening' }).send({ type: 'transport.open' });
    walk.send(RESTART);
    expect(walk.snapshot.value).toEqual({ attempt: 'resolving' });
    expect(walk.timerNames()).toEqual(['resolveTimeout']);
    // Announced as any retry at once (0 ms, the group reason), as a link without a function does.
    expect(walk.lastEmitted()).toContainEqual(
      expect.objectContaining({
        type: 'reconnecting',
        delayMs: 0,
        reason: expect.objectContaining({ kind: 'group' }),
      }),
    );
    const plain = new Walk().send({ type: 'transport.open' }).send(RESTART);
    expect(plain.snapshot.value).toEqual({ attempt: 'connecting' });
    // The backoff's retry (and a retry after the network came back) resolve too.
    const retried = new Walk(PER_ATTEMPT).send({
      type: 'transport.closed',
      reason: { kind: 'close', code: 1006, message: 'reset' },
    });
    expect(retried.state).toBe('reconnecting');
    retried.send({ type: 'network.online' }).fire('rejoinDelay');
    expect(retried.snapshot.value).toEqual({ attempt: 'resolving' });
  });

  it('reconnect disabled: a group restart waits in suspended, and link.reconnect resolves', () => {
    const walk = new Walk({ ...PER_ATTEMPT, reconnectEnabled: false })
      .send({ type: 'transport.opening' })
      .send({ type: 'transport.open' })
      .send({ type: 'link.restart', group: 'api', cause: 'link:api/0' });
    expect(walk.state).toBe('suspended');
    walk.send({ type: 'link.reconnect' });
    expect(walk.snapshot.value).toEqual({ attempt: 'resolving' });
  });

  it('in-process links never resolve in the chart: ready at once', () => {
    const walk = new Walk({ ...PER_ATTEMPT, inProcess: true });
    expect(walk.state).toBe('ready');
  });
});
