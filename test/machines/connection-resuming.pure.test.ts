/**
 * The connection chart with resumable sessions: resuming after the open, resume.done and its
 * announcements, the resume timeout and its I/O turn, close and loss while resuming, the ack timer.
 * Pure: `initialTransition` / `transition` through `Walk` (connection-walk.ts), which reads the returned
 * actions the way an actor would, so every test also checks that each state schedules exactly the
 * timers it owns, with the delay the policy says. No actor runs and no timer exists.
 */
import { describe, expect, it } from 'vitest';
import { expectGraceTurn, RESET_1006, Walk } from './connection-walk.js';

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
