/**
 * What each named action of the connection chart must do, written apart from the chart (part of the
 * oracle of the per-step checks in link-step-check.ts; link-step-contracts.ts gathers them with the
 * delays' and guards'): the context fields an action assigns and their values, the event it emits
 * (reported to the parent as `link.<type>`), what it reports to the parent alone, the commands it
 * sends to the transport.
 *
 * A step's actions are folded in the order they ran, each contract seeing the context the ones
 * before it left, so `clearReason` then `recordUserClose` gives the close's reason. The policy's
 * own functions (backoff, close table) are used as they are: they have tests of their own.
 *
 * A new named action in the chart needs a contract here: the check of a path that runs it fails,
 * naming it, and so does the gate test that lists the chart's implementations.
 */
import type { ConnectionContext, ConnectionEvent, LinkReport } from '../../machines/connection.machine.js';
import { nextDelay, RETRY_AT_ONCE_DELAY_MS, resetBackoff } from '../../machines/policy/backoff.js';
import { classify } from '../../machines/policy/close-reason.js';
import { rejoinDelay } from '../../machines/policy/network.js';
import { ERROR_CLOSE_GRACE_MS, MAX_RETRY_AFTER_MS } from '../../machines/policy/timeouts.js';
import type { ActionContract } from './chart-step-check.js';
import { intensityContracts, intensityOf } from './intensity-contracts.js';
import { announced, resumeAnnouncement, toParent } from './link-announcements.js';
import { closeCode, failureOf, firstReason, stableWaitMs, UNKNOWN } from './link-contract-reasons.js';

export { stableWaitMs };

type Context = ConnectionContext;

type Contract = ActionContract<Context, ConnectionEvent>;

/**
 * Every action's contract. `nowMs` is the link's clock time in the step: restart intensity's
 * window is clock time, which the runtime supplies to `recordRestart`, `recordLoss` and `escalate`.
 */
export function connectionActionContracts(nowMs: number): Readonly<Record<string, Contract>> {
  const intensity = intensityContracts(nowMs);
  return {
    ...CLOCKLESS_CONTRACTS,
    ...intensity,
    // A disconnect's record and its retry's plan in one assign: the record, then planRetry on what it left.
    recordLossAndPlanRetry: thenPlanRetry(intensity.recordLoss),
    recordReasonAndPlanRetry: thenPlanRetry(CLOCKLESS_CONTRACTS.recordReason),
  };
}

/** `first`'s assigns, then planRetry's on the context they leave, as one contract. */
function thenPlanRetry(first: Contract | undefined): Contract {
  return {
    assigns: (context, event, params) => {
      const update = first?.assigns?.(context, event, params) ?? {};
      const planned = CLOCKLESS_CONTRACTS.planRetry?.assigns?.({ ...context, ...update }, event, params);
      return { ...update, ...planned };
    },
  };
}

