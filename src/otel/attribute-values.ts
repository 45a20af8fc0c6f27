/**
 * The closed sets every attribute value of linkvisor/otel comes from: link states, reason kinds,
 * drop reasons, watcher states. A value outside its set (a custom transport inventing a reason
 * kind, say) is reported as `other`, so a metric's cardinality stays bounded whatever happens and
 * no free text (a message, a URL, a token) can become an attribute.
 *
 * Each list is checked against the library's own union type at compile time: a state added to the
 * chart without being added here is a type error that names it.
 */
import type { LinkStateName } from '../../machines/connection.machine.js';
import type { Reason, ReasonKind } from '../../machines/policy/close-reason.js';
import type { LinkEvents } from '../runtime/link-events.js';
import type { WatcherStatus } from '../runtime/watcher.js';

/** The value used for anything outside a closed set. */
export const OTHER = 'other';

/** `list`, if it names every member of the union `U` (otherwise a type error naming the missing). */
function everyOf<U extends string>() {
  return <const L extends readonly U[]>(
    list: L & ([Exclude<U, L[number]>] extends [never] ? unknown : { missing: Exclude<U, L[number]> }),
  ): L => list;
}

/** Every value of the `linkvisor.link.state` attribute: the link states. */
export const LINK_STATES = everyOf<LinkStateName>()([
  'idle',
  'connecting',
  'handshaking',
  'resuming',
  'ready',
  'closing',
  'disconnected',
  'reconnecting',
  'suspended',
  'coolingDown',
  'rejoining',
  'failed',
  'closed',
]);

/** Every value of the `linkvisor.reason.kind` attribute: the kinds of a disconnect reason. */
export const REASON_KINDS = everyOf<ReasonKind>()([
  'close',
  'http',
  'error',
  'timeout',
  'handshake',
  'heartbeat',
  'user',
  'gave-up',
  'intensity',
  'group',
  'invalid',
]);

export type DropReason = LinkEvents['dropped']['reason'];
/** Every value of the `linkvisor.drop.reason` attribute: why a message was not sent (or, `unread`,
 * not delivered). */
export const DROP_REASONS = everyOf<DropReason>()(['overflow', 'closed', 'invalid', 'reset', 'unread']);

export type WatcherState = WatcherStatus['state'];
/** Every value of the `linkvisor.watcher.state` attribute. */
export const WATCHER_STATES = everyOf<WatcherState>()(['starting', 'ready', 'down', 'stopped']);

const KIND_SET: ReadonlySet<string> = new Set(REASON_KINDS);

/** The reason's kind if it is one of linkvisor's, otherwise `other`. */
export function reasonKind(reason: Reason | null | undefined): string {
  const kind = reason?.kind;
  return typeof kind === 'string' && KIND_SET.has(kind) ? kind : OTHER;
}
