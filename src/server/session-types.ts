/**
 * What a session of a `resumable` server (./resumable-session.ts) shows its application and needs
 * of its server: why it ended, its events and their names, its status, and the close frame of each end.
 * Types and constants; no behaviour.
 */
import type { AppData, ResetReason } from '../resume/frames.js';
import type { EventName } from '../util/emitter.js';
import type { LinkvisorError } from '../util/errors.js';

/** Why a session ended. */
export type SessionEndReason =
  | 'closed'
  | 'client-closed'
  | 'expired'
  | 'evicted'
  | 'overflow'
  | 'reset'
  | 'server-closed'
  /** Its client resumed it on another server sharing the store: this server's copy ended (its
   * TTL, an eviction, `close()`, or its client's hello back here, which resumes from the other
   * server's record), reporting `dropped` only what it sent after its last write of the record
   * (the other server never had those), after an `error` (LV_ERR_RESUME) when it delivered
   * messages that record lacks (the other server delivers them again). */
  | 'moved';

/** A session's end as the store showed it: null, or (it `moved`: its client resumed it on
 * another server) the last message that server could replay from this server's record. */
export type Moved = number | null;

/** Events of a session: `session.on('message' | 'resumed' | 'reset' | 'dropped' | 'away' | 'close', …)`. */
export interface SessionEvents {
  [key: string]: unknown;
  /** An application message from the client (text as string, binary as Uint8Array). */
  message: AppData;
  /** The client came back on a new socket; `replayedOut` messages are sent to it again. */
  resumed: { replayedOut: number };
  /** This session can no longer be resumed (the client's numbers do not fit, or it broke the
   * protocol mid-session); `close` follows. */
  reset: { reason: ResetReason };
  /** A message sent that the client never acknowledged, reported when the session ends. */
  dropped: { data: AppData; reason: SessionEndReason };
  /** The client's socket went away; the session waits for it for `sessionTtlMs`. */
  away: Record<string, never>;
  close: { reason: SessionEndReason };
  /** A listener threw (LV_ERR_LISTENER), or the client broke the resume protocol mid-session
   * (LV_ERR_RESUME: its socket closed with 1002 and why; the session then ends as a `reset`), or
   * the session `moved` after delivering messages the other server's record lacks (LV_ERR_RESUME:
   * how many; that server delivers them again). */
  error: LinkvisorError;
}

/** The names of SessionEvents, for the emitter's check of `session.on(event)`. */
export const SESSION_EVENTS: readonly string[] = Object.freeze([
  'message',
  'resumed',
  'reset',
  'dropped',
  'away',
  'close',
  'error',
] satisfies EventName<SessionEvents>[]);

/** `session.status()`: plain counts, no secret. */
export interface SessionStatus {
  connected: boolean;
  /** Sent, not yet acknowledged by the client (kept for replay). */
  buffered: { messages: number; bytes: number };
  /** Received, not yet acknowledged to the client. */
  unacknowledged: number;
}

/** The close frame a session's end sends to its client's socket. */
export const CLOSE_FOR: Record<SessionEndReason, [number, string]> = {
  closed: [1000, 'session closed'],
  'client-closed': [1000, 'session closed'],
  expired: [1000, 'session expired'],
  evicted: [1000, 'session evicted'],
  overflow: [1013, 'resume buffer overflow'],
  reset: [1002, 'session reset'],
  'server-closed': [1001, 'server closing'],
  // Sent only when a hello back here finds the copy stale while it still holds a socket (a
  // half-open one: its client left it for the other server); else no socket carries it.
  moved: [1000, 'session moved'],
};
