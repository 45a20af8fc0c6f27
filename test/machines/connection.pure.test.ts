/**
 * The connection chart, pure: `initialTransition` / `transition` and the actions they return.
 * No actor runs and no timer exists. A tiny bookkeeper (`Walk`) reads the returned actions the
 * way an actor would: `xstate.raise` with a `delay` schedules a timer, `xstate.cancel` removes
 * it; `fire(name)` delivers a scheduled timer's event. So every test also checks that each state
 * schedules exactly the timers it owns, with the delay the policy says.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { transition } from 'xstate';
import {
  type ConnectionContext,
  type ConnectionEvent,
  type ConnectionInput,
  connectionMachine,
  createConnectionContext,
  decideRetry,
  failureReason,
  retryGuards,
  type ShouldReconnect,
} from '../../machines/connection.machine.js';
import { delayBounds } from '../../machines/policy/backoff.js';
import type { Reason } from '../../machines/policy/close-reason.js';
import { IO_TURN_MS, MAX_RETRY_AFTER_MS } from '../../machines/policy/timeouts.js';
import {
  answeredWalk,
  input,
  type Machine,
  POLICY_1008,
  RESET_1006,
  readyWalk,
  TIMING,
  Walk,
} from './connection-walk.js';

/**
 * A timeout of the attempt's phase `phase` has fired: the link is in its grace state `grace` (one
 * I/O turn for an answer read late), still reported as `phase` and pending, with only the turn's
 * timer; nothing started again (no handshake or hello), the socket not closed, nothing announced.
 */
function expectGraceTurn(walk: Walk, grace: string, phase: string): void {
  expect(walk.snapshot.value).toEqual({ attempt: grace });
  expect(walk.state).toBe(phase);
  expect(walk.snapshot.hasTag('pending')).toBe(true);
  expect(walk.timerNames()).toEqual(['ioTurn']);
  expect(walk.delayOf('ioTurn')).toBe(IO_TURN_MS);
  expect(walk.sentToTransport()).toEqual([]);
  expect(walk.did('closeTransport')).toBe(false);
  expect(walk.lastEmitted()).toEqual([]);
}

function withHook(hook: ShouldReconnect): Machine {
  return connectionMachine.provide({ guards: retryGuards(() => hook) });
}

// ─── Starting ───────────────────────────────────────────────────────────────────────────────

describe('starting', () => {
  it('autoConnect (default): idle → attempt.connecting, transport opened, connect timeout armed', () => {
    const walk = new Walk();
    expect(walk.snapshot.value).toEqual({ attempt: 'connecting' });
    expect(walk.snapshot.hasTag('pending')).toBe(true);
    expect(walk.did('openTransport')).toBe(true);
    expect(walk.liveTransports).toBe(1);
    expect(walk.context.retry.attempt).toBe(0);
    expect(walk.timerNames()).toEqual(['connectTimeout']);
    expect(walk.delayOf('connectTimeout')).toBe(TIMING.timeouts.connectTimeoutMs);
    expect(walk.emitted).toEqual([]);
  });

  it('inProcess: idle → attempt.ready (settling) directly', () => {
    const walk = new Walk({ inProcess: true });
    expect(walk.snapshot.value).toEqual({ attempt: { ready: 'settling' } });
    expect(walk.snapshot.hasTag('connected')).toBe(true);
    expect(walk.sentToTransport()).toEqual([{ type: 'transport.flush' }]);
    expect(walk.emitted).toEqual([{ type: 'ready', linkId: 'link:test', readyCount: 1 }]);
    expect(walk.timerNames()).toEqual(['stableAfter']);
  });

  it('autoConnect: false stays idle, with no child and no timer, until link.connect', () => {
    const walk = new Walk({ autoConnect: false });
    expect(walk.snapshot.value).toBe('idle');
    expect(walk.actions.filter((a) => a.type !== 'xstate.assign')).toEqual([]);
    expect(walk.timers.size).toBe(0);
    // Unrelated events do nothing.
    walk.send({ type: 'transport.open' });
    expect(walk.snapshot.value).toBe('idle');
    walk.send({ type: 'link.connect' });
    expect(walk.snapshot.value).toEqual({ attempt: 'connecting' });
    expect(walk.timerNames()).toEqual(['connectTimeout']);

    const inProcess = new Walk({ autoConnect: false, inProcess: true });
    expect(inProcess.snapshot.value).toBe('idle');
    inProcess.send({ type: 'link.connect' });
    expect(inProcess.snapshot.value).toEqual({ attempt: { ready: 'settling' } });
  });

  it('a ready link with the usual options keeps a context of at most 19 fields', () => {
    // XState copies context with Object.assign; V8 keeps a 19-field copy in fast mode and puts a
    // 20th field's in dictionary mode (measured: the link cost 150-200 B more; BENCHMARKS.md).
    const walk = readyWalk().fire('stableAfter').fire('heartbeatRest');
    walk.send({ type: 'heartbeat.pong', rttMs: 1, proof: 'pong' });
    expect(Object.keys(walk.context).length).toBeLessThanOrEqual(19);
  });

  it('context is plain, serialisable data: a JSON round trip behaves the same', () => {
    // DESIGN.md §4: context stays serialisable so that snapshots can be persisted and restored.
    const walk = readyWalk();
    const { parent: _parent, ...rest } = walk.context;
    const restored = JSON.parse(JSON.stringify(rest)) as ConnectionContext;
    const resolved = connectionMachine.resolveState({ value: walk.snapshot.value, context: restored });
    const [next] = transition(connectionMachine, resolved, { type: 'transport.closed', reason: RESET_1006 });
    // The default maxAttempts is "unlimited": a restored link must still retry.
    expect(next.value).toBe('reconnecting');
    expect(restored).toEqual(rest);
  });
});

// ─── Opening ────────────────────────────────────────────────────────────────────────────────

