/**
 * The connection chart when a link's socket ends: retried or failed (fatal reasons, maxAttempts),
 * the first reason of a disconnect wins, link.reconnect; the retry decision with the user's
 * shouldReconnect hook; the one fresh attempt of a credentials rejection (verdict refresh).
 * Pure: `initialTransition` / `transition` through `Walk` (connection-walk.ts), which reads the returned
 * actions the way an actor would, so every test also checks that each state schedules exactly the
 * timers it owns, with the delay the policy says. No actor runs and no timer exists.
 */
import { describe, expect, it } from 'vitest';
import { transition } from 'xstate';
import {
  connectionMachine,
  createConnectionContext,
  decideRetry,
  failureReason,
  type ShouldReconnect,
} from '../../machines/connection.machine.js';
import type { Reason } from '../../machines/policy/close-reason.js';
import { input, POLICY_1008, RESET_1006, readyWalk, Walk, withHook } from './connection-walk.js';

// ─── Losing the link ────────────────────────────────────────────────────────────────────────

describe('losing the link', () => {
  it('1006 in ready → reconnecting, emitting lost then reconnecting; ready timers die', () => {
    const walk = readyWalk().send({ type: 'transport.closed', reason: RESET_1006 });
    expect(walk.snapshot.value).toBe('reconnecting');
    expect(walk.lastEmitted()).toEqual([
      { type: 'lost', linkId: 'link:test', reason: RESET_1006 },
      {
        type: 'reconnecting',
        linkId: 'link:test',
        attempt: 1,
        delayMs: walk.context.nextDelayMs,
        reason: RESET_1006,
      },
    ]);
    expect(walk.did('closeTransport')).toBe(true);
    expect(walk.liveTransports).toBe(0);
    expect(walk.timerNames()).toEqual(['reconnectDelay']);
    expect(walk.context.lastError).toEqual(RESET_1006);
    // The retry starts a new attempt with its own transport and its own connect timeout.
    walk.fire('reconnectDelay');
    expect(walk.snapshot.value).toEqual({ attempt: 'connecting' });
    expect(walk.context.reason).toBeNull();
    expect(walk.did('openTransport')).toBe(true);
    expect(walk.liveTransports).toBe(1);
    expect(walk.context.retry.attempt).toBe(1);
    expect(walk.timerNames()).toEqual(['connectTimeout']);
  });

  it('fatal 1008 → failed with the reason as failure', () => {
    const walk = readyWalk().send({ type: 'transport.closed', reason: POLICY_1008 });
    expect(walk.snapshot.value).toBe('failed');
    expect(walk.snapshot.status).toBe('done');
    expect(walk.context.failure).toEqual(POLICY_1008);
    expect(walk.lastEmitted()).toEqual([
      { type: 'lost', linkId: 'link:test', reason: POLICY_1008 },
      { type: 'failed', linkId: 'link:test', reason: POLICY_1008 },
    ]);
  });

  it.each([
    { kind: 'http', status: 401, message: 'HTTP 401' },
    { kind: 'http', status: 403, message: 'HTTP 403' },
    { kind: 'error', errorCode: 'DEPTH_ZERO_SELF_SIGNED_CERT', message: 'cert' },
  ] as Reason[])('a fatal reason while connecting fails at once: %o', (reason) => {
    const walk = new Walk().send({ type: 'transport.closed', reason });
    expect(walk.snapshot.value).toBe('failed');
    expect(walk.context.failure).toEqual(reason);
    expect(walk.emitted.map((e) => e.type)).toEqual(['failed']);
  });

  it('maxAttempts exhausted → failed with kind gave-up', () => {
    const walk = new Walk({ backoff: { maxAttempts: 2, jitter: 'none' } });
    const delays: number[] = [];
    for (let i = 0; i < 2; i++) {
      walk.send({ type: 'transport.closed', reason: RESET_1006 });
      expect(walk.snapshot.value).toBe('reconnecting');
      delays.push(walk.delayOf('reconnectDelay')!);
      walk.fire('reconnectDelay');
    }
    expect(delays).toEqual([1000, 2000]);
    walk.send({ type: 'transport.closed', reason: RESET_1006 });
    expect(walk.snapshot.value).toBe('failed');
    expect(walk.context.failure?.kind).toBe('gave-up');
    expect(walk.context.failure?.message).toContain('2 retries');
    expect(walk.context.failure?.message).toContain(RESET_1006.message);
    expect(walk.lastEmitted()).toEqual([
      { type: 'failed', linkId: 'link:test', reason: walk.context.failure },
    ]);
    expect(walk.timers.size).toBe(0);
  });

  it('maxAttempts 0: the first failure gives up', () => {
    const walk = new Walk({ backoff: { maxAttempts: 0 } }).send({
      type: 'transport.closed',
      reason: RESET_1006,
    });
    expect(walk.snapshot.value).toBe('failed');
    expect(walk.context.failure?.kind).toBe('gave-up');
  });

  it('the first reason of a disconnect wins: close() then the socket reports 1006', () => {
    const walk = readyWalk().send({ type: 'link.close', code: 4000, reason: 'bye' });
    expect(walk.snapshot.value).toEqual({ attempt: { closing: 'draining' } });
    expect(walk.context.reason).toMatchObject({ kind: 'user', code: 4000 });
    walk.send({ type: 'transport.closed', reason: RESET_1006 });
    expect(walk.snapshot.value).toBe('closed');
    expect(walk.context.reason).toMatchObject({ kind: 'user', code: 4000 });
    expect(walk.lastEmitted()).toEqual([
      { type: 'closed', linkId: 'link:test', reason: walk.context.reason },
    ]);
    // A user close is not an error.
    expect(walk.context.lastError).toBeNull();
  });

  it('the first reason of a disconnect wins: a recorded reason is not overwritten', () => {
    const first: Reason = { kind: 'timeout', phase: 'connect', message: 'first' };
    const resolved = connectionMachine.resolveState({
      value: { attempt: 'connecting' },
      context: { ...createConnectionContext(input()), reason: first, lastError: first },
    });
    const [next] = transition(connectionMachine, resolved, { type: 'transport.closed', reason: RESET_1006 });
    expect(next.value).toBe('reconnecting');
    expect(next.context.reason).toEqual(first);
    expect(next.context.lastError).toEqual(first);
  });

  it('link.reconnect in ready starts a fresh socket at once: no backoff wait, not an error', () => {
    const walk = readyWalk().send({ type: 'link.reconnect' });
    expect(walk.snapshot.value).toEqual({ attempt: 'connecting' });
    expect(walk.context.lastError).toBeNull();
    expect(walk.timerNames()).toEqual(['connectTimeout']);
    // Once down, link.reconnect while waiting: retry now, cancelling the delay.
    walk.send({ type: 'transport.closed', reason: { kind: 'close', code: 1006, message: 'reset' } });
    expect(walk.snapshot.value).toBe('reconnecting');
    walk.send({ type: 'link.reconnect' });
    expect(walk.snapshot.value).toEqual({ attempt: 'connecting' });
    expect(walk.timerNames()).toEqual(['connectTimeout']);
  });
});

