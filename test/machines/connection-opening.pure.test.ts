/**
 * The connection chart from its start to ready: autoConnect, in-process links, the context it
 * keeps; the open, the handshake, their timeouts and the answer read in a timeout's I/O turn.
 * Pure: `initialTransition` / `transition` through `Walk` (connection-walk.ts), which reads the returned
 * actions the way an actor would, so every test also checks that each state schedules exactly the
 * timers it owns, with the delay the policy says. No actor runs and no timer exists.
 */
import { describe, expect, it } from 'vitest';
import { transition } from 'xstate';
import { type ConnectionContext, connectionMachine } from '../../machines/connection.machine.js';
import { expectGraceTurn, RESET_1006, readyWalk, TIMING, Walk } from './connection-walk.js';

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
