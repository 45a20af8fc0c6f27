/**
 * How a link tells of a step: one `announce` emits the event to the link's listeners and, when the
 * link has a parent that handles it, reports it there as `link.<type>` — one place, so listeners
 * and parent always see the same sequence. Pure: it only enqueues XState actions.
 */
import type { AnyActorRef } from 'xstate';
import type { ConnectionContext, ConnectionEmitted, LinkReport } from './connection-types.js';

/** What `announce` needs of XState's `enqueue` (kept narrow so the helper stays typed). */
interface Announcer {
  emit(event: ConnectionEmitted): void;
  sendTo(ref: AnyActorRef, event: LinkReport): void;
}

/**
 * The parent to send report `type` to: the link's parent when it handles that report (it said
 * which it handles, `ConnectionInput.reports`, or it takes every one), otherwise none. Each
 * report is a step of the parent's: the socket chart asks only for the ones it acts on.
 */
export function reportTo(context: ConnectionContext, type: LinkReport['type']): AnyActorRef | undefined {
  const wanted = context.policy.reports;
  return wanted === null || wanted.includes(type) ? context.parent : undefined;
}

/**
 * Emits `event` to listeners and, when the link has a parent that handles it, reports it there
 * as `link.<type>`. One place, so listeners and parent always see the same sequence.
 */
export function announce(enqueue: Announcer, context: ConnectionContext, event: ConnectionEmitted): void {
  enqueue.emit(event);
  const type = `link.${event.type}` as LinkReport['type'];
  const parent = reportTo(context, type);
  // Guarded: sendTo(undefined) would send to the link itself (DESIGN.md §8).
  if (parent) enqueue.sendTo(parent, { ...event, type } as LinkReport);
}
