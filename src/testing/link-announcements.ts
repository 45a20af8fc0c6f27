/**
 * What the connection chart's announcements must be (for link-action-contracts.ts): an event
 * emitted to listeners and, with a parent that takes it, reported there as `link.<type>`.
 */
import type {
  ConnectionContext,
  ConnectionEmitted,
  ConnectionEvent,
  LinkReport,
} from '../../machines/connection.machine.js';
import type { ActionContract } from './chart-step-check.js';

type Context = ConnectionContext;

/** `report`, if the parent takes it: a parent that named the reports it handles
 * (`ConnectionInput.reports`, the socket chart does) is sent no other; one that did not, every one. */
export function toParent(context: Context, report: LinkReport | null): LinkReport | null {
  const wanted = context.policy.reports;
  return report && (wanted === null || wanted.includes(report.type)) ? report : null;
}

/** An announcement: emitted to listeners and, with a parent that takes it, reported there as
 * `link.<type>`. */
export function announced(
  event: (context: Context) => ConnectionEmitted,
): ActionContract<Context, ConnectionEvent> {
  return {
    emits: event,
    reports: (context) => {
      const out = event(context);
      return toParent(context, { ...out, type: `link.${out.type}` } as LinkReport);
    },
  };
}

/** What a finished resume announces: `resumed` or `reset` (a new session announces nothing). */
export function resumeAnnouncement(context: Context, event: ConnectionEvent): ConnectionEmitted | null {
  if (event.type !== 'resume.done' || event.outcome === 'new') return null;
  return event.outcome === 'resumed'
    ? {
        type: 'resumed',
        linkId: context.linkId,
        replayedIn: event.replayedIn,
        replayedOut: event.replayedOut,
      }
    : { type: 'reset', linkId: context.linkId, reason: event.reason };
}
