/**
 * The events an attempt (./attempt.ts) reports to its link, marked as its transport's: a session
 * trace (src/trace/trace-recorder.ts) records them as the transport's, not as sent by a command or
 * another actor.
 */
import type { AnyActorRef } from 'xstate';
import type { TransportReport } from '../../machines/connection.machine.js';

/** Events an attempt reported to its link: a session trace records them as the transport's. */
const reports = new WeakSet<object>();

/** Whether `event` was reported by a link's transport (not sent by a command or another actor). */
export function isTransportReport(event: object): boolean {
  return reports.has(event);
}

/** Sends a report to the link, marked as its transport's. */
export function report(link: AnyActorRef, event: TransportReport): void {
  reports.add(event);
  link.send(event);
}
