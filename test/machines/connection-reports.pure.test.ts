/**
 * The connection chart's reports to its parent: the reports a parent names, a parentless link that
 * reports to nobody (and still escalates and recovers); and what the generated paths do not reach
 * (link.terminate, a stable wait that starts over).
 * Pure: `initialTransition` / `transition` through `Walk` (connection-walk.ts), which reads the returned
 * actions the way an actor would, so every test also checks that each state schedules exactly the
 * timers it owns, with the delay the policy says. No actor runs and no timer exists.
 */
import { describe, expect, it } from 'vitest';
import type { ConnectionInput } from '../../machines/connection.machine.js';
import type { Reason } from '../../machines/policy/close-reason.js';
import { RESET_1006, readyWalk, TIMING, Walk } from './connection-walk.js';

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
