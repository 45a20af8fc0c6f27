/**
 * The greeting statechart: ONE client socket of a `resumable` server between its opening and its
 * session (linkvisor/server, docs/resume-protocol.md).
 *
 * Owns: how long a socket may stay without a session (`helloTimeout`: its hello, then the store's
 * answer to it). Does not own: the socket, the hello, the store lookup, the session that follows
 * (machines/session.machine.ts). Those live in src/server/resumable.ts, which runs one actor of
 * this chart per socket until it has a session, and closes the socket when the chart reaches
 * `timedOut`.
 * Scope boundary: the server says `greeting.settled` when the socket got its session or went
 * away; it learns of a timeout by the chart reaching `timedOut`. Nobody reads this context.
 *
 *   waiting ─greeting.settled→ settled (final)
 *   waiting ─after helloTimeout→ timedOut (final: the server closes the socket, 1013)
 *
 * Idempotent: `greeting.settled` in a final state does nothing.
 * Pure: no I/O, timers, clock reads or randomness; the delay is named and its default comes from
 * machines/policy/resume.ts.
 */
import { setup } from 'xstate';
import { HELLO_TIMEOUT_DEFAULT_MS } from './policy/resume.js';

/** What a greeting chart is started with: how long the socket may wait for its session, in ms. */
export interface GreetingInput {
  helloTimeoutMs?: number;
}

/** The greeting chart's context: its one number, resolved. */
export interface GreetingContext {
  helloTimeoutMs: number;
}

/** The socket got its session, or went away: the wait is over. */
export type GreetingEvent = { type: 'greeting.settled' };

/** The greeting chart's `setup()`: its types and its one delay by name. */
export const greetingSetup = setup({
  // Stryker disable next-line ObjectLiteral: read by TypeScript only; no value at run time
  types: {
    context: {} as GreetingContext,
    events: {} as GreetingEvent,
    input: {} as GreetingInput,
  },
  delays: {
    helloTimeout: ({ context }) => context.helloTimeoutMs,
  },
});

/**
 * The greeting chart of one socket of a `resumable` server: waiting → settled, or timedOut after
 * `helloTimeout`. Pure: src/server/resumable.ts runs it.
 */
export const greetingMachine = greetingSetup.createMachine({
  id: 'greeting',
  context: ({ input }) => ({ helloTimeoutMs: input.helloTimeoutMs ?? HELLO_TIMEOUT_DEFAULT_MS }),
  initial: 'waiting',
  states: {
    waiting: {
      description: 'The socket has no session yet: its hello, then the store, are awaited.',
      after: { helloTimeout: 'timedOut' },
      on: { 'greeting.settled': 'settled' },
    },
    settled: {
      type: 'final',
      description: 'The socket got its session, or went away.',
    },
    timedOut: {
      type: 'final',
      description: 'No session within helloTimeout: the server closes the socket (1013, try again later).',
    },
  },
});

/** The type of `greetingMachine`. */
export type GreetingMachine = typeof greetingMachine;
