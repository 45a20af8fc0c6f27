/**
 * The connection chart's heartbeat in ready: a peer that never answered a ping, activity that is not
 * a pong, maxMissed, the pong timeout's I/O turn, heartbeat.overdue and late pongs.
 * Pure: `initialTransition` / `transition` through `Walk` (connection-walk.ts), which reads the returned
 * actions the way an actor would, so every test also checks that each state schedules exactly the
 * timers it owns, with the delay the policy says. No actor runs and no timer exists.
 */
import { describe, expect, it } from 'vitest';
import { IO_TURN_MS } from '../../machines/policy/timeouts.js';
import { answeredWalk, readyWalk, TIMING } from './connection-walk.js';

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
