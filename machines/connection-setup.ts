/**
 * The connection chart's vocabulary of behaviour: its private pure helpers and its `setup()` — the
 * types and every action, guard and delay by name — that connection.machine.ts builds the chart
 * from. The transport actions (`openTransport`, `closeTransport` and the commands) do nothing here:
 * the runtime supplies them with `.provide()` (src/runtime/transport-actor.ts), or `defineLink` does.
 * The features' guards, delays and actions (the handshake, the resume, a group's restart, network
 * rejoin, an intensity that fails) are not here: ./connection-features.ts extends this setup with
 * them for `connectionMachine`; the drop-in's `connectionChart` runs on this core setup alone.
 * Pure: no I/O, timers, clock reads or randomness; every delay's value comes from machines/policy.
 */
import { assign, cancel, enqueueActions, raise, setup } from 'xstate';
import { announce, reportTo } from './connection-announce.js';
import { ERROR_CLOSE_TIMER, UNCLOSED_AFTER_ERROR } from './connection-error-close.js';
import {
  attemptLeftovers,
  attemptStart,
  escalateAt,
  failureReason,
  lossAt,
  planRetry,
  restartAt,
  retryGuards,
  shouldEscalate,
  shouldRefresh,
  withReason,
  withRetryPlanned,
} from './connection-retry.js';
import type {
  ConnectionContext,
  ConnectionEmitted,
  ConnectionEvent,
  ConnectionInput,
  TransportCommand,
} from './connection-types.js';
import { RETRY_AT_ONCE_DELAY_MS, resetBackoff } from './policy/backoff.js';
import type { Reason } from './policy/close-reason.js';
import { creditedStableInMs, restAfterStableMs, stableEndsWithinRest } from './policy/heartbeat.js';
import { ERROR_CLOSE_GRACE_MS, IO_TURN_MS } from './policy/timeouts.js';

// ─── Pure helpers ───────────────────────────────────────────────────────────────────────────

/** The user's close code and reason for the close handshake (1000, "" by default). */
const NORMAL_CLOSURE = 1000;

/** Ready time still to wait before the link is stable, in ms. */
function stableInMs(context: ConnectionContext): number {
  return context.stableInMs ?? context.policy.backoff.stableAfterMs;
}

/** An event that ends an attempt with a reason: `recordReason` runs on these only. */
type AttemptEnd = Extract<
  ConnectionEvent,
  { type: 'transport.closed' | 'handshake.failed' | 'resume.failed' }
>;

/** The events an action receives, by the chart's wiring: a type assertion, not a check (a check
 * the chart's wiring makes always true would be dead code, and a mutant of it an equivalent one). */
export type EventOf<T extends ConnectionEvent['type']> = Extract<ConnectionEvent, { type: T }>;

/** The reason of an announcement when the context has none: a fallback (never reached). */
// Stryker disable next-line BlockStatement: unreachable fallback (see above)
function unknownReason(): Reason {
  // Stryker disable next-line ObjectLiteral,StringLiteral: unreachable fallback (see above)
  return { kind: 'invalid', message: 'unknown' };
}

/** The close handshake a `link.close` asks for (1000 and no reason unless the user gave them). */
export function drainCommand({ event }: { event: ConnectionEvent }): DrainCommand {
  const close = closeRequest(event);
  return { type: 'transport.drain', code: close.code ?? NORMAL_CLOSURE, reason: close.reason ?? '' };
}

/** What the user asked of a `link.close`: its code and reason (the close actions run on it only). */
function closeRequest(event: ConnectionEvent): { code?: number; reason?: string } {
  // Stryker disable next-line ConditionalExpression: the close actions run on link.close only, so `true` is the same
  return event.type === 'link.close' ? event : {};
}

/** The reason a `link.close` records: the user's code (1000 by default). */
function userClose(event: ConnectionEvent): Reason {
  return {
    kind: 'user',
    code: closeRequest(event).code ?? NORMAL_CLOSURE,
    message: 'closed by the application',
  };
}

/** The transport's actions do nothing here: src/runtime/transport-actor.ts provides them. Without
 * them a link waits in `connecting` until its connect timeout, then retries. */
export function transportEffect(): void {}
function drainEffect(_args: unknown, _command: DrainCommand): void {}

type DrainCommand = Extract<TransportCommand, { type: 'transport.drain' }>;

// ─── Setup: every implementation by name ────────────────────────────────────────────────────

/**
 * The connection chart's core `setup()`: its types and every action, guard and delay by name but
 * the features' (`connectionSetup`, in ./connection-features.ts, is this setup with them). The
 * transport actions do nothing here: provide them (`connectionMachine.provide({ actions })`, as
 * src/runtime/transport-actor.ts does), or use `defineLink`.
 */
