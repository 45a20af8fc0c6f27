/**
 * The farewell statechart: ONE socket of a `resumable` server after the server sent it a close
 * frame, until the socket is closed (linkvisor/server, docs/resume-protocol.md). The counterpart of
 * the greeting chart (machines/greeting.machine.ts), which holds a socket from its opening to its
 * session.
 *
 * Owns: how long the server waits for the peer to answer its close frame (`closeTimeout`:
 * SERVER_CLOSE_TIMEOUT_MS, machines/policy/resume.ts). Does not own: the socket, the close frame,
 * its code and reason, the session the socket carried (machines/session.machine.ts). Those live in
 * src/server/close-socket.ts, which starts one actor of this chart per socket it closes (only
 * then: a connected socket costs nothing here) and terminates the socket when the chart reaches
 * `timedOut`.
 * Scope boundary: the server says `farewell.closed` when the socket closed (its peer answered the
 * close frame, or the connection went away); it learns of a timeout by the chart reaching
 * `timedOut`. Nobody reads this context.
 *
 *   waiting ─farewell.closed→ closed (final)
 *   waiting ─after closeTimeout→ timedOut (final: the server terminates the socket)
 *
 * Idempotent: `farewell.closed` in a final state does nothing.
 * Pure: no I/O, timers, clock reads or randomness; the delay is named and its default comes from
 * machines/policy/resume.ts.
 */
import { setup } from 'xstate';
import { SERVER_CLOSE_TIMEOUT_MS } from './policy/resume.js';

/** What a farewell chart is started with: how long the peer may take to answer, in ms. */
export interface FarewellInput {
  closeTimeoutMs?: number;
}

/** The farewell chart's context: its one number, resolved. */
export interface FarewellContext {
  closeTimeoutMs: number;
}

/** The socket closed (its peer answered, or it went away): the wait is over. */
export type FarewellEvent = { type: 'farewell.closed' };

/** The farewell chart's `setup()`: its types and its one delay by name. */
export const farewellSetup = setup({
  // Stryker disable next-line ObjectLiteral: read by TypeScript only; no value at run time
  types: {
    context: {} as FarewellContext,
    events: {} as FarewellEvent,
    input: {} as FarewellInput,
  },
  delays: {
    closeTimeout: ({ context }) => context.closeTimeoutMs,
  },
});

/**
 * The farewell chart of one socket a `resumable` server closes: waiting → closed, or timedOut
 * after `closeTimeout`. Pure: src/server/close-socket.ts runs it.
 */
export const farewellMachine = farewellSetup.createMachine({
  id: 'farewell',
  context: ({ input }) => ({ closeTimeoutMs: input.closeTimeoutMs ?? SERVER_CLOSE_TIMEOUT_MS }),
  initial: 'waiting',
  states: {
    waiting: {
      description: 'The close frame is sent: the peer’s answer, or the socket’s end, is awaited.',
      after: { closeTimeout: 'timedOut' },
      on: { 'farewell.closed': 'closed' },
    },
    closed: {
      type: 'final',
      description: 'The socket closed: its peer answered the close frame, or the connection went away.',
    },
    timedOut: {
      type: 'final',
      description:
        'No answer within closeTimeout: the server terminates the socket (its peer stopped reading).',
    },
  },
});

/** The type of `farewellMachine`. */
export type FarewellMachine = typeof farewellMachine;
