/**
 * The events an attempt (./attempt.ts) reports to its link, marked as its transport's: a session
 * trace (src/trace/trace-recorder.ts) records them as the transport's, not as sent by a command or
 * another actor.
 */
import type { AnyActorRef } from 'xstate';
import type { TransportReport } from '../../machines/connection.machine.js';

/** Events an attempt reported to its link: a session trace records them as the transport's. */
const reports = new WeakSet<object>();

/** Whether reports are marked: from the process's first trace recorder on (a WeakSet entry per
 * report, ~0.5 % of a link's open on `ws` in a CPU profile, is for a recorder alone to read). A
 * recorder reads an event as the link processes it, within the send that marked it. */
let marking = false;

/** Marks every report from now on (a trace recorder is made). */
export function markTransportReports(): void {
  marking = true;
}

/** Whether `event` was reported by a link's transport (not sent by a command or another actor). */
export function isTransportReport(event: object): boolean {
  return reports.has(event);
}

/** Sends a report to the link, marked as its transport's while a trace may read it. */
export function report(link: AnyActorRef, event: TransportReport): void {
  if (marking) reports.add(event);
  link.send(event);
}
