/**
 * Resumable sessions (docs/resume-protocol.md): THE home of the numbers that bound a session's
 * replay buffer, pace its acknowledgements and limit how long a resume may take.
 *
 * The connection chart refers to `resumeTimeoutMs` through its named delay `resumeTimeout` and
 * to `ackDelayMs` through its ack timer `ackDelay`; the server's session chart
 * (machines/session.machine.ts) to `ackDelayMs` and `SESSION_TTL_DEFAULT_MS` through `ackDelay`
 * and `sessionTtl`. The replay buffer and the ack by count live in the runtime (they hold or
 * count payloads, which never enter a chart); their numbers live here with the others.
 */

export interface ResumeLimits {
  /** Unacknowledged messages one side keeps for replay, in bytes (UTF-8 of text, binary length). */
  maxBytes: number;
  /** Unacknowledged messages one side keeps for replay, as a count. */
  maxMessages: number;
}

/** When a side acknowledges what it received: after a count or a delay, whichever comes first. */
export interface AckOptions {
  /** Acknowledge after this many messages received since the last ack… */
  ackEveryMessages: number;
  /** …or this long after the first message not yet acknowledged, in ms, whichever comes first. */
  ackDelayMs: number;
}

/** Every number of a resumable session: replay bounds, acknowledgements and the resume timeout. */
export interface ResumeOptions extends ResumeLimits, AckOptions {
  /** From the socket being open to the peer's answer to our resume request, in ms. */
  resumeTimeoutMs: number;
}

/**
 * Why these numbers:
 * - maxBytes 1 MiB: SignalR's stateful reconnect keeps 100,000 bytes and then blocks the sender.
 *   Here the buffer is the only copy of a message in flight, and a link writing 10 MB/s has
 *   ~1 MB unacknowledged after one ackDelayMs of 100 ms; 1 MiB also matches the outbound queue's
 *   default (machines/policy/queue.ts), so a link holds at most ~2 MiB for its peer by default.
 * - maxMessages 10,000: many small messages (chat, telemetry ticks) must not be bounded by bytes
 *   alone: an ack per 64 messages keeps ~64 in flight on a healthy link, 10,000 leaves room for a
 *   peer that stalls for seconds at a few thousand messages per second.
 * - ackEveryMessages 64: an ack is a 10-byte frame; one per 64 messages costs < 2 % more frames
 *   on the echo benchmark, and bounds what a fast link replays after a drop to ~64 messages plus
 *   what was in flight.
 * - ackDelayMs 100: a quiet link's peer frees its buffer within 100 ms (a human does not notice
 *   a resume of 100 ms of messages) while a chatty link acks by count long before.
 * - resumeTimeoutMs 10,000: the same as the handshake timeout (machines/policy/timeouts.ts): the
 *   server answers a resume at once unless its session store is slow (a remote store such as
 *   Redis answers in milliseconds; 10 s means it is down).
 */
export const RESUME_DEFAULTS: Readonly<ResumeOptions> = Object.freeze({
  maxBytes: 1024 * 1024,
  maxMessages: 10_000,
  ackEveryMessages: 64,
  ackDelayMs: 100,
  resumeTimeoutMs: 10_000,
});

/**
 * How long a server keeps a session whose client is gone, in ms. 120 s is socket.io's
 * `maxDisconnectionDuration`: longer than a phone's network handover or a laptop lid closed for
 * a coffee, short enough that abandoned sessions do not pile up.
 */
export const SESSION_TTL_DEFAULT_MS = 120_000;

/**
 * How many sessions a server keeps waiting for their client at once (`maxAwaySessions`). 10,000:
 * a session waiting with an empty replay buffer costs ~6 KiB of heap (bench/session-heap.ts,
 * BENCHMARKS.md round 19), so 10,000 hold ~60 MiB, while each replay buffer is bounded by
 * `maxBytes`. Without a bound, a client that connects, drops and starts afresh N times makes the
 * server hold N sessions for `sessionTtlMs` (socket.io, SignalR and Phoenix bound the buffer or
 * the time, never the count). Only away sessions are counted: a session whose client is attached
 * costs what its socket costs, and the server already bounds its sockets. When one more leaves,
 * the session away the longest ends (the nearest to its TTL anyway; its client resumes as after
 * an expiry: `unknown-session`). `Infinity`: no bound.
 */
export const MAX_AWAY_SESSIONS_DEFAULT = 10_000;

/**
 * How many sessions a server holds at once, attached or away (`maxSessions`): no cap by
 * default, so that a server never refuses a client because of its number of clients unless told
 * to (the churn of fresh sessions is bounded by `MAX_AWAY_SESSIONS_DEFAULT`). With a cap, a new
 * session on a full server evicts the session away the longest; with every session attached, the
 * new socket is refused with `SESSIONS_FULL_CLOSE_CODE`.
 */
export const MAX_SESSIONS_DEFAULT = Number.POSITIVE_INFINITY;

/**
 * How long a server waits, in ms, for a peer to answer the close frame it sent (its `close()`, a
 * session's end, a refused or timed-out socket) before it terminates the socket. 5 s: a close
 * handshake is one round trip (well under a second even on a slow mobile link); a peer silent for
 * 5 s has stopped reading or is gone. Without it, ws keeps such a socket CLOSING, with its timer,
 * for its own 30 s close timeout, well after the server's `close()` has resolved.
 */
export const SERVER_CLOSE_TIMEOUT_MS = 5_000;

/**
 * The close code of a socket refused because every session of a full server is attached: 1013
 * (RFC 6455 "Try Again Later": a temporary condition such as overload), which a client
 * classifies as retryable (machines/policy/close-reason.ts) and retries after its backoff, as it
 * does for the hello timeout.
 */
export const SESSIONS_FULL_CLOSE_CODE = 1013;

/**
 * How long a server keeps a client's socket that has no session yet (its hello not received, or
 * the store's answer to it not back), in ms; then it closes it (1013, try again later). 10 s is
 * the client's own `resumeTimeoutMs`: a client that has heard nothing by then has given up on
 * this socket, and a store that takes longer is down. Without it a socket that never says hello
 * would be held for as long as its peer likes.
 */
// A literal, not RESUME_DEFAULTS.resumeTimeoutMs: a property read is kept by bundlers that do not
// use it (a getter may have effects); test/machines/greeting.pure.test.ts checks they are equal.
export const HELLO_TIMEOUT_DEFAULT_MS = 10_000;

/** Whether a buffer holding `messages` messages of `bytes` bytes can take one more of `size`. */
export function fitsLimits(limits: ResumeLimits, messages: number, bytes: number, size: number): boolean {
  return messages < limits.maxMessages && bytes + size <= limits.maxBytes;
}

/** Whether an ack is due: `unacked` messages received since the last ack, the first of them at
 * `firstAtMs` (null: none), at time `nowMs`. */
export function ackDue(
  options: AckOptions,
  unacked: number,
  firstAtMs: number | null,
  nowMs: number,
): boolean {
  if (unacked <= 0 || firstAtMs === null) return false;
  return unacked >= options.ackEveryMessages || nowMs - firstAtMs >= options.ackDelayMs;
}