describe('opening', () => {
  it('transport.open without a handshake → ready; the connect timeout is cancelled', () => {
    const walk = new Walk().send({ type: 'transport.open' });
    expect(walk.snapshot.value).toEqual({ attempt: { ready: 'settling' } });
    expect(walk.actions).toContainEqual(
      expect.objectContaining({
        type: 'xstate.cancel',
        params: { sendId: 'xstate.after.connectTimeout.connection.attempt.connecting' },
      }),
    );
    expect(walk.timerNames()).toEqual(['stableAfter']);
    expect(walk.lastEmitted()).toEqual([{ type: 'ready', linkId: 'link:test', readyCount: 1 }]);
    expect(walk.context.readyCount).toBe(1);
  });

  it('transport.open with a handshake → handshaking; handshake.ok → ready', () => {
    const walk = new Walk({ hasHandshake: true }).send({ type: 'transport.open' });
    expect(walk.snapshot.value).toEqual({ attempt: 'handshaking' });
    expect(walk.snapshot.hasTag('pending')).toBe(true);
    expect(walk.sentToTransport()).toEqual([{ type: 'transport.handshake' }]);
    expect(walk.timerNames()).toEqual(['handshakeTimeout']);
    expect(walk.delayOf('handshakeTimeout')).toBe(TIMING.timeouts.handshakeTimeoutMs);
    walk.send({ type: 'handshake.ok' });
    expect(walk.snapshot.value).toEqual({ attempt: { ready: 'settling' } });
    expect(walk.timerNames()).toEqual(['stableAfter']);
  });

  it('the connect timeout → reconnecting with a connect timeout reason', () => {
    const walk = new Walk().fire('connectTimeout');
    // One I/O turn first, for an open read late (reported as connecting): none came.
    expectGraceTurn(walk, 'connectGrace', 'connecting');
    walk.fire('ioTurn');
    expect(walk.snapshot.value).toBe('reconnecting');
    expect(walk.context.reason).toMatchObject({ kind: 'timeout', phase: 'connect' });
    expect(walk.context.lastError).toEqual(walk.context.reason);
    expect(walk.did('closeTransport')).toBe(true);
    expect(walk.liveTransports).toBe(0);
  });

  it("an open read in the connect timeout's I/O turn goes on as an open in time would", () => {
    const walk = new Walk().fire('connectTimeout').send({ type: 'transport.open' });
    expect(walk.snapshot.value).toEqual({ attempt: { ready: 'settling' } });
    expect(walk.context.reason).toBeNull();
    const handshake = new Walk({ hasHandshake: true })
      .fire('connectTimeout')
      .send({ type: 'transport.open' });
    expect(handshake.snapshot.value).toEqual({ attempt: 'handshaking' });
    // A close in the turn drops the pending socket, as in connecting.
    const closed = new Walk().fire('connectTimeout').send({ type: 'link.close' });
    expect(closed.snapshot.value).toBe('closed');
    expect(closed.liveTransports).toBe(0);
  });

  it('the handshake timeout → reconnecting with a handshake timeout reason', () => {
    const walk = new Walk({ hasHandshake: true }).send({ type: 'transport.open' }).fire('handshakeTimeout');
    // One I/O turn first, for an answer read late (reported as handshaking): none came.
    expectGraceTurn(walk, 'handshakeGrace', 'handshaking');
    walk.fire('ioTurn');
    expect(walk.snapshot.value).toBe('reconnecting');
    expect(walk.context.reason).toEqual({
      kind: 'timeout',
      phase: 'handshake',
      message: `handshake not done within ${TIMING.timeouts.handshakeTimeoutMs} ms`,
    });
    expect(walk.did('closeTransport')).toBe(true);
    expect(walk.liveTransports).toBe(0);
  });

  it("the handshake's answer read in its timeout's I/O turn does what it does in handshaking", () => {
    const late = () =>
      new Walk({ hasHandshake: true }).send({ type: 'transport.open' }).fire('handshakeTimeout');
    const ok = late().send({ type: 'handshake.ok' });
    expect(ok.snapshot.value).toEqual({ attempt: { ready: 'settling' } });
    expect(ok.context.reason).toBeNull();
    expect(ok.timerNames()).toEqual(['stableAfter']);
    expect(ok.lastEmitted()).toEqual([{ type: 'ready', linkId: 'link:test', readyCount: 1 }]);
    // A rejection keeps its own reason (not the timeout's): retried, or fatal.
    const refused = late().send({
      type: 'handshake.failed',
      reason: { kind: 'handshake', message: 'try later' },
    });
    expect(refused.snapshot.value).toBe('reconnecting');
    expect(refused.context.reason).toEqual({ kind: 'handshake', message: 'try later' });
    const fatal = late().send({
      type: 'handshake.failed',
      reason: { kind: 'handshake', message: 'bad token', fatal: true },
    });
    expect(fatal.snapshot.value).toBe('failed');
    expect(fatal.context.failure).toMatchObject({ message: 'bad token' });
    // A close drains, as in handshaking; a lost socket is the transport's reason.
    const closing = late().send({ type: 'link.close' });
    expect(closing.snapshot.value).toEqual({ attempt: { closing: 'draining' } });
    expect(closing.sentToTransport()).toEqual([{ type: 'transport.drain', code: 1000, reason: '' }]);
    const dropped = late().send({ type: 'transport.closed', reason: RESET_1006 });
    expect(dropped.snapshot.value).toBe('reconnecting');
    expect(dropped.context.reason).toEqual(RESET_1006);
  });

  it('a rejected handshake retries; a fatal one fails', () => {
    const retry = new Walk({ hasHandshake: true })
      .send({ type: 'transport.open' })
      .send({ type: 'handshake.failed', reason: { kind: 'handshake', message: 'try later' } });
    expect(retry.snapshot.value).toBe('reconnecting');

    const fatal = new Walk({ hasHandshake: true })
      .send({ type: 'transport.open' })
      .send({ type: 'handshake.failed', reason: { kind: 'handshake', fatal: true, message: 'bad token' } });
    expect(fatal.snapshot.value).toBe('failed');
    expect(fatal.context.failure).toMatchObject({ kind: 'handshake', fatal: true });
  });
});

// ─── Delays come from the policy ────────────────────────────────────────────────────────────

describe('named delays', () => {
  it('each state schedules its own timers, with the policy value', () => {
    const walk = new Walk({ hasHandshake: true });
    expect(walk.delayOf('connectTimeout')).toBe(TIMING.timeouts.connectTimeoutMs);
    walk.send({ type: 'transport.open' });
    expect(walk.delayOf('handshakeTimeout')).toBe(TIMING.timeouts.handshakeTimeoutMs);
    walk.send({ type: 'handshake.ok' });
    // One timer in ready: the stable wait, then the rest of the heartbeat interval.
    expect(walk.timerNames()).toEqual(['stableAfter']);
    expect(walk.delayOf('stableAfter')).toBe(TIMING.backoff.stableAfterMs);
    walk.fire('stableAfter');
    expect(walk.timerNames()).toEqual(['heartbeatRest']);
    expect(walk.delayOf('heartbeatRest')).toBe(TIMING.heartbeat.intervalMs - TIMING.backoff.stableAfterMs);
    walk.fire('heartbeatRest');
    expect(walk.timerNames()).toEqual(['heartbeatTimeout']);
    expect(walk.delayOf('heartbeatTimeout')).toBe(TIMING.heartbeat.timeoutMs);
    walk.send({ type: 'heartbeat.pong', rttMs: 1, proof: 'pong' });
    expect(walk.timerNames()).toEqual(['heartbeatInterval']);
    expect(walk.delayOf('heartbeatInterval')).toBe(TIMING.heartbeat.intervalMs);
    walk.send({ type: 'link.close' });
    expect(walk.timerNames()).toEqual(['closeTimeout']);
    expect(walk.delayOf('closeTimeout')).toBe(TIMING.timeouts.closeTimeoutMs);
  });

  it('reconnectDelay is context.nextDelayMs, within the policy bounds', () => {
    for (let seed = 0; seed < 20; seed++) {
      const walk = new Walk({ seed }).send({ type: 'transport.closed', reason: RESET_1006 });
      expect(walk.snapshot.value).toBe('reconnecting');
      const delay = walk.delayOf('reconnectDelay');
      expect(delay).toBe(walk.context.nextDelayMs);
      const { minMs, maxMs } = delayBounds(1, walk.context.policy.backoff);
      expect(delay).toBeGreaterThanOrEqual(minMs);
      expect(delay).toBeLessThanOrEqual(maxMs);
      expect(walk.timerNames()).toEqual(['reconnectDelay']);
    }
  });

  it('rejoinDelay is the draw of the rejoin window, replacing the rest of the backoff', () => {
    const drawn = new Set<number>();
    for (let seed = 0; seed < 20; seed++) {
      const walk = new Walk({ seed, network: { rejoinJitterMs: 900 } })
        .send({ type: 'transport.closed', reason: RESET_1006 })
        .send({ type: 'network.online' });
      expect(walk.state).toBe('rejoining');
      expect(walk.timerNames()).toEqual(['rejoinDelay']);
      const delay = walk.delayOf('rejoinDelay') ?? Number.NaN;
      expect(delay).toBe(walk.context.nextDelayMs);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(900);
      drawn.add(delay);
    }
    // A spread, not one number (a delay stuck at 0 or at the bound would be a herd).
    expect(drawn.size).toBeGreaterThan(10);
  });

  it('heartbeat off: ready.unmonitored, with no heartbeat timer', () => {
    const walk = readyWalk({ heartbeat: { mode: 'off' } });
    expect(walk.snapshot.value).toEqual({ attempt: { ready: 'unmonitored' } });
    expect(walk.timerNames()).toEqual(['stableAfter']);
  });
});

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
    { kind: 'error', errorCode: 'CERT_HAS_EXPIRED', message: 'cert' },
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

