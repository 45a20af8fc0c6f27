/**
 * The connection chart's named delays, each from its policy option (timeouts, backoff, the rejoin
 * window, the heartbeat), and the retry plan: a server's Retry-After as a floor, stableAfter and
 * the quiet intervals that count toward it.
 * Pure: `initialTransition` / `transition` through `Walk` (connection-walk.ts), which reads the returned
 * actions the way an actor would, so every test also checks that each state schedules exactly the
 * timers it owns, with the delay the policy says. No actor runs and no timer exists.
 */
import { describe, expect, it } from 'vitest';
import { delayBounds } from '../../machines/policy/backoff.js';
import type { Reason } from '../../machines/policy/close-reason.js';
import { MAX_RETRY_AFTER_MS } from '../../machines/policy/timeouts.js';
import { RESET_1006, readyWalk, TIMING, Walk } from './connection-walk.js';

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