// ─── The retry decision ─────────────────────────────────────────────────────────────────────

describe('decideRetry and the shouldReconnect hook', () => {
  const contextWith = (reason: Reason | null, attempt = 0, maxAttempts = Number.POSITIVE_INFINITY) => {
    const context = createConnectionContext(input({ backoff: { maxAttempts } }));
    return { ...context, reason, retry: { ...context.retry, attempt } };
  };

  it('without a hook the table decides', () => {
    expect(decideRetry(contextWith(RESET_1006))).toBe(true);
    expect(decideRetry(contextWith(POLICY_1008))).toBe(false);
    expect(decideRetry(contextWith({ kind: 'close', code: 1000, message: 'bye' }))).toBe(true);
    expect(decideRetry(contextWith({ kind: 'user', message: 'x' }))).toBe(false);
    expect(decideRetry(contextWith(RESET_1006, 3, 3))).toBe(false);
  });

  it('the hook overrides the table both ways, and gets the 1-based number of the next retry', () => {
    const seen: [Reason, number][] = [];
    const yes: ShouldReconnect = (reason, attempt) => {
      seen.push([reason, attempt]);
      return true;
    };
    expect(decideRetry(contextWith(POLICY_1008, 2), yes)).toBe(true);
    expect(seen).toEqual([[POLICY_1008, 3]]);
    expect(decideRetry(contextWith(RESET_1006), () => false)).toBe(false);
    // Only `true` means yes.
    expect(decideRetry(contextWith(RESET_1006), () => 1 as unknown as boolean)).toBe(false);
  });

  it('a hook that throws is handed to onHookError, then the table decides', () => {
    const thrown = new Error('boom');
    const boom: ShouldReconnect = () => {
      throw thrown;
    };
    const reported: unknown[] = [];
    expect(decideRetry(contextWith(RESET_1006), boom, (error) => reported.push(error))).toBe(true);
    expect(decideRetry(contextWith(POLICY_1008), boom)).toBe(false);
    expect(reported).toEqual([thrown]);
  });

  it('our own close never retries and maxAttempts is never overridden, whatever the hook says', () => {
    let calls = 0;
    const yes: ShouldReconnect = () => {
      calls++;
      return true;
    };
    expect(decideRetry(contextWith({ kind: 'user', message: 'x' }), yes)).toBe(false);
    expect(decideRetry(contextWith(RESET_1006, 3, 3), yes)).toBe(false);
    expect(calls).toBe(0);
  });

  it('in the chart: a hook saying yes to a fatal close retries', () => {
    const walk = new Walk(
      {},
      withHook(() => true),
    );
    walk.send({ type: 'transport.open' }).send({ type: 'transport.closed', reason: POLICY_1008 });
    expect(walk.snapshot.value).toBe('reconnecting');
    expect(walk.lastEmitted().map((e) => e.type)).toEqual(['lost', 'reconnecting']);
  });

  it('in the chart: a hook saying no to a retryable close fails the link with that reason', () => {
    const walk = new Walk(
      {},
      withHook(() => false),
    );
    walk.send({ type: 'transport.open' }).send({ type: 'transport.closed', reason: RESET_1006 });
    expect(walk.snapshot.value).toBe('failed');
    expect(walk.context.failure).toEqual(RESET_1006);
  });

  it('in the chart: a throwing hook leaves the decision to the table', () => {
    const boom = withHook(() => {
      throw new Error('boom');
    });
    expect(new Walk({}, boom).send({ type: 'transport.closed', reason: RESET_1006 }).snapshot.value).toBe(
      'reconnecting',
    );
    expect(new Walk({}, boom).send({ type: 'transport.closed', reason: POLICY_1008 }).snapshot.value).toBe(
      'failed',
    );
  });

  it('in the chart: close() while reconnecting ends the link even with a hook that always says yes', () => {
    const walk = new Walk(
      {},
      withHook(() => true),
    ).send({ type: 'transport.closed', reason: RESET_1006 });
    walk.send({ type: 'link.close' });
    expect(walk.snapshot.value).toBe('closed');
  });

  it('failureReason: the fatal reason itself, or gave-up when attempts ran out', () => {
    expect(failureReason(contextWith(POLICY_1008))).toEqual(POLICY_1008);
    expect(failureReason(contextWith(RESET_1006, 5, 5)).kind).toBe('gave-up');
    expect(failureReason(contextWith(null)).kind).toBe('invalid');
  });
});

