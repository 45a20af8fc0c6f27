/**
 * The farewell statechart: the sockets a `resumable` server closed whose peers have not answered
 * the close frame yet (linkvisor/server, docs/resume-protocol.md). ONE actor per server, whatever
 * the number of sockets closing: the counterpart of the greeting chart
 * (machines/greeting.machine.ts), which holds a socket from its opening to its session.
 *
 * Owns: how long the server waits for a peer to answer its close frame (`closeTimeout`:
 * SERVER_CLOSE_TIMEOUT_MS, machines/policy/resume.ts), as ONE delayed transition armed for the
 * earliest deadline, re-entered for the next. The sockets closing are counted by deadline
 * (`batches`, in deadline order: every socket gets the same timeout, so a new one's deadline is
 * never before the last's), in whole ms on the caller's monotonic clock (`atMs` of each event).
 * Does not own: the sockets, the close frames, which socket has which deadline (the server's:
 * src/server/close-socket.ts, which terminates a batch's sockets still open when it is told
 * `farewell.timedOut`), the sessions (machines/session.machine.ts).
 * Scope boundary: ONE event per turn of the server's event loop, whatever the number of sockets
 * (an event per socket cost a `close()` of thousands ~1.35× the CPU of plain timers: BENCHMARKS.md,
 * round 35). The server says `farewell.closing { count }` for the close frames it sent in one turn
 * and reads their deadline from the last batch; `farewell.closed { answers }` for the sockets that
 * closed in one turn (their peers answered, or went away, or were terminated), counted by batch.
 * Answers naming no batch (one that timed out) do nothing.
 *
 *   idle ─farewell.closing→ waiting
 *   waiting ─farewell.closing→ waiting (counted; the timer stays: the earliest deadline is the same)
 *   waiting ─farewell.closed [the last sockets]→ idle
 *   waiting ─farewell.closed [the earliest batch's last sockets]→ waiting (re-entered: the next deadline)
 *   waiting ─farewell.closed→ waiting (counted)
 *   waiting ─after closeTimeout [the earliest batch is the last]→ idle (emits farewell.timedOut)
 *   waiting ─after closeTimeout→ waiting (re-entered: the next deadline; emits farewell.timedOut)
 *
 * Never early: a deadline is rounded up to the ms, and after a timeout the next delay counts from
 * the deadline that fired (a timer fires at or after its time), so a peer always gets its full
 * closeTimeout. Pure: no I/O, timers, clock reads or randomness; the delay is named and its
 * default comes from machines/policy/resume.ts.
 */
import { assign, emit, setup } from 'xstate';
import { SERVER_CLOSE_TIMEOUT_MS } from './policy/resume.js';

/** What a farewell chart is started with: how long a peer may take to answer, in ms. */
export interface FarewellInput {
  closeTimeoutMs?: number;
}

/** The sockets closing whose deadline is `dueMs`, counted. */
export interface FarewellBatch {
  dueMs: number;
  sockets: number;
}

/** The farewell chart's context. */
export interface FarewellContext {
  closeTimeoutMs: number;
  /** The sockets closing, by deadline, earliest first (never empty in `waiting`). */
  batches: readonly FarewellBatch[];
  /** The caller's clock as of the last event, or the deadline that last fired: the next delay
   * counts from it. */
  nowMs: number;
}

/** `count` close frames went out at `atMs` / `answers` (sockets closed, by batch) came by `atMs`. */
export type FarewellEvent =
  | { type: 'farewell.closing'; count: number; atMs: number }
  | { type: 'farewell.closed'; answers: readonly FarewellBatch[]; atMs: number };

/** What the chart emits: the batch `dueMs`'s sockets still open are to be terminated. */
export type FarewellEmitted = { type: 'farewell.timedOut'; dueMs: number };

type Batches = FarewellContext['batches'];
type Closed = Extract<FarewellEvent, { type: 'farewell.closed' }>;

/** `batches` with `count` more sockets closing at `atMs` (their deadline rounded up to the ms). */
function withClosing(context: FarewellContext, count: number, atMs: number): Batches {
  const dueMs = Math.ceil(atMs) + context.closeTimeoutMs;
  const last = context.batches[context.batches.length - 1];
  if (last?.dueMs === dueMs)
    return [...context.batches.slice(0, -1), { dueMs, sockets: last.sockets + count }];
  return [...context.batches, { dueMs, sockets: count }];
}

