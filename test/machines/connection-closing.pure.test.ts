/**
 * The connection chart's close: link.close in every state, the drain and its close code (the
 * supervisor's close, then the link's own), the close timeout, the closed event's reason.
 * Pure: `initialTransition` / `transition` through `Walk` (connection-walk.ts), which reads the returned
 * actions the way an actor would, so every test also checks that each state schedules exactly the
 * timers it owns, with the delay the policy says. No actor runs and no timer exists.
 */
import { describe, expect, it } from 'vitest';
import { POLICY_1008, RESET_1006, readyWalk, Walk } from './connection-walk.js';

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
