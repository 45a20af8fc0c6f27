/**
 * The state names a link reports (`link.state`, the `state` event) and what each `state` event
 * carries, read from the connection chart's state value and context.
 */

import type { ConnectionContext } from './connection-types.js';
import type { Reason } from './policy/close-reason.js';

/** The leaf state names a link reports as `link.state`. */
export type LinkStateName =
  | 'idle'
  | 'connecting'
  | 'handshaking'
  | 'resuming'
  | 'ready'
  | 'closing'
  | 'disconnected'
  | 'reconnecting'
  | 'suspended'
  | 'coolingDown'
  | 'rejoining'
  | 'failed'
  | 'closed';

/**
 * A `state` event: the transition it reports, with what that transition is about, so a listener
 * on `state` alone prints the right reason on the right row. `attempt` counts retries the one way
 * the whole library does (0 for the first connect, 1 for the first retry: the `reconnecting`
 * event's, `shouldReconnect`'s and `AttemptInfo.attempt`'s number).
 */
export interface LinkStateChange {
  from: LinkStateName;
  to: LinkStateName;
  /** Why: the disconnect (reconnecting, suspended), the failure (failed), the close (closing,
   * closed; absent if the link ended without one), the last restart (coolingDown). */
  reason?: Reason;
  /** The retry this is: the one being waited for (reconnecting), the one connecting (connecting,
   * handshaking, resuming, ready), the retries so far (suspended, failed). */
  attempt?: number;
  /** The wait before the next attempt, in ms (reconnecting, coolingDown). */
  delayMs?: number;
}

/** The details of a transition into `to`, read from the context the transition produced (built
 * without object spreads: it runs on every change of state of every link). */
export function stateChangeDetails(
  context: ConnectionContext,
  to: LinkStateName,
): Omit<LinkStateChange, 'from' | 'to'> {
  const attempt = context.retry.attempt;
  const reason = context.reason;
  switch (to) {
    case 'reconnecting':
    case 'coolingDown':
    case 'rejoining': {
      const delayMs = context.nextDelayMs ?? 0;
      return reason ? { reason, attempt, delayMs } : { attempt, delayMs };
    }
    case 'suspended':
      return reason ? { reason, attempt } : { attempt };
    case 'failed':
      return context.failure ? { reason: context.failure, attempt } : { attempt };
    case 'closing':
    case 'closed':
      return reason ? { reason } : {};
    case 'connecting':
    case 'handshaking':
    case 'resuming':
    case 'ready':
      return { attempt };
    default:
      return {};
  }
}

/**
 * The attempt's grace states (a timeout's I/O turn, `meta.graceFor` in the chart) by the public name
 * of the state each extends: for the user the link is still connecting, handshaking or resuming;
 * and `resolving` (its per-attempt functions settling), which is connecting too.
 */
const GRACE_STATES: Readonly<Record<string, LinkStateName>> = {
  // Not a grace state: the per-attempt functions settling, before the socket; still connecting.
  resolving: 'connecting',
  connectGrace: 'connecting',
  handshakeGrace: 'handshaking',
  resumeGrace: 'resuming',
};

/** The public state name of a snapshot's value (`{ attempt: { ready: 'beating' } }` → `ready`). */
export function linkStateName(value: unknown): LinkStateName {
  if (typeof value === 'string') return value as LinkStateName;
  const attempt = (value as { attempt?: unknown }).attempt;
  if (typeof attempt === 'string') return (GRACE_STATES[attempt] ?? attempt) as LinkStateName;
  return Object.keys(attempt as object)[0] as LinkStateName;
}
