/**
 * A link's status (`link.status()`): plain, JSON-serialisable, secrets redacted; read from its
 * connection actor's snapshot and its wire.
 */
import type { SnapshotFrom } from 'xstate';
import {
  type ConnectionActorRef,
  type LinkStateName,
  linkStateName,
} from '../../machines/connection.machine.js';
import type { Reason } from '../../machines/policy/close-reason.js';
import { isoTime } from './iso-time.js';
import type { LinkWire } from './link-wire.js';

/** A connection actor's snapshot. */
export type ConnectionSnapshot = SnapshotFrom<ConnectionActorRef>;

/** Plain, JSON-serialisable status of a link; secrets are redacted. */
export interface LinkStatus {
  id: string;
  url: string;
  state: LinkStateName;
  ready: boolean;
  /** Retries since the link was last stable. */
  attempt: number;
  /** Times the link became ready. */
  readyCount: number;
  lastError: Reason | null;
  failure: Reason | null;
  /** Delay of the retry being waited for, in ms (state `reconnecting`). */
  nextDelayMs: number | null;
  rttMs: number | null;
  queue: { messages: number; bytes: number };
  /** The resumable session (`resume` option), or absent: `buffered` is what was sent and not
   * yet acknowledged (kept for replay), `unacknowledged` what was received and not yet
   * acknowledged to the peer. The session id is a secret and is not shown. */
  resume?: { session: boolean; buffered: { messages: number; bytes: number }; unacknowledged: number };
  /** Present (true) while the application holds reading paused (`Link.pause`), in any state:
   * nothing is delivered until `resume()`. */
  paused?: true;
  /** ISO time the link last became ready, while it is ready (null also when the clock read a time
   * no Date can hold). */
  readySince: string | null;
  /** ISO time of the last state change; null when the clock read a time no Date can hold then
   * (`Infinity`, `1e300`: a status() never throws for it). */
  lastChange: string | null;
}

/**
 * The status of link `id` from its actor's snapshot (none while it waits for its turn: idle), its
 * wire, the failure of an actor that errored, and its times (epoch ms): `readyAt`, when it became
 * ready if it has seen itself ready (else, ready in this snapshot: `now()`), its last change.
 */
export function linkStatus(
  id: string,
  snapshot: ConnectionSnapshot | undefined,
  wire: LinkWire,
  actorFailure: Reason | null,
  times: { readyAt: number | null; lastChange: number; now: () => number },
): LinkStatus {
  const context = snapshot?.context;
  const state = !snapshot ? 'idle' : snapshot.status === 'error' ? 'failed' : linkStateName(snapshot.value);
  return {
    id,
    url: wire.lastUrl ?? wire.config.label,
    state,
    ready: state === 'ready',
    attempt: context?.retry.attempt ?? 0,
    readyCount: context?.readyCount ?? 0,
    lastError: context?.lastError ?? null,
    failure: context?.failure ?? actorFailure,
    nextDelayMs:
      state === 'reconnecting' || state === 'coolingDown' || state === 'rejoining'
        ? (context?.nextDelayMs ?? null)
        : null,
    rttMs: context?.rttMs ?? null,
    queue: wire.queued(),
    ...wire.session?.status(),
    ...(context?.readingPaused ? { paused: true as const } : {}),
    // The link became ready at its last change of state (read before the link saw the step that
    // made it ready: now).
    readySince: state === 'ready' ? isoTime(times.readyAt ?? times.now()) : null,
    lastChange: isoTime(times.lastChange),
  };
}
