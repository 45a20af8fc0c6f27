/**
 * Where a recorded event came from (a trace record's `source`): a timer (by its delay's name and
 * value), a transport report, a command, another recorded actor or a child of the actor.
 */
import type { AnyActorRef } from 'xstate';
import { isTransportReport } from '../runtime/transport-reports.js';
import type { TraceSource } from './trace-format.js';

/** The type prefix of XState's delayed transitions' events. */
export const AFTER_PREFIX = 'xstate.after.';
/** The source of an event a link's transport reported (the format names it as a child). */
const TRANSPORT_SOURCE: TraceSource = { kind: 'child', id: 'transport' };

/** `xstate.after.reconnectDelay.connection.reconnecting` → `reconnectDelay`. */
export function afterDelayName(eventType: string): string {
  return eventType.slice(AFTER_PREFIX.length).split('.')[0] ?? '';
}

/** A delay's name and value (ms) a pending delayed event was scheduled with. */
export interface ScheduledDelay {
  name: string;
  delayMs: number;
}

/**
 * The delay an action schedules (XState's `xstate.raise` with a delay: an `xstate.after.*` event,
 * or one the chart raises with a named delay, the ack timer's `resume.ackDue`, named by its id),
 * or undefined for any other action.
 */
export function scheduledDelay(action: unknown): (ScheduledDelay & { eventType: string }) | undefined {
  const { type, params } = action as {
    type: string;
    params?: { delay?: unknown; id?: unknown; event?: { type?: unknown } };
  };
  const eventType = params?.event?.type;
  if (type !== 'xstate.raise' || typeof eventType !== 'string' || typeof params?.delay !== 'number') return;
  const name = eventType.startsWith(AFTER_PREFIX) ? afterDelayName(eventType) : params.id;
  return typeof name === 'string' ? { eventType, name, delayMs: params.delay } : undefined;
}

/**
 * The source of `event` processed by `actor`: `sender` is who sent it (undefined: not seen, null:
 * from outside), `delays` the actor's pending delayed events by type, `idOf` a recorded actor's id.
 */
export function traceSource(
  actor: AnyActorRef,
  event: { type: string },
  sender: AnyActorRef | null | undefined,
  delays: ReadonlyMap<string, ScheduledDelay> | undefined,
  idOf: (actor: AnyActorRef) => string | undefined,
): TraceSource {
  if (event.type.startsWith(AFTER_PREFIX) && (sender === actor || sender === undefined)) {
    const delayMs = delays?.get(event.type)?.delayMs ?? null;
    return { kind: 'timer', delay: afterDelayName(event.type), delayMs };
  }
  // A delayed event the chart raised to itself (the ack timer): a timer too, by its delay's name.
  const timer = sender === actor ? delays?.get(event.type) : undefined;
  if (timer) return { kind: 'timer', delay: timer.name, delayMs: timer.delayMs };
  if (!sender) return isTransportReport(event) ? TRANSPORT_SOURCE : { kind: 'command' };
  const other = idOf(sender);
  if (other !== undefined) return { kind: 'actor', actor: other };
  if ((sender as { _parent?: unknown })._parent === actor) return { kind: 'child', id: sender.id };
  return { kind: 'actor', actor: sender.id };
}
