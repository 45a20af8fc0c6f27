/**
 * The connection chart over random event sequences (fast-check): every scheduled delay is finite and
 * ≥ 0, only the active state owns timers, one transport exactly while in an attempt, nothing
 * scheduled once the link has ended.
 * Pure: `initialTransition` / `transition` through `Walk` (connection-walk.ts), which reads the returned
 * actions the way an actor would, so every test also checks that each state schedules exactly the
 * timers it owns, with the delay the policy says. No actor runs and no timer exists.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConnectionEvent } from '../../machines/connection.machine.js';
import type { Reason } from '../../machines/policy/close-reason.js';
import { POLICY_1008, RESET_1006, TIMING, Walk } from './connection-walk.js';

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
