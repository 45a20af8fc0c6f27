/**
 * What every session of a `resumable` server (./resumable-session.ts) shares: its endpoint,
 * whose acks go out only through the session, and its chart, made once for every session, whose
 * `sendAck` finds its session by the actor it runs in (`ackers`).
 */
import type { AnyActorRef } from 'xstate';
import { sessionMachine } from '../../machines/session.machine.js';
import { ResumeEndpoint } from '../resume/resume-endpoint.js';

/**
 * The session's endpoint: its acks go out only through the session (`ackNow`, after a durable
 * store has written what they acknowledge), never by count or time as a frame arrives.
 */
export class SessionEndpoint extends ResumeEndpoint {
  override sendAck(nowMs: number, force: boolean, upTo?: number): void {
    if (force) super.sendAck(nowMs, true, upTo);
  }
}

/** Each running chart's `sendAck`: its session's `ackNow` (weakly held: it goes with the chart). */
export const ackers = new WeakMap<AnyActorRef, () => void>();

/**
 * The session chart with the server's `sendAck`, made once for every session: a chart provided
 * per session would copy the machine and its state nodes into each (13 of the 19 KiB a session
 * waiting for its client cost, BENCHMARKS.md round 19); the action finds its session by the actor it runs in.
 */
export const serverSessionMachine = sessionMachine.provide({
  actions: { sendAck: ({ self }) => ackers.get(self)?.() },
});
