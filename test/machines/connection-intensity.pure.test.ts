/**
 * The connection chart's restart intensity: more losses of a ready link than maxRestarts escalate
 * to coolingDown (a growing cool-down) or fail; what counts as a restart; link.healed when stable.
 * Pure: `initialTransition` / `transition` through `Walk` (connection-walk.ts), which reads the returned
 * actions the way an actor would, so every test also checks that each state schedules exactly the
 * timers it owns, with the delay the policy says. No actor runs and no timer exists.
 */
import { describe, expect, it } from 'vitest';
import { answeredWalk, RESET_1006, readyWalk, Walk } from './connection-walk.js';

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