const CLOCKLESS_CONTRACTS: Readonly<Record<string, Contract>> = {
  // The disconnect that led to a new attempt is kept (the per-attempt functions' lastReason); an
  // attempt after a credentials rejection marks the retry state until the link is stable or a retry
  // waits (planRetry's nextDelay drops it).
  startAttempt: {
    assigns: (context) => ({
      reason: null,
      missedPongs: 0,
      pingOutstanding: false,
      // The last socket's error mark goes (absent until a socket first erred).
      ...(context.socketErred === undefined ? {} : { socketErred: false }),
      ...(context.reason === null ? {} : { previousReason: context.reason }),
      ...(context.reason !== null && classify(context.reason) === 'refresh'
        ? { retry: { ...context.retry, refreshed: true } }
        : {}),
    }),
  },
  clearReason: { assigns: () => ({ reason: null }) },
  recordReason: {
    assigns: (context, event) =>
      event.type === 'transport.closed' || event.type === 'handshake.failed' || event.type === 'resume.failed'
        ? firstReason(context, event.reason)
        : {},
  },
  recordResolveTimeout: {
    assigns: (context) =>
      firstReason(context, {
        kind: 'timeout',
        phase: 'resolve',
        message: `the connection details (url, protocols, headers) not resolved within ${context.policy.timeouts.resolveTimeoutMs} ms`,
      }),
  },
  recordConnectTimeout: {
    assigns: (context) =>
      firstReason(context, {
        kind: 'timeout',
        phase: 'connect',
        message: `no connection within ${context.policy.timeouts.connectTimeoutMs} ms`,
      }),
  },
  recordHandshakeTimeout: {
    assigns: (context) =>
      firstReason(context, {
        kind: 'timeout',
        phase: 'handshake',
        message: `handshake not done within ${context.policy.timeouts.handshakeTimeoutMs} ms`,
      }),
  },
  recordResumeTimeout: {
    assigns: (context) =>
      firstReason(context, {
        kind: 'timeout',
        phase: 'resume',
        message: `no answer to the resume request within ${context.policy.resume?.resumeTimeoutMs} ms`,
      }),
  },
  recordHeartbeatLoss: {
    assigns: (context) =>
      firstReason(context, {
        kind: 'heartbeat',
        message: `no pong for ${context.missedPongs + 1} ping(s) of ${context.policy.heartbeat.timeoutMs} ms`,
      }),
  },
  recordUserClose: {
    assigns: (context, event) =>
      firstReason(context, { kind: 'user', code: closeCode(event), message: 'closed by the application' }),
  },
  // The link's own close while its queue drains: its code replaces the one recorded (not the first wins).
  recordCloseCode: {
    assigns: (_context, event) => ({
      reason: { kind: 'user', code: closeCode(event), message: 'closed by the application' },
    }),
  },
  recordTerminate: {
    assigns: () => ({ reason: { kind: 'user', code: 1006, message: 'terminated by the application' } }),
  },
  // Restarted by its group: the first reason names the group and the member that was lost.
  recordGroupRestart: {
    assigns: (context, event) =>
      event.type === 'link.restart'
        ? firstReason(context, {
            kind: 'group',
            cause: event.cause,
            message: `restarted with group ${event.group}: ${event.cause} was lost`,
          })
        : {},
  },
  recordFailure: { assigns: (context) => ({ failure: failureOf(context) }) },
  recordIntensityFailure: {
    assigns: (context) => {
      const { maxRestarts, withinMs } = intensityOf(context);
      const last = context.reason === null ? '' : `; last reason: ${context.reason.message}`;
      return {
        failure: {
          kind: 'intensity',
          message: `more than ${maxRestarts} restarts within ${withinMs} ms${last}`,
        },
      };
    },
  },
  // Sick once per escalated period: the parent counts it; healed when it proves stable or ends.
  reportSick: {
    reports: (context) =>
      context.intensity?.sick ? null : toParent(context, { type: 'link.sick', linkId: context.linkId }),
  },
  reportRecovered: {
    assigns: (context) =>
      context.intensity?.sick ? { intensity: { ...context.intensity, sick: false } } : {},
    // Reports only a link that was sick when it ran.
    reports: (_context, _event, _params, found) =>
      found.intensity?.sick ? toParent(found, { type: 'link.healed', linkId: found.linkId }) : null,
  },
  disableReconnect: { assigns: () => ({ reconnectEnabled: false }) },
  enableReconnect: { assigns: () => ({ reconnectEnabled: true }) },
  reportUnready: {
    reports: (context) => toParent(context, { type: 'link.unready', linkId: context.linkId }),
  },
  planRetry: {
    assigns: (context) => {
      const { delayMs, state } = nextDelay(context.retry, context.policy.backoff);
      const hint = context.reason?.retryAfterMs;
      const floor = hint === undefined ? 0 : Math.min(hint, MAX_RETRY_AFTER_MS);
      return { retry: state, nextDelayMs: Math.max(delayMs, floor) };
    },
  },
  // The network is back: a short jittered wait from the network policy, not the backoff's rest.
  planRejoin: {
    assigns: (context) => {
      const { delayMs, random } = rejoinDelay(context.retry.random, context.policy.network);
      return { nextDelayMs: delayMs, retry: { ...context.retry, random } };
    },
  },
  resetRetry: { assigns: (context) => ({ retry: resetBackoff(context.retry), stable: true }) },
  markReady: {
    assigns: (context) => ({
      stable: false,
      stableInMs: undefined,
      readyCount: context.readyCount + 1,
      missedPongs: 0,
      nextDelayMs: null,
      // Ready again: the next attempt is told the disconnect that ends this one.
      previousReason: undefined,
    }),
  },
  recordPong: {
    assigns: (context, event) =>
      event.type === 'heartbeat.pong'
        ? {
            missedPongs: 0,
            pingOutstanding: false,
            pongSeen: context.pongSeen || event.proof === 'pong',
            rttMs: event.rttMs === null ? context.rttMs : event.rttMs,
          }
        : {},
  },
  // A whole quiet interval counts toward the stable wait; the ping that ends it is outstanding.
  endRest: {
    assigns: (context) =>
      context.stable
        ? { pingOutstanding: true }
        : {
            stableInMs: Math.max(0, stableWaitMs(context) - context.policy.heartbeat.intervalMs),
            pingOutstanding: true,
          },
  },
  countMissed: { assigns: (context) => ({ missedPongs: context.pongSeen ? context.missedPongs + 1 : 0 }) },
  // The transport's effects belong to the runtime (src/runtime/transport-actor.ts provides them):
  // they assign nothing and emit nothing; what they cause comes back as events.
  openTransport: {},
  closeTransport: {},
  flushQueue: {},
  markPingOutstanding: { assigns: () => ({ pingOutstanding: true }) },
  // The application's hold on reading, the link's across its sockets (Link.pause / Link.resume).
  holdReading: { assigns: () => ({ readingPaused: true }) },
  releaseReading: { assigns: () => ({ readingPaused: false }) },
  sendPing: {},
  sendProbe: {},
  startHandshake: {},
  startResume: {},
  // The ack timer: a delayed resume.ackDue after ackDelay, restarted by each new ack window.
  armAck: {
    arms: (context) => ({ event: 'resume.ackDue', delayMs: context.policy.resume?.ackDelayMs ?? Number.NaN }),
  },
  disarmAck: { disarms: 'resume.ackDue' },
  // The error-close timer: a delayed transport.closed (1006) after the socket's error, unless its
  // own close ends the attempt first (machines/connection-error-close.ts).
  armErrorClose: {
    arms: () => ({ event: 'transport.closed', delayMs: ERROR_CLOSE_GRACE_MS }),
    assigns: () => ({ socketErred: true }),
  },
  disarmErrorClose: { disarms: 'transport.closed' },
  sendAck: {},
  drainAndClose: {},
  announceReady: announced((context) => ({
    type: 'ready',
    linkId: context.linkId,
    readyCount: context.readyCount,
  })),
  // The resume's outcome: `resumed` with the replay counts or `reset` with why; a first session
  // (`new`) announces nothing.
  announceResume: {
    emits: (context, event) => resumeAnnouncement(context, event),
    reports: (context, event) => {
      const out = resumeAnnouncement(context, event);
      return out && toParent(context, { ...out, type: `link.${out.type}` } as LinkReport);
    },
  },
  announceEscalated: announced((context) => ({
    type: 'escalated',
    linkId: context.linkId,
    escalation: context.intensity?.escalations ?? 1,
    delayMs: context.nextDelayMs ?? 0,
    reason: context.reason ?? UNKNOWN,
  })),
  announceReconnecting: announced((context) => ({
    type: 'reconnecting',
    linkId: context.linkId,
    attempt: context.retry.attempt,
    delayMs: context.nextDelayMs ?? 0,
    reason: context.reason ?? UNKNOWN,
  })),
  // A retry made at once (refresh, group restart): as `reconnecting`, with no delay and the
  // retry number unchanged (no step of the schedule is taken).
  announceRetryAtOnce: announced((context) => ({
    type: 'reconnecting',
    linkId: context.linkId,
    attempt: context.retry.attempt,
    delayMs: RETRY_AT_ONCE_DELAY_MS,
    reason: context.reason ?? UNKNOWN,
  })),
  announceLost: announced((context) => ({
    type: 'lost',
    linkId: context.linkId,
    reason: context.reason ?? UNKNOWN,
  })),
  announceFailed: announced((context) => ({
    type: 'failed',
    linkId: context.linkId,
    reason: context.failure ?? UNKNOWN,
  })),
  announceClosed: announced((context) => ({
    type: 'closed',
    linkId: context.linkId,
    reason: context.reason,
  })),
};