/** `batches` with the sockets `answers` counts fewer (a batch left empty is dropped). */
function withClosed(batches: Batches, answers: Closed['answers']): Batches {
  return batches.flatMap((batch) => {
    let { sockets } = batch;
    for (const answer of answers) if (answer.dueMs === batch.dueMs) sockets -= answer.sockets;
    return sockets > 0 ? [{ dueMs: batch.dueMs, sockets }] : [];
  });
}

/** The earliest batch (in `waiting`, where the guards, delay and actions below run, there is one). */
const earliest = (batches: Batches) => batches[0] as FarewellBatch;

/** Whether the answers leave the earliest batch empty (the next deadline is another, or none). */
const emptiesHead = (batches: Batches, event: Closed) =>
  withClosed([earliest(batches)], event.answers).length === 0;

/** The farewell chart's `setup()`: its types, its delay, guards and actions by name. */
export const farewellSetup = setup({
  // Stryker disable next-line ObjectLiteral: read by TypeScript only; no value at run time
  types: {
    context: {} as FarewellContext,
    events: {} as FarewellEvent,
    input: {} as FarewellInput,
    emitted: {} as FarewellEmitted,
  },
  delays: {
    closeTimeout: ({ context }) => Math.max(0, earliest(context.batches).dueMs - context.nowMs),
  },
  guards: {
    /** The sockets closed are the last ones closing. */
    closesLast: ({ context, event }) => withClosed(context.batches, (event as Closed).answers).length === 0,
    /** The sockets closed leave the earliest batch empty: the next deadline is another. */
    closesEarliest: ({ context, event }) => emptiesHead(context.batches, event as Closed),
    /** The batch whose deadline passed is the last one. */
    earliestIsLast: ({ context }) => context.batches.length === 1,
  },
  actions: {
    countClosing: assign(({ context, event }) => {
      const { count, atMs } = event as Extract<FarewellEvent, { type: 'farewell.closing' }>;
      return { batches: withClosing(context, count, atMs), nowMs: atMs };
    }),
    countClosed: assign(({ context, event }) => {
      const { answers, atMs } = event as Closed;
      return { batches: withClosed(context.batches, answers), nowMs: atMs };
    }),
    announceTimeout: emit(({ context }) => ({
      type: 'farewell.timedOut' as const,
      dueMs: earliest(context.batches).dueMs,
    })),
    dropEarliest: assign(({ context }) => ({
      batches: context.batches.slice(1),
      nowMs: earliest(context.batches).dueMs,
    })),
  },
});

/**
 * The farewell chart of a `resumable` server: idle, or waiting for the earliest deadline of the
 * sockets it closed. Pure: src/server/close-socket.ts runs it.
 */
export const farewellMachine = farewellSetup.createMachine({
  id: 'farewell',
  context: ({ input }) => ({
    closeTimeoutMs: input.closeTimeoutMs ?? SERVER_CLOSE_TIMEOUT_MS,
    batches: [],
    nowMs: 0,
  }),
  initial: 'idle',
  states: {
    idle: {
      description: 'No socket closing: no timer.',
      on: { 'farewell.closing': { target: 'waiting', actions: 'countClosing' } },
    },
    waiting: {
      description:
        'Close frames sent, answers awaited: one timer, for the earliest deadline (a peer that has not answered by then is terminated).',
      after: {
        closeTimeout: [
          { guard: 'earliestIsLast', target: 'idle', actions: ['announceTimeout', 'dropEarliest'] },
          { target: 'waiting', reenter: true, actions: ['announceTimeout', 'dropEarliest'] },
        ],
      },
      on: {
        'farewell.closing': { actions: 'countClosing' },
        'farewell.closed': [
          { guard: 'closesLast', target: 'idle', actions: 'countClosed' },
          { guard: 'closesEarliest', target: 'waiting', reenter: true, actions: 'countClosed' },
          { actions: 'countClosed' },
        ],
      },
    },
  },
});

/** The type of `farewellMachine`. */
export type FarewellMachine = typeof farewellMachine;