// ─── Retry-After and stableAfter ────────────────────────────────────────────────────────────

describe('retry planning', () => {
  it("a server's Retry-After is a floor under the backoff delay", () => {
    const reason: Reason = { kind: 'http', status: 503, retryAfterMs: 5_000, message: 'busy' };
    const walk = new Walk({ backoff: { jitter: 'full' } }).send({ type: 'transport.closed', reason });
    expect(walk.snapshot.value).toBe('reconnecting');
    expect(walk.context.nextDelayMs).toBeGreaterThanOrEqual(5_000);
    expect(walk.delayOf('reconnectDelay')).toBe(walk.context.nextDelayMs);
  });

  it('a hint shorter than the backoff does not shorten it; a huge one is capped', () => {
    const walk = new Walk({ backoff: { jitter: 'none', initialDelayMs: 4_000 } });
    walk.send({
      type: 'transport.closed',
      reason: { kind: 'http', status: 429, retryAfterMs: 100, message: 'x' },
    });
    expect(walk.context.nextDelayMs).toBe(4_000);

    const huge = new Walk().send({
      type: 'transport.closed',
      reason: { kind: 'http', status: 503, retryAfterMs: 86_400_000, message: 'x' },
    });
    expect(huge.context.nextDelayMs).toBe(MAX_RETRY_AFTER_MS);
    expect(huge.delayOf('reconnectDelay')).toBe(MAX_RETRY_AFTER_MS);
  });

  it('stableAfter in ready resets the schedule (not the PRNG); leaving ready earlier does not', () => {
    const failThrice = () => {
      const walk = new Walk({ backoff: { jitter: 'none' } });
      for (let i = 0; i < 3; i++)
        walk.send({ type: 'transport.closed', reason: RESET_1006 }).fire('reconnectDelay');
      expect(walk.context.retry.attempt).toBe(3);
      return walk.send({ type: 'transport.open' });
    };

    const stable = failThrice();
    const random = stable.context.retry.random;
    stable.fire('stableAfter');
    expect(stable.snapshot.value).toEqual({ attempt: { ready: 'settled' } });
    expect(stable.context.retry).toEqual({ attempt: 0, previousDelayMs: 0, random });
    expect(stable.timerNames()).toEqual(['heartbeatRest']);
    stable.send({ type: 'transport.closed', reason: RESET_1006 });
    expect(stable.delayOf('reconnectDelay')).toBe(1_000);

    const flaky = failThrice();
    flaky.send({ type: 'transport.closed', reason: RESET_1006 });
    expect(flaky.context.retry.attempt).toBe(4);
    expect(flaky.delayOf('reconnectDelay')).toBe(8_000);
  });

  it('stableAfter longer than the heartbeat interval: quiet intervals count toward it, one timer at a time', () => {
    // interval 5,555, stable after 12,000: two quiet intervals (11,110), then 890 more.
    const walk = readyWalk({ backoff: { stableAfterMs: 12_000 } });
    walk
      .send({ type: 'transport.closed', reason: RESET_1006 })
      .fire('reconnectDelay')
      .send({ type: 'transport.open' });
    expect(walk.context.retry.attempt).toBe(1);
    for (let round = 0; round < 2; round++) {
      expect(walk.snapshot.value).toEqual({ attempt: { ready: 'beating' } });
      expect(walk.timerNames()).toEqual(['heartbeatInterval']);
      walk.fire('heartbeatInterval').send({ type: 'heartbeat.pong', rttMs: 1, proof: 'pong' });
      expect(walk.context.stable).toBe(false);
    }
    expect(walk.snapshot.value).toEqual({ attempt: { ready: 'settling' } });
    expect(walk.timerNames()).toEqual(['stableAfter']);
    expect(walk.delayOf('stableAfter')).toBe(12_000 - 2 * TIMING.heartbeat.intervalMs);
    walk.fire('stableAfter');
    expect(walk.context.stable).toBe(true);
    expect(walk.context.retry.attempt).toBe(0);
    expect(walk.delayOf('heartbeatRest')).toBe(3 * TIMING.heartbeat.intervalMs - 12_000);
    // Once stable, plain heartbeat rounds.
    walk.fire('heartbeatRest').send({ type: 'heartbeat.pong', rttMs: 1, proof: 'pong' });
    expect(walk.snapshot.value).toEqual({ attempt: { ready: 'beating' } });
    expect(walk.timerNames()).toEqual(['heartbeatInterval']);
  });

  it('the ping ending a quiet interval before the link is stable is outstanding: a late answer still proves the peer', () => {
    const walk = readyWalk({ backoff: { stableAfterMs: 12_000 } })
      .send({ type: 'transport.closed', reason: RESET_1006 })
      .fire('reconnectDelay')
      .send({ type: 'transport.open' })
      .fire('heartbeatInterval');
    expect(walk.snapshot.value).toEqual({ attempt: { ready: 'awaitingPong' } });
    expect(walk.context).toMatchObject({ stable: false, pingOutstanding: true });
    // No answer within the timeout and its I/O turn: the next quiet interval, the ping still out.
    walk.fire('heartbeatTimeout').fire('ioTurn');
    expect(walk.snapshot.value).toEqual({ attempt: { ready: 'beating' } });
    walk.send({ type: 'heartbeat.pong', rttMs: 7, proof: 'pong' });
    expect(walk.sentToTransport()).toEqual([{ type: 'transport.flush' }]);
    expect(walk.context).toMatchObject({ pongSeen: true, pingOutstanding: false, rttMs: 7 });
  });

  it('a pong before the link is stable resumes the stable wait where it was (never sooner)', () => {
    const walk = readyWalk().send({ type: 'heartbeat.overdue' });
    expect(walk.timerNames()).toEqual(['heartbeatTimeout']);
    walk.send({ type: 'heartbeat.pong', rttMs: 1, proof: 'pong' });
    expect(walk.snapshot.value).toEqual({ attempt: { ready: 'settling' } });
    expect(walk.delayOf('stableAfter')).toBe(TIMING.backoff.stableAfterMs);
    expect(walk.context.stable).toBe(false);
  });

  it('each ready starts the stable wait again', () => {
    const walk = readyWalk().fire('stableAfter');
    expect(walk.context.stable).toBe(true);
    walk.send({ type: 'link.reconnect' }).send({ type: 'transport.open' });
    expect(walk.context.stable).toBe(false);
    expect(walk.snapshot.value).toEqual({ attempt: { ready: 'settling' } });
    expect(walk.delayOf('stableAfter')).toBe(TIMING.backoff.stableAfterMs);
  });
});

