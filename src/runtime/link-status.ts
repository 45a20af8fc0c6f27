/**
 * A link's status (`link.status()`): plain, JSON-serialisable, secrets redacted; read from its
 * connection actor's snapshot and its wire.
 */
import type { SnapshotFrom } from 'xstate';
import type { ConnectionActorRef, LinkStateName } from '../../machines/connection.machine.js';
import type { Reason } from '../../machines/policy/close-reason.js';

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
  /** ISO time the link last became ready, while it is ready. */
  readySince: string | null;
  /** ISO time of the last state change. */
  lastChange: string;
}
