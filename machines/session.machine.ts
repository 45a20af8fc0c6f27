/**
 * The session statechart: the lifecycle of ONE session of a `resumable` server (linkvisor/server,
 * docs/resume-protocol.md).
 *
 * Owns: whether the session's client is attached or away, how long an away session waits for its
 * client (`sessionTtl`), when a pending acknowledgement goes out by time (`ackDelay`), and that the
 * session ends exactly once. Does not own: sockets, the replay buffer and its payloads, the store,
 * the acknowledgement by count (the data path sends it at once after `ackEveryMessages`, then says
 * `session.acked`), which away session a full server evicts (its least recently used: the server's
 * src/server/session-cap.ts). Those live in src/server/, which runs one actor of this chart per
 * session (resumable-session.ts) and supplies `sendAck` with `.provide()`.
 * Scope boundary: the server reports its client's sockets (`session.attached`, `session.detached`),
 * the first message not yet acknowledged (`session.unacked`), an eviction (`session.evict`) and
 * the end (`session.end`); it learns of an expiry or an eviction by the chart reaching `expired`
 * or `evicted`. Nobody reads this context.
 *
 *   attached { quiet ─session.unacked→ acking ─after ackDelay / sendAck→ quiet
 *                                         └─session.acked (by count)→ quiet }
 *   attached ─session.attached→ attached (a newer socket replaced a half-open one: re-entered,
 *            its hello acknowledged what arrived, so the pending ack is void)
 *   attached ─session.detached→ away ─after sessionTtl→ expired (final)
 *   away ─session.evict→ evicted (final: a full server needed the room; attached ignores it)
 *   away ─session.attached→ attached
 *   any ─session.end→ ended (final: closed by either side, overflowed, reset, server closing)
 *
 * Timers: `ackDelay` lives in `attached.acking`, `sessionTtl` in `away`; both die with their state,
 * so a session never holds a timer it does not need. The default in-memory store keeps no timer
 * at all: each record carries its deadline, checked when read and swept when another is written
 * (src/server/session-store.ts), so the chart is the one place where a session expires while its
 * server runs. Eviction adds no timer: it is an event, and only `away` takes it, so a session whose
 * client is attached is never evicted. Idempotent: `session.unacked` in `acking`, `session.acked`
 * in `quiet`, `session.evict` in `attached`, `session.end` in a final state do nothing.
 * Pure: no I/O, timers, clock reads or randomness; both delays are named and their values come
 * from machines/policy/resume.ts.
 */
import { setup } from 'xstate';
import { RESUME_DEFAULTS, SESSION_TTL_DEFAULT_MS } from './policy/resume.js';

/** What a session's chart is started with: its two timing numbers (machines/policy/resume.ts). */
export interface SessionInput {
  /** How long after the first unacknowledged message an ack goes out, in ms. */
  ackDelayMs?: number;
  /** How long the session waits for its client to come back, in ms. */
  sessionTtlMs?: number;
}

/** The session chart's context: its two timing numbers, resolved. */
export interface SessionContext {
  ackDelayMs: number;
  sessionTtlMs: number;
}

/** Events the server sends a session's chart. */
export type SessionEvent =
  /** A socket of the session's client passed the handshake. */
  | { type: 'session.attached' }
  /** The client's socket went away (not a close by the client). */
  | { type: 'session.detached' }
  /** A message arrived and none before it waits for an ack: the ack timer starts. */
  | { type: 'session.unacked' }
  /** The data path acknowledged everything by count: the ack timer is void. */
  | { type: 'session.acked' }
  /** The server is full and this session is its least recently used away one: it ends
   * (`evicted`); ignored while the client is attached. */
  | { type: 'session.evict' }
  /** The session ends (its reason is the runtime's: the chart has one ending for all). */
  | { type: 'session.end' };

/** The public name of a session chart's state: `attached`, `away`, `expired`, `evicted` or `ended`. */
export type SessionStateName = 'attached' | 'away' | 'expired' | 'evicted' | 'ended';

/** The state name of a session chart's value (`{ attached: 'acking' }` → `attached`). */
export function sessionStateName(value: unknown): SessionStateName {
  return (typeof value === 'string' ? value : Object.keys(value as object)[0]) as SessionStateName;
}

function sendAckEffect(): void {}

/** The session chart's `setup()`: its types, delays and the `sendAck` action by name. `sendAck`
 * does nothing here: src/server/ supplies it (it writes the ack, after a durable store wrote the
 * session). */
export const sessionSetup = setup({
  // Stryker disable next-line ObjectLiteral: read by TypeScript only; no value at run time
  types: {
    context: {} as SessionContext,
    events: {} as SessionEvent,
    input: {} as SessionInput,
  },
  delays: {
    ackDelay: ({ context }) => context.ackDelayMs,
    sessionTtl: ({ context }) => context.sessionTtlMs,
  },
  // Stryker disable next-line ObjectLiteral: the default sendAck does nothing and src/server/ always supplies its own
  actions: {
    /** Sends the cumulative ack of everything received (the runtime's). */
    sendAck: sendAckEffect,
  },
});

/**
 * The session chart of one resumable session: attached (quiet ⇄ acking) ⇄ away → expired or
 * evicted, or ended from anywhere. Pure: src/server/resumable-session.ts runs it.
 */
export const sessionMachine = sessionSetup.createMachine({
  id: 'session',
  context: ({ input }) => ({
    ackDelayMs: input.ackDelayMs ?? RESUME_DEFAULTS.ackDelayMs,
    sessionTtlMs: input.sessionTtlMs ?? SESSION_TTL_DEFAULT_MS,
  }),
  initial: 'attached',
  on: {
    'session.end': { target: '.ended' },
  },
  states: {
    attached: {
      description: 'A socket of the client carries the session.',
      initial: 'quiet',
      on: {
        'session.detached': 'away',
        'session.attached': {
          target: 'attached',
          // Stryker disable next-line BooleanLiteral: attached has no entry, exit or timer of its own; without reenter acking is still left (its timer cancelled) for quiet
          reenter: true,
          description:
            'A newer socket of the same client replaced a half-open one; its hello acknowledged what arrived.',
        },
      },
      states: {
        quiet: {
          description: 'Everything received is acknowledged.',
          on: { 'session.unacked': 'acking' },
        },
        acking: {
          description: 'A message waits for its ack: by count in the data path, or after ackDelay here.',
          after: { ackDelay: { target: 'quiet', actions: 'sendAck' } },
          on: { 'session.acked': 'quiet' },
        },
      },
    },
    away: {
      description: 'The client is gone: its messages wait in the replay buffer for sessionTtl.',
      after: { sessionTtl: 'expired' },
      on: {
        'session.attached': 'attached',
        'session.evict': {
          target: 'evicted',
          description:
            'The server holds maxSessions and this session is the one away the longest: it makes room.',
        },
      },
    },
    expired: {
      type: 'final',
      description: 'The client stayed away longer than sessionTtl: the runtime ends the session.',
    },
    evicted: {
      type: 'final',
      description:
        'A full server ended it for a newer session: the runtime ends it; its client resumes as after an expiry.',
    },
    ended: { type: 'final' },
  },
});

/** The type of `sessionMachine`. */
export type SessionMachine = typeof sessionMachine;