// ─── Heartbeat ──────────────────────────────────────────────────────────────────────────────

describe('heartbeat', () => {
  it('a peer that never answered a ping is never torn down', () => {
    const walk = readyWalk();
    for (let round = 0; round < 5; round++) {
      walk.ping();
      expect(walk.snapshot.value).toEqual({ attempt: { ready: 'awaitingPong' } });
      expect(walk.sentToTransport()).toEqual([{ type: 'transport.ping' }]);
      walk.fire('heartbeatTimeout').fire('ioTurn');
      expect(walk.snapshot.value).toEqual({ attempt: { ready: 'beating' } });
      expect(walk.context.missedPongs).toBe(0);
    }
    expect(walk.emitted.map((e) => e.type)).toEqual(['ready']);
  });

  it('activity is not a pong: it does not mark the peer as answering', () => {
    const walk = readyWalk().ping();
    walk.send({ type: 'heartbeat.pong', rttMs: null, proof: 'activity' });
    expect(walk.snapshot.value).toEqual({ attempt: { ready: 'beating' } });
    expect(walk.context.pongSeen).toBe(false);
    walk.fire('heartbeatInterval').fire('heartbeatTimeout').fire('ioTurn');
    expect(walk.snapshot.value).toEqual({ attempt: { ready: 'beating' } });
  });

  it('a pong returns to beating, flushes the queue and records the round trip', () => {
    const walk = readyWalk().ping();
    walk.send({ type: 'heartbeat.pong', rttMs: 42, proof: 'pong' });
    expect(walk.snapshot.value).toEqual({ attempt: { ready: 'beating' } });
    expect(walk.sentToTransport()).toEqual([{ type: 'transport.flush' }]);
    expect(walk.context.rttMs).toBe(42);
    expect(walk.timerNames()).toEqual(['heartbeatInterval']);
  });

  it('maxMissed 1: one unanswered ping after a pong was seen → lost → reconnecting', () => {
    const walk = answeredWalk({ heartbeat: { ...TIMING.heartbeat, maxMissed: 1 } });
    walk.fire('heartbeatInterval').fire('heartbeatTimeout').fire('ioTurn');
    expect(walk.snapshot.value).toBe('reconnecting');
    expect(walk.context.reason?.kind).toBe('heartbeat');
    expect(walk.lastEmitted().map((e) => e.type)).toEqual(['lost', 'reconnecting']);
    expect(walk.timerNames()).toEqual(['reconnectDelay']);
  });

  it('maxMissed 2 tolerates one miss, not two in a row', () => {
    const walk = answeredWalk({ heartbeat: { ...TIMING.heartbeat, maxMissed: 2 } });
    walk.fire('heartbeatInterval').fire('heartbeatTimeout').fire('ioTurn');
    expect(walk.snapshot.value).toEqual({ attempt: { ready: 'beating' } });
    expect(walk.context.missedPongs).toBe(1);
    // A pong in between forgives the miss.
    walk.fire('heartbeatInterval').send({ type: 'heartbeat.pong', rttMs: 3, proof: 'pong' });
    expect(walk.context.missedPongs).toBe(0);
    walk.fire('heartbeatInterval').fire('heartbeatTimeout').fire('ioTurn');
    expect(walk.snapshot.value).toEqual({ attempt: { ready: 'beating' } });
    walk.fire('heartbeatInterval').fire('heartbeatTimeout').fire('ioTurn');
    expect(walk.snapshot.value).toBe('reconnecting');
    expect(walk.context.reason?.message).toContain('2 ping(s)');
  });

  it('the pong timeout grants one I/O turn: a pong read in it keeps the link, none loses it', () => {
    const rescued = answeredWalk({ heartbeat: { ...TIMING.heartbeat, maxMissed: 1 } });
    rescued.fire('heartbeatInterval').fire('heartbeatTimeout');
    expect(rescued.snapshot.value).toEqual({ attempt: { ready: 'graceTurn' } });
    expect(rescued.timerNames()).toEqual(['ioTurn']);
    expect(rescued.delayOf('ioTurn')).toBe(IO_TURN_MS);
    expect(rescued.lastEmitted()).toEqual([]);
    // An overdue check changes nothing: the ping is out, its answer is what the turn waits for.
    rescued.send({ type: 'heartbeat.overdue' });
    expect(rescued.snapshot.value).toEqual({ attempt: { ready: 'graceTurn' } });
    rescued.send({ type: 'heartbeat.pong', rttMs: 1_500, proof: 'pong' });
    expect(rescued.snapshot.value).toEqual({ attempt: { ready: 'beating' } });
    expect(rescued.sentToTransport()).toEqual([{ type: 'transport.flush' }]);
    expect(rescued.context).toMatchObject({ missedPongs: 0, pingOutstanding: false, rttMs: 1_500 });
    expect(rescued.timerNames()).toEqual(['heartbeatInterval']);
    // Activity read in the turn proves the path as well.
    rescued.fire('heartbeatInterval').fire('heartbeatTimeout');
    rescued.send({ type: 'heartbeat.pong', rttMs: null, proof: 'activity' });
    expect(rescued.snapshot.value).toEqual({ attempt: { ready: 'beating' } });
  });

  it('heartbeat.overdue in any quiet interval (settling, settled, beating) pings at once', () => {
    for (const walk of [readyWalk(), readyWalk().fire('stableAfter'), answeredWalk()]) {
      walk.send({ type: 'heartbeat.overdue' });
      expect(walk.snapshot.value).toEqual({ attempt: { ready: 'awaitingPong' } });
      expect(walk.sentToTransport()).toEqual([{ type: 'transport.ping' }]);
      expect(walk.timerNames()).toEqual(['heartbeatTimeout']);
    }
  });

  it('a late pong in settling or settled proves the peer and releases held sends', () => {
    // Overdue → no answer in time (peer not known yet) → settling with the ping still out.
    const walk = readyWalk().send({ type: 'heartbeat.overdue' }).fire('heartbeatTimeout').fire('ioTurn');
    expect(walk.snapshot.value).toEqual({ attempt: { ready: 'settling' } });
    expect(walk.context.pingOutstanding).toBe(true);
    walk.fire('stableAfter');
    expect(walk.snapshot.value).toEqual({ attempt: { ready: 'settled' } });
    walk.send({ type: 'heartbeat.pong', rttMs: 9, proof: 'pong' });
    expect(walk.snapshot.value).toEqual({ attempt: { ready: 'settled' } });
    expect(walk.sentToTransport()).toEqual([{ type: 'transport.flush' }]);
    expect(walk.context).toMatchObject({ pongSeen: true, pingOutstanding: false, rttMs: 9 });
  });
});

// ─── Closing ────────────────────────────────────────────────────────────────────────────────