describe('credentials that refresh (verdict refresh)', () => {
  const HTTP_401: Reason = { kind: 'http', status: 401, message: 'unexpected server response: 401' };

  it('a rejection with a per-attempt function: one attempt at once that is told the reason', () => {
    const walk = new Walk({ perAttempt: true, backoff: { initialDelayMs: 30_000 } });
    // The attempt resolves its per-attempt function first (resolving); the rejection's reason is
    // the same wherever the attempt was.
    walk.send({ type: 'transport.closed', reason: HTTP_401 });
    expect(walk.snapshot.value).toEqual({ attempt: 'resolving' });
    expect(walk.timerNames()).toEqual(['resolveTimeout']);
    // The new attempt's transport is opened with the rejection as its lastReason (the runtime's
    // openTransport reads previousReason) and the same retry number.
    expect(walk.actions.map((a) => a.type)).toContain('openTransport');
    expect(walk.context.previousReason).toEqual(HTTP_401);
    expect(walk.context.retry.attempt).toBe(0);
    // Announced as any retry: in 0 ms, with the rejection and that same number.
    expect(walk.lastEmitted()).toEqual([
      { type: 'reconnecting', linkId: 'link:test', attempt: 0, delayMs: 0, reason: HTTP_401 },
    ]);
    // The second rejection in a row is fatal.
    walk.send({ type: 'transport.closed', reason: HTTP_401 });
    expect(walk.snapshot.value).toBe('failed');
    expect(walk.context.failure).toEqual(HTTP_401);
  });

  it('ready but not stable in between: the next rejection is a second in a row, fatal (a server that accepts then rejects is not hammered)', () => {
    const EXPIRED: Reason = { kind: 'close', code: 3000, message: 'expired' };
    const walk = new Walk({ perAttempt: true, intensity: false });
    walk.send({ type: 'transport.opening' }).send({ type: 'transport.open' });
    expect(walk.state).toBe('ready');
    walk.send({ type: 'transport.closed', reason: EXPIRED });
    expect(walk.snapshot.value).toEqual({ attempt: 'resolving' });
    walk.send({ type: 'transport.opening' }).send({ type: 'transport.open' });
    expect(walk.state).toBe('ready');
    // What the next attempt's per-attempt function would see is unchanged: ready cleared it.
    expect(walk.context.previousReason).toBeUndefined();
    walk.send({ type: 'transport.closed', reason: EXPIRED });
    expect(walk.snapshot.value).toBe('failed');
    expect(walk.context.failure).toEqual(EXPIRED);
  });

  it('stable in between: the next rejection is a first one again, refreshed at once (twice)', () => {
    const EXPIRED: Reason = { kind: 'close', code: 3000, message: 'expired' };
    const walk = new Walk({ perAttempt: true, heartbeat: { mode: 'off' } });
    walk.send({ type: 'transport.opening' }).send({ type: 'transport.open' });
    for (let round = 0; round < 2; round++) {
      walk.fire('stableAfter');
      expect(walk.context.stable).toBe(true);
      walk.send({ type: 'transport.closed', reason: EXPIRED });
      expect(walk.snapshot.value).toEqual({ attempt: 'resolving' });
      expect(walk.context.previousReason).toEqual(EXPIRED);
      walk.send({ type: 'transport.opening' }).send({ type: 'transport.open' });
      expect(walk.state).toBe('ready');
    }
    // Not stable since the last refresh: the next rejection fails the link.
    walk.send({ type: 'transport.closed', reason: EXPIRED });
    expect(walk.snapshot.value).toBe('failed');
  });

  it('a rejection after a backoff retry that followed a refresh is a first one again (the backoff wait paces it): refreshed at once', () => {
    const EXPIRED: Reason = { kind: 'close', code: 3000, message: 'expired' };
    const walk = new Walk({ perAttempt: true, heartbeat: { mode: 'off' }, intensity: false });
    walk.send({ type: 'transport.opening' }).send({ type: 'transport.open' });
    walk.send({ type: 'transport.closed', reason: EXPIRED });
    walk.send({ type: 'transport.opening' }).send({ type: 'transport.open' });
    walk.send({ type: 'transport.closed', reason: RESET_1006 });
    expect(walk.state).toBe('reconnecting');
    walk.fire('reconnectDelay').send({ type: 'transport.opening' }).send({ type: 'transport.open' });
    expect(walk.context.previousReason).toBeUndefined();
    // A token that expired during the outage that followed the refresh: one fresh attempt at once.
    walk.send({ type: 'transport.closed', reason: EXPIRED });
    expect(walk.snapshot.value).toEqual({ attempt: 'resolving' });
    // That attempt's own rejection (or a server that accepts then rejects it) is a second one.
    walk.send({ type: 'transport.opening' }).send({ type: 'transport.open' });
    walk.send({ type: 'transport.closed', reason: EXPIRED });
    expect(walk.snapshot.value).toBe('failed');
  });

  it('without a per-attempt function a rejection is fatal at once', () => {
    const walk = new Walk();
    walk.send({ type: 'transport.closed', reason: HTTP_401 });
    expect(walk.snapshot.value).toBe('failed');
  });

  it('reconnect switched off: a rejection waits in suspended like any other disconnect', () => {
    const walk = new Walk({ perAttempt: true, reconnectEnabled: false });
    walk.send({ type: 'transport.closed', reason: HTTP_401 });
    expect(walk.state).toBe('suspended');
  });
});
