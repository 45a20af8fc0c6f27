/**
 * What `resumable(wss)` (./resumable.ts) shows its application: the server's events and their
 * names, and the `ResumableServer` it returns. Types and one constant; no behaviour.
 */
import type { IncomingMessage } from 'node:http';
import type { EventName } from '../util/emitter.js';
import type { LinkvisorError } from '../util/errors.js';
import type { ResumableSession } from './resumable-session.js';
import type { ResumableStatus } from './session-cap.js';

/** Events of a resumable server: `server.on('session', …)`. */
export interface ResumableEvents {
  [key: string]: unknown;
  /** A session started (`outcome` new or reset) or came back from the store (`resumed`). */
  session: ResumableSession;
  /** A cap was reached (`maxAwaySessions` as one more client left, or `maxSessions` for a new
   * session): this session, away the longest, ended (`close` with `evicted`, its unacknowledged
   * messages `dropped` first). */
  evicted: ResumableSession;
  /** The server was full and every session attached: a new session was refused, its socket
   * closed with 1013 (`SESSIONS_FULL_CLOSE_CODE`) and a reason naming `maxSessions`. */
  refused: { maxSessions: number; request: IncomingMessage };
  /** A listener or the store failed (LV_ERR_LISTENER), or a client broke the resume protocol
   * before it had a session (LV_ERR_RESUME: its socket closed with 1002; a session's own break
   * is the session's `error`). */
  error: LinkvisorError;
}

/** The names of ResumableEvents, for the emitter's check of `server.on(event)`. */
export const RESUMABLE_EVENTS: readonly string[] = Object.freeze([
  'session',
  'evicted',
  'refused',
  'error',
] satisfies EventName<ResumableEvents>[]);

/** What `resumable(wss)` returns: its sessions' events, their count, and `close()`. */
export interface ResumableServer {
  on<K extends keyof ResumableEvents & string>(
    event: K,
    listener: (payload: ResumableEvents[K]) => void,
  ): () => void;
  off<K extends keyof ResumableEvents & string>(
    event: K,
    listener: (payload: ResumableEvents[K]) => void,
  ): void;
  /** Live sessions (connected, or waiting for their client). */
  readonly size: number;
  /** Sessions attached and away, the cap, how many it evicted or refused, and how many sockets
   * broke the protocol before they had a session. */
  status(): ResumableStatus;
  /**
   * Stops serving: sockets close (1001); sessions end (`server-closed`, undelivered messages
   * reported) unless the store is durable (they are written to it, and resume elsewhere; one
   * whose write fails reports its undelivered messages as without it).
   * Resolves once every store call it made has settled, a hello's lookup (`get`) too (a store given
   * may then be closed; one that never settles keeps it pending), and every socket it closed has
   * answered its close frame or, after SERVER_CLOSE_TIMEOUT_MS (5 s), been terminated (the
   * server's farewell chart: machines/farewell.machine.ts, stopped then): no timer of the server
   * outlives it. The
   * WebSocketServer stays open (it is the application's). Idempotent.
   */
  close(): Promise<void>;
}