export const connectionCoreSetup = setup({
  // Stryker disable next-line ObjectLiteral: read by TypeScript only; no value at run time
  types: {
    context: {} as ConnectionContext,
    events: {} as ConnectionEvent,
    input: {} as ConnectionInput,
    emitted: {} as ConnectionEmitted,
  },
  guards: {
    isInProcess: ({ context }) => context.policy.inProcess,
    /** A per-attempt URL, protocols, headers or wsOptions function: the attempt resolves it first. */
    resolvesTarget: ({ context }) => context.policy.perAttempt,
    heartbeatEnabled: ({ context }) => context.policy.heartbeat.mode !== 'off',
    /** The retry decision (`shouldRetry`, `disconnected`'s) and the straight edges to
     * `reconnecting` that take its usual outcome at once; src/ adds the user's hook. */
    ...retryGuards(() => undefined),
    /** Credentials rejected, a per-attempt function can fetch new ones, and none was fetched
     * since the link was last stable or a retry waited (connection-retry.ts `canRefresh`). */
    shouldRefresh: ({ context }) => shouldRefresh(context),
    autoConnect: ({ context }) => context.policy.autoConnect,
    /** A close naming its code: the link's own, not its supervisor's (the socket's names none). */
    namesCloseCode: ({ event }) => closeRequest(event).code !== undefined,
    reconnectDisabled: ({ context }) => !context.reconnectEnabled,
    peerNeverAnswered: ({ context }) => !context.pongSeen,
    tooManyMissed: ({ context }) => context.missedPongs + 1 >= context.policy.heartbeat.maxMissed,
    pingOutstanding: ({ context }) => context.pingOutstanding,
    readingPaused: ({ context }) => context.readingPaused === true,
    /** This attempt's socket fired error: its error-close timer was armed (./connection-error-close.ts). */
    errorCloseArmed: ({ context }) => context.socketErred === true,
    /** More restarts within the window than the link's intensity allows (policy/intensity.ts). */
    intensityExceeded: ({ context }) => shouldEscalate(context),
    /** Entering ready, what `starting` then `resting` decide for a fresh ready link (not stable,
     * the whole stable wait ahead): heartbeat on, and the wait ends within the first interval. */
    settlesFirst: ({ context }) =>
      context.policy.heartbeat.mode !== 'off' &&
      stableEndsWithinRest(context.policy.backoff.stableAfterMs, context.policy.heartbeat),
    /** The stable wait ends before the next ping is due: this rest is split at that point. */
    stableWithinRest: ({ context }) =>
      !context.stable && stableEndsWithinRest(stableInMs(context), context.policy.heartbeat),
  },
  delays: {
    /** From the attempt's start to its per-attempt functions having settled (policy/timeouts.ts). */
    resolveTimeout: ({ context }) => context.policy.timeouts.resolveTimeoutMs,
    connectTimeout: ({ context }) => context.policy.timeouts.connectTimeoutMs,
    closeTimeout: ({ context }) => context.policy.timeouts.closeTimeoutMs,
    reconnectDelay: ({ context }) => context.nextDelayMs ?? 0,
    /** The escalation's cool-down (grows with consecutive escalations, policy/intensity.ts). */
    coolDown: ({ context }) => context.nextDelayMs ?? 0,
    stableAfter: ({ context }) => stableInMs(context),
    heartbeatInterval: ({ context }) => context.policy.heartbeat.intervalMs,
    heartbeatRest: ({ context }) => restAfterStableMs(stableInMs(context), context.policy.heartbeat),
    heartbeatTimeout: ({ context }) => context.policy.heartbeat.timeoutMs,
    /** One I/O turn after the pong timeout, for a pong read late (policy/timeouts.ts). */
    ioTurn: () => IO_TURN_MS,
    errorCloseGrace: () => ERROR_CLOSE_GRACE_MS, // from a socket's error to its close (policy/timeouts.ts)
  },
  actions: {
    /** The disconnect that led here, for the per-attempt functions; nothing left, no assign. */
    startAttempt: enqueueActions(({ context, enqueue }) => {
      if (attemptLeftovers(context)) enqueue.assign(attemptStart(context));
    }),
    /** The disconnect has been handled (announced, retry planned): a later event is a new one. */
    clearReason: assign({ reason: null }),
    /** Runs on transport.closed, handshake.failed and resume.failed, each carrying its reason. */
    recordReason: assign(({ context, event }) => withReason(context, (event as AttemptEnd).reason)),
    recordResolveTimeout: assign(({ context }) =>
      withReason(context, {
        kind: 'timeout',
        phase: 'resolve',
        message: `the connection details (url, protocols, headers) not resolved within ${context.policy.timeouts.resolveTimeoutMs} ms`,
      }),
    ),
    recordConnectTimeout: assign(({ context }) =>
      withReason(context, {
        kind: 'timeout',
        phase: 'connect',
        message: `no connection within ${context.policy.timeouts.connectTimeoutMs} ms`,
      }),
    ),
    recordHeartbeatLoss: assign(({ context }) =>
      withReason(context, {
        kind: 'heartbeat',
        message: `no pong for ${context.missedPongs + 1} ping(s) of ${context.policy.heartbeat.timeoutMs} ms`,
      }),
    ),
    recordUserClose: assign(({ context, event }) => withReason(context, userClose(event))),
    /** The link's own close while its queue drains (no close frame written yet): its code is the
     * one the frame carries and the close's reason, replacing the supervisor's 1000. */
    recordCloseCode: assign(({ event }) => ({ reason: userClose(event) })),
    /** Terminate is authoritative: it replaces a pending disconnect's reason. */
    recordTerminate: assign({
      reason: { kind: 'user', code: 1006, message: 'terminated by the application' },
    }),
    recordFailure: assign(({ context }) => ({ failure: failureReason(context) })),
    /**
     * A ready link was lost: one restart in the intensity window. The chart keeps no clock, so
     * this pure default counts every restart at time 0 (the window never slides); the runtime
     * (src/link-runtime.ts) supplies it with its clock's time.
     */
    recordRestart: assign(({ context }) => restartAt(context, 0)),
    /** A ready link's socket closed: `recordReason` and `recordRestart` in one assign (one context
     * copy and one snapshot fewer a drop; pure default at time 0 like recordRestart, the runtime
     * supplies its clock's time). */
    recordLoss: assign(({ context, event }) =>
      lossAt(context, (event as EventOf<'transport.closed'>).reason, 0),
    ),
    /** A ready link's socket closed and the usual retry follows (the straight edge to
     * `reconnecting`): `recordLoss` and `planRetry` in one assign (pure default at time 0, like
     * recordLoss; the runtime supplies its clock's time and the link's backoff function). */
    recordLossAndPlanRetry: assign(({ context, event }) =>
      withRetryPlanned(context, lossAt(context, (event as EventOf<'transport.closed'>).reason, 0)),
    ),
    /** An attempt's socket closed and the usual retry follows (`attemptEnded`'s straight edge to
     * `reconnecting`): `recordReason` and `planRetry` in one assign (the runtime supplies the
     * link's backoff function). */
    recordReasonAndPlanRetry: assign(({ context, event }) =>
      withRetryPlanned(context, withReason(context, (event as EventOf<'transport.closed'>).reason)),
    ),
    /** Escalate: the cool-down to rest (pure default at time 0, like recordRestart). */
    escalate: assign(({ context }) => escalateAt(context, 0)),
    /** Escalating a healthy link: the parent counts one sick link more (once per sick period). */
    reportSick: enqueueActions(({ context, enqueue }) => {
      const parent = reportTo(context, 'link.sick');
      // Stryker disable next-line OptionalChaining: runs right after escalate, which sets the intensity state
      if (context.intensity?.sick || !parent) return;
      enqueue.sendTo(parent, { type: 'link.sick', linkId: context.linkId });
    }),
    /** An escalated link proved stable (or ended): the parent counts one sick link fewer. */
    reportRecovered: enqueueActions(({ context, enqueue }) => {
      if (!context.intensity?.sick) return;
      enqueue.assign({ intensity: { ...context.intensity, sick: false } });
      const parent = reportTo(context, 'link.healed');
      if (parent) enqueue.sendTo(parent, { type: 'link.healed', linkId: context.linkId });
    }),
    disableReconnect: assign({ reconnectEnabled: false }),
    enableReconnect: assign({ reconnectEnabled: true }),
    reportUnready: enqueueActions(({ context, enqueue }) => {
      const parent = reportTo(context, 'link.unready');
      if (parent) enqueue.sendTo(parent, { type: 'link.unready', linkId: context.linkId });
    }),
    planRetry: assign(({ context }) => planRetry(context)),
    resetRetry: assign(({ context }) => ({ retry: resetBackoff(context.retry), stable: true })),
    markReady: assign(({ context }) => ({
      stable: false,
      ...(context.stableInMs === undefined ? {} : { stableInMs: undefined }),
      // Ready again: the next attempt's functions are told the disconnect that ends this one.
      // (A credentials rejection is a first one again only once the link is stable or a retry waits.)
      ...(context.previousReason === undefined ? {} : { previousReason: undefined }),
      readyCount: context.readyCount + 1,
      missedPongs: 0,
      nextDelayMs: null,
    })),
    recordPong: assign(({ context, event }) => {
      // Stryker disable next-line ConditionalExpression: runs on heartbeat.pong only, so `false` is the same
      if (event.type !== 'heartbeat.pong') return {};
      return {
        missedPongs: 0,
        pingOutstanding: false,
        pongSeen: context.pongSeen || event.proof === 'pong',
        rttMs: event.rttMs ?? context.rttMs,
      };
    }),
    /** A whole quiet interval in ready ends with a ping: it counts toward the stable wait (until
     * the link is stable), and the ping is outstanding; one assign, one context copy. */
    endRest: assign(({ context }) =>
      context.stable
        ? { pingOutstanding: true }
        : {
            stableInMs: creditedStableInMs(stableInMs(context), context.policy.heartbeat),
            pingOutstanding: true,
          },
    ),
    countMissed: assign(({ context }) => ({
      missedPongs: context.pongSeen ? context.missedPongs + 1 : 0,
    })),
    /** Opens this attempt's socket (entry of `attempt`); its reports come back as events. */
    openTransport: transportEffect,
    /** Ends this attempt's socket (exit of `attempt`): it can never talk to a later attempt. */
    closeTransport: transportEffect,
    flushQueue: transportEffect,
    markPingOutstanding: assign({ pingOutstanding: true }),
    holdReading: assign({ readingPaused: true }),
    releaseReading: assign({ readingPaused: false }),
    sendPing: transportEffect,
    sendProbe: transportEffect,
    /** The socket fired error: the error-close timer (./connection-error-close.ts) starts, marked
     * in the attempt's context (`socketErred`); a second error of the attempt restarts it. */
    armErrorClose: enqueueActions(({ check, enqueue }) => {
      if (check('errorCloseArmed')) enqueue(cancel(ERROR_CLOSE_TIMER));
      else enqueue.assign({ socketErred: true });
      enqueue(raise(UNCLOSED_AFTER_ERROR, { id: ERROR_CLOSE_TIMER, delay: 'errorCloseGrace' }));
    }),
    /** Leaving the attempt: its error-close timer goes with it, when an error armed it (a healthy
     * attempt armed none, and cancels none: no action reaches the scheduler). */
    disarmErrorClose: enqueueActions(({ check, enqueue }) => {
      if (check('errorCloseArmed')) enqueue(cancel(ERROR_CLOSE_TIMER));
    }),
    drainAndClose: drainEffect,
    announceReady: enqueueActions(({ context, enqueue }) =>
      announce(enqueue, context, {
        type: 'ready',
        linkId: context.linkId,
        readyCount: context.readyCount,
      }),
    ),
    announceReconnecting: enqueueActions(({ context, enqueue }) =>
      announce(enqueue, context, {
        type: 'reconnecting',
        linkId: context.linkId,
        attempt: context.retry.attempt,
        delayMs: context.nextDelayMs ?? 0,
        reason: context.reason ?? unknownReason(),
      }),
    ),
    /** A retry made at once (a credentials refresh, a group restart) is announced as any retry:
     * no delay, and the number the fresh attempt carries (the schedule does not move). */
    announceRetryAtOnce: enqueueActions(({ context, enqueue }) =>
      announce(enqueue, context, {
        type: 'reconnecting',
        linkId: context.linkId,
        attempt: context.retry.attempt,
        delayMs: RETRY_AT_ONCE_DELAY_MS,
        reason: context.reason ?? unknownReason(),
      }),
    ),
    announceLost: enqueueActions(({ context, enqueue }) =>
      announce(enqueue, context, {
        type: 'lost',
        linkId: context.linkId,
        reason: context.reason ?? unknownReason(),
      }),
    ),
    announceEscalated: enqueueActions(({ context, enqueue }) =>
      announce(enqueue, context, {
        type: 'escalated',
        linkId: context.linkId,
        // Stryker disable next-line OptionalChaining,LogicalOperator: announced right after escalate, which sets the intensity state
        escalation: context.intensity?.escalations ?? 1,
        delayMs: context.nextDelayMs ?? 0,
        reason: context.reason ?? unknownReason(),
      }),
    ),
    announceFailed: enqueueActions(({ context, enqueue }) =>
      announce(enqueue, context, {
        type: 'failed',
        linkId: context.linkId,
        reason: context.failure ?? unknownReason(),
      }),
    ),
    announceClosed: enqueueActions(({ context, enqueue }) =>
      announce(enqueue, context, { type: 'closed', linkId: context.linkId, reason: context.reason }),
    ),
  },
});