describe('closing', () => {
  it('link.close in ready → attempt.closing with a drain sent to the transport', () => {
    const walk = readyWalk().send({ type: 'link.close', code: 4001, reason: 'done' });
    expect(walk.snapshot.value).toEqual({ attempt: { closing: 'draining' } });
    expect(walk.sentToTransport()).toEqual([{ type: 'transport.drain', code: 4001, reason: 'done' }]);
    expect(walk.timerNames()).toEqual(['closeTimeout']);
    // A second close is a no-op.
    walk.send({ type: 'link.close' });
    expect(walk.snapshot.value).toEqual({ attempt: { closing: 'draining' } });
    expect(walk.sentToTransport()).toEqual([]);
    expect(walk.timerNames()).toEqual(['closeTimeout']);
    // The socket closes → closed.
    walk.send({ type: 'transport.closed', reason: { kind: 'close', code: 4001, message: 'echo' } });
    expect(walk.snapshot.value).toBe('closed');
    expect(walk.snapshot.status).toBe('done');
    expect(walk.lastEmitted().map((e) => e.type)).toEqual(['closed']);
  });

  it("the supervisor's close (no code) then the link's own: the frame not written yet carries the link's code", () => {
    const walk = readyWalk().send({ type: 'link.close' });
    expect(walk.sentToTransport()).toEqual([{ type: 'transport.drain', code: 1000, reason: '' }]);
    walk.send({ type: 'link.close', code: 4001, reason: 'own' });
    expect(walk.snapshot.value).toEqual({ attempt: { closing: 'draining' } });
    expect(walk.sentToTransport()).toEqual([{ type: 'transport.drain', code: 4001, reason: 'own' }]);
    expect(walk.context.reason).toEqual({ kind: 'user', code: 4001, message: 'closed by the application' });
    expect(walk.timerNames()).toEqual(['closeTimeout']);
    // A close that names no code (the supervisor's) leaves the link's own.
    walk.send({ type: 'link.close' });
    expect(walk.sentToTransport()).toEqual([]);
    expect(walk.context.reason).toMatchObject({ code: 4001 });
    walk.send({ type: 'transport.closed', reason: { kind: 'close', code: 4001, message: 'echo' } });
    expect(walk.lastEmitted()).toEqual([
      { type: 'closed', linkId: walk.context.linkId, reason: expect.objectContaining({ code: 4001 }) },
    ]);
  });

  it('once the close frame is written (transport.drained) a later close only waits', () => {
    const walk = readyWalk().send({ type: 'link.close' }).send({ type: 'transport.drained' });
    expect(walk.snapshot.value).toEqual({ attempt: { closing: 'closeSent' } });
    walk.send({ type: 'link.close', code: 4001, reason: 'own' });
    expect(walk.snapshot.value).toEqual({ attempt: { closing: 'closeSent' } });
    expect(walk.sentToTransport()).toEqual([]);
    expect(walk.context.reason).toMatchObject({ code: 1000 });
    expect(walk.timerNames()).toEqual(['closeTimeout']);
  });

  it('link.close defaults to 1000 and an empty reason', () => {
    const walk = readyWalk().send({ type: 'link.close' });
    expect(walk.sentToTransport()).toEqual([{ type: 'transport.drain', code: 1000, reason: '' }]);
  });

  it('the close timeout ends a close that never completes', () => {
    const walk = readyWalk().send({ type: 'link.close' }).fire('closeTimeout');
    expect(walk.snapshot.value).toBe('closed');
    expect(walk.did('closeTransport')).toBe(true);
    expect(walk.liveTransports).toBe(0);
  });

  it('link.close in handshaking drains too', () => {
    const walk = new Walk({ hasHandshake: true })
      .send({ type: 'transport.open' })
      .send({ type: 'link.close' });
    expect(walk.snapshot.value).toEqual({ attempt: { closing: 'draining' } });
    expect(walk.sentToTransport().map((e) => e.type)).toEqual(['transport.drain']);
    // A late handshake result is ignored.
    walk.send({ type: 'handshake.ok' });
    expect(walk.snapshot.value).toEqual({ attempt: { closing: 'draining' } });
  });

  it.each([
    ['idle', () => new Walk({ autoConnect: false })],
    ['connecting', () => new Walk()],
    ['reconnecting', () => new Walk().send({ type: 'transport.closed', reason: RESET_1006 })],
  ])('link.close in %s → closed at once, no timer left', (_name, make) => {
    const walk = make();
    walk.send({ type: 'link.close' });
    expect(walk.snapshot.value).toBe('closed');
    expect(walk.snapshot.status).toBe('done');
    expect(walk.timers.size).toBe(0);
    expect(walk.sentToTransport()).toEqual([]);
    expect(walk.lastEmitted().map((e) => e.type)).toEqual(['closed']);
  });

  it.each([
    ['idle', () => new Walk({ autoConnect: false })],
    ['connecting', () => new Walk()],
    ['reconnecting', () => new Walk().send({ type: 'transport.closed', reason: RESET_1006 })],
    ['ready', () => readyWalk()],
  ])('the closed event after close() in %s says the application closed it', (_name, make) => {
    const walk = make().send({ type: 'link.close' });
    if (walk.state === 'closing') walk.send({ type: 'transport.closed', reason: RESET_1006 });
    const closed = walk.emitted.find((e) => e.type === 'closed');
    expect(closed).toMatchObject({ type: 'closed', reason: { kind: 'user' } });
  });

  it('link.close in closed or failed is a no-op', () => {
    const closed = readyWalk().send({ type: 'link.close' }).fire('closeTimeout');
    const before = closed.snapshot;
    closed.send({ type: 'link.close' });
    expect(closed.snapshot).toBe(before);
    expect(closed.actions).toEqual([]);

    const failed = new Walk().send({ type: 'transport.closed', reason: POLICY_1008 });
    const was = failed.snapshot;
    failed.send({ type: 'link.close' });
    expect(failed.snapshot.value).toBe('failed');
    expect(failed.snapshot).toBe(was);
    expect(failed.actions).toEqual([]);
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

// ─── Properties over random event sequences ─────────────────────────────────────────────────

const reasonArb: fc.Arbitrary<Reason> = fc.oneof(
  fc.constant(RESET_1006),
  fc.constant(POLICY_1008),
  fc.constant<Reason>({ kind: 'close', code: 1000, message: 'bye' }),
  fc.constant<Reason>({ kind: 'http', status: 503, retryAfterMs: 2_000, message: 'busy' }),
  fc.constant<Reason>({ kind: 'error', errorCode: 'ECONNREFUSED', message: 'refused' }),
);

type Step = { fire: string } | { event: ConnectionEvent };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc
    .constantFrom(
      'connectTimeout',
      'handshakeTimeout',
      'reconnectDelay',
      'heartbeatInterval',
      'heartbeatTimeout',
      'ioTurn',
      'stableAfter',
      'heartbeatRest',
      'closeTimeout',
    )
    .map((fire) => ({ fire })),
  fc
    .constantFrom<ConnectionEvent>(
      { type: 'transport.open' },
      { type: 'handshake.ok' },
      { type: 'heartbeat.pong', rttMs: 5, proof: 'pong' },
      { type: 'heartbeat.pong', rttMs: null, proof: 'activity' },
      { type: 'heartbeat.overdue' },
      { type: 'link.reconnect' },
      { type: 'link.connect' },
    )
    .map((event) => ({ event })),
  reasonArb.map((reason) => ({ event: { type: 'transport.closed', reason } as ConnectionEvent })),
  fc.constant<Step>({ event: { type: 'link.close' } }),
);

/** The timers each state may own (the active state and its ancestors). */
const OWNED: Record<string, string[]> = {
  idle: [],
  connecting: ['connectTimeout', 'ioTurn'],
  handshaking: ['handshakeTimeout', 'ioTurn'],
  ready: ['stableAfter', 'heartbeatRest', 'heartbeatInterval', 'heartbeatTimeout', 'ioTurn'],
  closing: ['closeTimeout'],
  reconnecting: ['reconnectDelay'],
  suspended: [],
  failed: [],
  closed: [],
};

describe('properties', () => {
  it('every scheduled delay is a finite number ≥ 0, and only the active state owns timers', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 1, max: 3 }),
        fc.array(stepArb, { maxLength: 40 }),
        (hasHandshake, autoConnect, maxMissed, steps) => {
          const walk = new Walk({
            hasHandshake,
            autoConnect,
            heartbeat: { ...TIMING.heartbeat, maxMissed },
            backoff: { maxAttempts: 6 },
          });
          for (const step of steps) {
            if ('fire' in step) {
              if (!walk.timerNames().includes(step.fire)) continue;
              walk.fire(step.fire);
            } else {
              walk.send(step.event);
            }
            for (const timer of walk.timers.values()) {
              expect(Number.isFinite(timer.delay) && timer.delay >= 0).toBe(true);
              expect(OWNED[walk.state]).toContain(timer.name);
            }
            // At most one timer per name; ready holds exactly one while the heartbeat is on.
            expect(new Set(walk.timerNames()).size).toBe(walk.timers.size);
            if (walk.state === 'ready') expect(walk.timers.size).toBe(1);
            // One transport exactly while in attempt: opened on entry, closed on exit.
            const inAttempt = typeof walk.snapshot.value === 'object';
            expect(walk.liveTransports).toBe(inAttempt ? 1 : 0);
            // Ending is final: nothing is scheduled afterwards.
            if (walk.snapshot.status === 'done') expect(walk.timers.size).toBe(0);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

// ─── Resuming (resumable sessions) ──────────────────────────────────────────────────────────

describe('resuming', () => {
  const RESUME = { resume: { resumeTimeoutMs: 7_777 } };

  it('transport.open → resuming: hello asked of the transport, only the resume timeout armed, from the policy', () => {
    const walk = new Walk(RESUME).send({ type: 'transport.open' });
    expect(walk.snapshot.value).toEqual({ attempt: 'resuming' });
    expect(walk.state).toBe('resuming');
    expect(walk.snapshot.hasTag('pending')).toBe(true);
    expect(walk.sentToTransport()).toEqual([{ type: 'transport.resume' }]);
    expect(walk.timerNames()).toEqual(['resumeTimeout']);
    expect(walk.delayOf('resumeTimeout')).toBe(7_777);
    expect(new Walk({ resume: {} }).send({ type: 'transport.open' }).delayOf('resumeTimeout')).toBe(10_000);
  });

  it('resume.done → ready; resumed and reset are announced before ready, a new session is not', () => {
    const fresh = new Walk(RESUME)
      .send({ type: 'transport.open' })
      .send({ type: 'resume.done', outcome: 'new' });
    expect(fresh.snapshot.value).toEqual({ attempt: { ready: 'settling' } });
    expect(fresh.timerNames()).toEqual(['stableAfter']);
    expect(fresh.lastEmitted().map((e) => e.type)).toEqual(['ready']);
    const resumed = new Walk(RESUME)
      .send({ type: 'transport.open' })
      .send({ type: 'resume.done', outcome: 'resumed', replayedIn: 3, replayedOut: 2 });
    expect(resumed.lastEmitted()).toEqual([
      { type: 'resumed', linkId: 'link:test', replayedIn: 3, replayedOut: 2 },
      { type: 'ready', linkId: 'link:test', readyCount: 1 },
    ]);
    const reset = new Walk(RESUME)
      .send({ type: 'transport.open' })
      .send({ type: 'resume.done', outcome: 'reset', reason: 'overflow' });
    expect(reset.lastEmitted()[0]).toEqual({ type: 'reset', linkId: 'link:test', reason: 'overflow' });
  });

  it('the resume timeout → reconnecting with a resume timeout reason; a failed resume retries, a fatal one fails', () => {
    const late = new Walk(RESUME).send({ type: 'transport.open' }).fire('resumeTimeout');
    // One I/O turn first, for a welcome read late (reported as resuming): none came.
    expectGraceTurn(late, 'resumeGrace', 'resuming');
    late.fire('ioTurn');
    expect(late.snapshot.value).toBe('reconnecting');
    expect(late.context.reason).toEqual({
      kind: 'timeout',
      phase: 'resume',
      message: 'no answer to the resume request within 7777 ms',
    });
    expect(late.liveTransports).toBe(0);
    const broken = new Walk(RESUME).send({ type: 'transport.open' }).send({
      type: 'resume.failed',
      reason: { kind: 'handshake', errorCode: 'LV_ERR_RESUME', message: 'broke' },
    });
    expect(broken.snapshot.value).toBe('reconnecting');
    const foreign = new Walk(RESUME).send({ type: 'transport.open' }).send({
      type: 'resume.failed',
      reason: { kind: 'handshake', errorCode: 'LV_ERR_RESUME', message: 'does not speak it', fatal: true },
    });
    expect(foreign.snapshot.value).toBe('failed');
    expect(foreign.context.failure).toMatchObject({ errorCode: 'LV_ERR_RESUME' });
  });

  it("the resume's answer read in its timeout's I/O turn does what it does in resuming", () => {
    const late = () => new Walk(RESUME).send({ type: 'transport.open' }).fire('resumeTimeout');
    const resumed = late().send({ type: 'resume.done', outcome: 'resumed', replayedIn: 3, replayedOut: 2 });
    expect(resumed.snapshot.value).toEqual({ attempt: { ready: 'settling' } });
    expect(resumed.context.reason).toBeNull();
    expect(resumed.lastEmitted()).toEqual([
      { type: 'resumed', linkId: 'link:test', replayedIn: 3, replayedOut: 2 },
      { type: 'ready', linkId: 'link:test', readyCount: 1 },
    ]);
    // A failed resume keeps its own reason (not the timeout's): retried, or fatal.
    const broken = late().send({
      type: 'resume.failed',
      reason: { kind: 'handshake', errorCode: 'LV_ERR_RESUME', message: 'broke' },
    });
    expect(broken.snapshot.value).toBe('reconnecting');
    expect(broken.context.reason).toMatchObject({ message: 'broke' });
    const foreign = late().send({
      type: 'resume.failed',
      reason: { kind: 'handshake', errorCode: 'LV_ERR_RESUME', message: 'does not speak it', fatal: true },
    });
    expect(foreign.snapshot.value).toBe('failed');
    expect(foreign.context.failure).toMatchObject({ errorCode: 'LV_ERR_RESUME' });
    const closing = late().send({ type: 'link.close' });
    expect(closing.snapshot.value).toEqual({ attempt: { closing: 'draining' } });
    expect(closing.sentToTransport()).toEqual([{ type: 'transport.drain', code: 1000, reason: '' }]);
    // The ack timer is the attempt's: a message in the turn arms it, as in resuming.
    expect(late().send({ type: 'resume.unacked' }).timerNames().sort()).toEqual(['ackDelay', 'ioTurn']);
  });

  it('link.close in resuming drains and closes; a lost socket goes to reconnecting without a lost event', () => {
    const closing = new Walk(RESUME).send({ type: 'transport.open' }).send({ type: 'link.close' });
    expect(closing.snapshot.value).toEqual({ attempt: { closing: 'draining' } });
    expect(closing.sentToTransport()).toEqual([{ type: 'transport.drain', code: 1000, reason: '' }]);
    const dropped = new Walk(RESUME)
      .send({ type: 'transport.open' })
      .send({ type: 'transport.closed', reason: RESET_1006 });
    expect(dropped.snapshot.value).toBe('reconnecting');
    expect(dropped.emitted.map((e) => e.type)).toEqual(['reconnecting']);
  });

  it('the ack timer: a new ack window starts ackDelay (from the policy), a newer one restarts it, its end acks, leaving the attempt cancels it', () => {
    const ACKED = { resume: { resumeTimeoutMs: 7_777, ackDelayMs: 8_888 } };
    const walk = new Walk(ACKED)
      .send({ type: 'transport.open' })
      .send({ type: 'resume.done', outcome: 'new' });
    expect(walk.state).toBe('ready');
    walk.send({ type: 'resume.unacked' });
    expect(walk.timerNames()).toContain('ackDelay');
    expect(walk.delayOf('ackDelay')).toBe(8_888);
    const before = walk.snapshot.value;
    // A newer window (the last was acknowledged by count) restarts the one timer.
    walk.send({ type: 'resume.unacked' });
    expect(walk.actions.map((a) => a.type)).toEqual(['xstate.cancel', 'xstate.raise']);
    expect(walk.timerNames().filter((n) => n === 'ackDelay')).toHaveLength(1);
    walk.fire('ackDelay');
    expect(walk.sentToTransport()).toEqual([{ type: 'transport.ack' }]);
    expect(walk.snapshot.value).toEqual(before);
    expect(walk.timerNames()).not.toContain('ackDelay');
    // The timer is the socket's: it does not outlive the attempt.
    walk.send({ type: 'resume.unacked' }).send({ type: 'transport.closed', reason: RESET_1006 });
    expect(walk.timerNames()).not.toContain('ackDelay');
    expect(
      new Walk({ resume: {} })
        .send({ type: 'transport.open' })
        .send({ type: 'resume.done', outcome: 'new' })
        .send({ type: 'resume.unacked' })
        .delayOf('ackDelay'),
    ).toBe(100);
  });

  it('without resume, transport.open never enters resuming', () => {
    expect(new Walk().send({ type: 'transport.open' }).state).toBe('ready');
  });
});

describe('restart intensity', () => {
  const COOL = { maxRestarts: 1, coolDownMs: 7_777, maxCoolDownMs: 20_000, jitterRatio: 0 };

  /** Ready, lost (1006), back to ready through the retry: one restart. */
  function restart(walk: Walk): Walk {
    walk.send({ type: 'transport.closed', reason: RESET_1006 });
    if (walk.state === 'reconnecting') walk.fire('reconnectDelay').send({ type: 'transport.open' });
    return walk;
  }

  it('one loss more than maxRestarts → coolingDown, emitting lost then escalated; only the coolDown timer runs', () => {
    const walk = restart(readyWalk({ intensity: COOL }));
    expect(walk.state).toBe('ready');
    walk.send({ type: 'transport.closed', reason: RESET_1006 });
    expect(walk.snapshot.value).toBe('coolingDown');
    expect(walk.snapshot.hasTag('pending')).toBe(true);
    expect(walk.lastEmitted()).toEqual([
      { type: 'lost', linkId: 'link:test', reason: RESET_1006 },
      { type: 'escalated', linkId: 'link:test', escalation: 1, delayMs: 7_777, reason: RESET_1006 },
    ]);
    expect(walk.timerNames()).toEqual(['coolDown']);
    expect(walk.delayOf('coolDown')).toBe(7_777);
    expect(walk.context.intensity).toMatchObject({ restarts: [], escalations: 1, sick: true });
    // After the cool-down: a fresh attempt (no backoff wait), the window empty again.
    walk.fire('coolDown');
    expect(walk.snapshot.value).toEqual({ attempt: 'connecting' });
  });

  it('the cool-down grows with consecutive escalations (a named delay from context)', () => {
    const walk = restart(readyWalk({ intensity: COOL }));
    walk
      .send({ type: 'transport.closed', reason: RESET_1006 })
      .fire('coolDown')
      .send({ type: 'transport.open' });
    restart(walk).send({ type: 'transport.closed', reason: RESET_1006 });
    expect(walk.state).toBe('coolingDown');
    expect(walk.delayOf('coolDown')).toBe(2 * 7_777);
  });

  it('a heartbeat loss is a restart too', () => {
    const walk = answeredWalk({ intensity: { ...COOL, maxRestarts: 0 } });
    walk.ping().fire('heartbeatTimeout').fire('ioTurn');
    expect(walk.state).toBe('coolingDown');
  });

  it('failed connection attempts are not restarts: backoff spaces them', () => {
    const walk = new Walk({ intensity: { ...COOL, maxRestarts: 0 } });
    for (let i = 0; i < 5; i++)
      walk.send({ type: 'transport.closed', reason: RESET_1006 }).fire('reconnectDelay');
    expect(walk.state).toBe('connecting');
    expect(walk.context.intensity).toBeUndefined();
  });

  it("then: 'fail' → failed with reason kind intensity", () => {
    // biome-ignore lint/suspicious/noThenProperty: a string, never callable, so never a thenable
    const walk = restart(readyWalk({ intensity: { ...COOL, then: 'fail' } }));
    walk.send({ type: 'transport.closed', reason: RESET_1006 });
    expect(walk.snapshot.value).toBe('failed');
    expect(walk.context.failure).toEqual({
      kind: 'intensity',
      message: `more than 1 restarts within 60000 ms; last reason: ${RESET_1006.message}`,
    });
  });

  it('stable again after an escalation: the parent hears link.healed once', () => {
    const walk = restart(readyWalk({ intensity: COOL, parent: {} as never }));
    walk
      .send({ type: 'transport.closed', reason: RESET_1006 })
      .fire('coolDown')
      .send({ type: 'transport.open' });
    const sent = () =>
      walk.actions
        .filter((a) => a.type === 'xstate.sendTo')
        .map((a) => (a.params as { event: { type: string } }).event.type);
    walk.fire('stableAfter');
    expect(sent()).toContain('link.healed');
    expect(walk.context.intensity?.sick).toBe(false);
  });

  it('link.close in coolingDown closes at once; link.reconnect attempts at once', () => {
    const cooling = () =>
      restart(readyWalk({ intensity: COOL })).send({ type: 'transport.closed', reason: RESET_1006 });
    expect(cooling().send({ type: 'link.close' }).snapshot.value).toBe('closed');
    expect(cooling().send({ type: 'link.reconnect' }).snapshot.value).toEqual({ attempt: 'connecting' });
  });

  it.each([
    [
      'coolingDown',
      () => restart(readyWalk({ intensity: COOL })).send({ type: 'transport.closed', reason: RESET_1006 }),
    ],
    [
      'suspended',
      () =>
        readyWalk()
          .send({ type: 'transport.closed', reason: RESET_1006 })
          .send({ type: 'reconnect.disable' }),
    ],
    [
      'rejoining',
      () =>
        readyWalk().send({ type: 'transport.closed', reason: RESET_1006 }).send({ type: 'network.online' }),
    ],
  ])('the closed event after close() in %s says the application closed it', (name, make) => {
    const walk = make();
    expect(walk.state).toBe(name);
    walk.send({ type: 'link.close', code: 4000 });
    const closed = walk.emitted.find((e) => e.type === 'closed');
    expect(closed).toMatchObject({ type: 'closed', reason: { kind: 'user', code: 4000 } });
  });

  it('the reconnect switch off during a cool-down: suspended when it ends', () => {
    const walk = restart(readyWalk({ intensity: COOL }));
    walk.send({ type: 'transport.closed', reason: RESET_1006 }).send({ type: 'reconnect.disable' });
    walk.fire('coolDown');
    expect(walk.state).toBe('suspended');
  });

  it('intensity: false never escalates', () => {
    const walk = readyWalk({ intensity: false });
    for (let i = 0; i < 20; i++) restart(walk);
    expect(walk.state).toBe('ready');
    expect(walk.context.intensity).toBeUndefined();
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

  it('ready in between: the next rejection is a first one again', () => {
    const walk = new Walk({ perAttempt: true });
    walk
      .send({ type: 'transport.closed', reason: HTTP_401 })
      .send({ type: 'transport.opening' })
      .send({ type: 'transport.open' });
    expect(walk.state).toBe('ready');
    walk.send({ type: 'transport.closed', reason: { kind: 'close', code: 3000, message: 'expired' } });
    expect(walk.snapshot.value).toEqual({ attempt: 'resolving' });
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

describe('connection chart: what the generated paths do not reach', () => {
  const TERMINATED: Reason = { kind: 'user', code: 1006, message: 'terminated by the application' };

  it('link.terminate records its own reason (replacing a pending one) and ends closed with it', () => {
    const walk = new Walk({ inProcess: true });
    walk.send({ type: 'link.terminate' });
    expect(walk.state).toBe('closed');
    expect(walk.context.reason).toEqual(TERMINATED);
    expect(walk.lastEmitted().at(-1)).toEqual({ type: 'closed', linkId: 'link:test', reason: TERMINATED });
    const disconnected = new Walk({ backoff: { maxAttempts: 5 } });
    disconnected.send({ type: 'transport.closed', reason: RESET_1006 }).send({ type: 'link.terminate' });
    expect(disconnected.context.reason).toEqual(TERMINATED);
  });

  it('a link without a parent reports to nobody (never to itself)', () => {
    const walk = new Walk({ inProcess: true });
    const sends = (w: Walk) =>
      w.actions.filter((a) => a.type.includes('sendTo') || a.type.includes('sendParent'));
    expect(sends(walk)).toEqual([]);
    walk.send({ type: 'transport.closed', reason: RESET_1006 });
    expect(walk.lastEmitted().map((e) => e.type)).toContain('lost');
    expect(sends(walk)).toEqual([]);
  });

  it('ready again: a stable wait credited by quiet intervals starts over', () => {
    const walk = new Walk({ inProcess: true, backoff: { stableAfterMs: 20_000 } });
    walk.ping();
    expect(walk.context.stableInMs).toBe(20_000 - TIMING.heartbeat.intervalMs);
    walk.send({ type: 'transport.closed', reason: RESET_1006 }).fire('reconnectDelay');
    expect(walk.state).toBe('ready');
    expect(walk.context.stableInMs).toBeUndefined();
    expect(walk.delayOf('heartbeatInterval')).toBe(TIMING.heartbeat.intervalMs);
  });
});

describe('connection chart: the reports a parent takes', () => {
  const reportsOf = (walk: Walk) =>
    walk.actions
      .filter((a) => a.type === 'xstate.sendTo')
      .map((a) => (a.params as { event: { type: string } }).event.type);

  /** A ready link that drops, escalates, recovers and closes: every report it sends, in order. */
  function lifeOf(init: Partial<ConnectionInput>): string[] {
    const sent: string[] = [];
    const intensity = { maxRestarts: 1, coolDownMs: 7_777, maxCoolDownMs: 20_000, jitterRatio: 0 };
    const walk = readyWalk({ intensity, parent: {} as never, ...init });
    sent.push(...reportsOf(walk));
    walk.send({ type: 'transport.closed', reason: RESET_1006 });
    sent.push(...reportsOf(walk));
    walk.fire('reconnectDelay').send({ type: 'transport.open' });
    sent.push(...reportsOf(walk));
    walk.send({ type: 'transport.closed', reason: RESET_1006 });
    sent.push(...reportsOf(walk));
    walk.fire('coolDown').send({ type: 'transport.open' });
    sent.push(...reportsOf(walk));
    walk.fire('stableAfter');
    sent.push(...reportsOf(walk));
    walk.send({ type: 'link.close' });
    sent.push(...reportsOf(walk));
    walk.send({ type: 'transport.closed', reason: RESET_1006 });
    sent.push(...reportsOf(walk));
    return sent;
  }

  it('a parent that names none takes every report; one that names some is sent those alone', () => {
    const all = lifeOf({});
    expect(new Set(all)).toEqual(
      new Set([
        'link.unready',
        'link.lost',
        'link.reconnecting',
        'link.ready',
        'link.sick',
        'link.escalated',
        'link.healed',
        'link.closed',
      ]),
    );
    const some = ['link.unready', 'link.sick', 'link.healed', 'link.ready', 'link.closed'] as const;
    expect(lifeOf({ reports: some })).toEqual(
      all.filter((type) => (some as readonly string[]).includes(type)),
    );
    expect(lifeOf({ reports: [] })).toEqual([]);
  });

  it('what is not reported to the parent is still emitted to listeners', () => {
    const walk = readyWalk({ parent: {} as never, reports: ['link.unready'] });
    walk.send({ type: 'transport.closed', reason: RESET_1006 });
    expect(reportsOf(walk)).toEqual(['link.unready']);
    expect(walk.lastEmitted().map((e) => e.type)).toEqual(['lost', 'reconnecting']);
  });
});

describe('connection chart: a parentless link that escalates and recovers', () => {
  it('reports sick and healed to nobody (never to itself), and still cools down and recovers', () => {
    const cool = { maxRestarts: 0, coolDownMs: 7_777, maxCoolDownMs: 7_777, jitterRatio: 0 };
    const walk = new Walk({ inProcess: true, intensity: cool, backoff: { stableAfterMs: 100 } });
    const sends = (w: Walk) =>
      w.actions.filter((a) => a.type.includes('sendTo') || a.type.includes('sendParent'));
    walk.send({ type: 'transport.closed', reason: RESET_1006 });
    expect(walk.state).toBe('coolingDown');
    expect(walk.context.intensity?.sick).toBe(true);
    expect(sends(walk)).toEqual([]);
    walk.fire('coolDown');
    expect(walk.state).toBe('ready');
    walk.fire('stableAfter');
    expect(walk.context.intensity?.sick).toBe(false);
    expect(sends(walk)).toEqual([]);
  });
});
