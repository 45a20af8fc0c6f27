/**
 * What each named action and delay of the connection chart must do, written apart from the chart
 * (the oracle of the per-step checks in link-step-check.ts): the context fields an action assigns
 * and their values, the event it emits (reported to the parent as `link.<type>`), what it reports
 * to the parent alone, the commands it sends to the transport; and each named delay's value.
 *
 * A step's actions are folded in the order they ran, each contract seeing the context the ones
 * before it left, so `clearReason` then `recordUserClose` gives the close's reason. The policy's
 * own functions (backoff, close table) are used as they are: they have tests of their own.
 *
 * A new named action or delay in the chart needs a contract here: the check of a path that runs it
 * fails, naming it, and so does the gate test that lists the chart's implementations.
 */
import type {
  ConnectionContext,
  ConnectionEmitted,
  ConnectionEvent,
  LinkReport,
} from '../../machines/connection.machine.js';
import { nextDelay, resetBackoff } from '../../machines/policy/backoff.js';
import { classify, type Reason } from '../../machines/policy/close-reason.js';
import { MAX_RETRY_AFTER_MS } from '../../machines/policy/timeouts.js';
import type { ActionContract, ChartContracts } from './chart-step-check.js';
import { type LinkModelConfig, MODEL_DELAYS_MS } from './link-model-options.js';

type Context = ConnectionContext;

type Contract = ActionContract<Context, ConnectionEvent>;

/** An announcement: emitted to listeners and, with a parent, reported there as `link.<type>`. */
function announced(event: (context: Context) => ConnectionEmitted): Contract {
  return {
    emits: event,
    reports: (context) => {
      const out = event(context);
      return { ...out, type: `link.${out.type}` } as LinkReport;
    },
  };
}

const NORMAL_CLOSURE = 1000;

/** An error is a reason the close table retries or rejects; a clean or our own close is not. */
function isError(reason: Reason): boolean {
  const verdict = classify(reason);
  return verdict === 'retryable' || verdict === 'fatal';
}

/** The first reason of a disconnect wins; an error reason is also the link's last error. */
function firstReason(context: Context, reason: Reason): Partial<Context> {
  if (context.reason) return {};
  return { reason, lastError: isError(reason) ? reason : context.lastError };
}

function closeCode(event: ConnectionEvent): number {
  return event.type === 'link.close' && event.code !== undefined ? event.code : NORMAL_CLOSURE;
}

const UNKNOWN: Reason = { kind: 'invalid', message: 'unknown' };

function stableWaitMs(context: Context): number {
  return context.stableInMs === undefined ? context.policy.backoff.stableAfterMs : context.stableInMs;
}

/** Why a link that will not retry failed: its fatal or final reason, else "gave up". */
function failureOf(context: Context): Reason {
  const reason = context.reason ?? { kind: 'invalid', message: 'link ended without a reason' };
  const verdict = classify(reason);
  const exhausted = context.retry.attempt >= context.policy.backoff.maxAttempts;
  if (verdict === 'fatal' || verdict === 'final' || !exhausted) return reason;
  return {
    kind: 'gave-up',
    message: `gave up after ${context.retry.attempt} retries; last reason: ${reason.message}`,
  };
}

export const CONNECTION_ACTION_CONTRACTS: Readonly<Record<string, Contract>> = {
  startAttempt: { assigns: () => ({ reason: null, missedPongs: 0, pingOutstanding: false }) },
  clearReason: { assigns: () => ({ reason: null }) },
  recordReason: {
    assigns: (context, event) =>
      event.type === 'transport.closed' || event.type === 'handshake.failed'
        ? firstReason(context, event.reason)
        : {},
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
  recordTerminate: {
    assigns: () => ({ reason: { kind: 'user', code: 1006, message: 'terminated by the application' } }),
  },
  recordFailure: { assigns: (context) => ({ failure: failureOf(context) }) },
  disableReconnect: { assigns: () => ({ reconnectEnabled: false }) },
  enableReconnect: { assigns: () => ({ reconnectEnabled: true }) },
  reportUnready: { reports: (context) => ({ type: 'link.unready', linkId: context.linkId }) },
  planRetry: {
    assigns: (context) => {
      const { delayMs, state } = nextDelay(context.retry, context.policy.backoff);
      const hint = context.reason?.retryAfterMs;
      const floor = hint === undefined ? 0 : Math.min(hint, MAX_RETRY_AFTER_MS);
      return { retry: state, nextDelayMs: Math.max(delayMs, floor) };
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
  creditRest: {
    assigns: (context) =>
      context.stable
        ? {}
        : { stableInMs: Math.max(0, stableWaitMs(context) - context.policy.heartbeat.intervalMs) },
  },
  countMissed: { assigns: (context) => ({ missedPongs: context.pongSeen ? context.missedPongs + 1 : 0 }) },
  // The transport's effects belong to the runtime (src/runtime/transport-actor.ts provides them):
  // they assign nothing and emit nothing; what they cause comes back as events.
  openTransport: {},
  closeTransport: {},
  flushQueue: {},
  markPingOutstanding: { assigns: () => ({ pingOutstanding: true }) },
  sendPing: {},
  startHandshake: {},
  drainAndClose: {},
  announceReady: announced((context) => ({
    type: 'ready',
    linkId: context.linkId,
    readyCount: context.readyCount,
  })),
  announceReconnecting: announced((context) => ({
    type: 'reconnecting',
    linkId: context.linkId,
    attempt: context.retry.attempt,
    delayMs: context.nextDelayMs ?? 0,
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

/** Each named delay's value, in ms, from the context of the state that schedules it. */
export const CONNECTION_DELAY_CONTRACTS: Readonly<Record<string, (context: Context) => number>> = {
  connectTimeout: (context) => context.policy.timeouts.connectTimeoutMs,
  handshakeTimeout: (context) => context.policy.timeouts.handshakeTimeoutMs,
  closeTimeout: (context) => context.policy.timeouts.closeTimeoutMs,
  reconnectDelay: (context) => context.nextDelayMs ?? 0,
  stableAfter: stableWaitMs,
  heartbeatInterval: (context) => context.policy.heartbeat.intervalMs,
  heartbeatRest: (context) => Math.max(0, context.policy.heartbeat.intervalMs - stableWaitMs(context)),
  heartbeatTimeout: (context) => context.policy.heartbeat.timeoutMs,
};

/**
 * The context a model link must start with: every field from the model's config and options
 * (MODEL_DELAYS_MS), not from the chart's own initial context; only identities (id, label,
 * parent), the random seed's state and the policy's unset defaults are taken from `actual`.
 */
export function initialContextOf(config: Required<LinkModelConfig>, actual: Context): Context {
  const { policy } = actual;
  return {
    linkId: actual.linkId,
    label: actual.label,
    parent: actual.parent,
    autoConnect: config.autoConnect,
    reconnectEnabled: true,
    inProcess: config.inProcess,
    hasHandshake: config.handshake,
    policy: {
      backoff: {
        ...policy.backoff,
        initialDelayMs: MODEL_DELAYS_MS.reconnectDelay,
        maxDelayMs: MODEL_DELAYS_MS.reconnectDelay,
        multiplier: 1,
        jitter: 'none',
        maxAttempts: config.maxAttempts,
        stableAfterMs: MODEL_DELAYS_MS.stableAfter,
      },
      timeouts: {
        connectTimeoutMs: MODEL_DELAYS_MS.connectTimeout,
        handshakeTimeoutMs: MODEL_DELAYS_MS.handshakeTimeout,
        closeTimeoutMs: MODEL_DELAYS_MS.closeTimeout,
      },
      heartbeat: config.heartbeat
        ? {
            mode: 'protocol',
            intervalMs: MODEL_DELAYS_MS.heartbeatInterval,
            timeoutMs: MODEL_DELAYS_MS.heartbeatTimeout,
            maxMissed: config.maxMissed,
          }
        : { ...policy.heartbeat, mode: 'off' },
    },
    retry: { attempt: 0, previousDelayMs: 0, random: actual.retry.random },
    nextDelayMs: null,
    reason: null,
    lastError: null,
    failure: null,
    missedPongs: 0,
    pongSeen: false,
    rttMs: null,
    pingOutstanding: false,
    stable: false,
    readyCount: 0,
  };
}

/** The connection chart's contracts, as the generic step check takes them. */
export const CONNECTION_CONTRACTS: ChartContracts<Context, ConnectionEvent> = {
  where: 'src/testing/link-step-contracts.ts',
  actions: CONNECTION_ACTION_CONTRACTS,
  delays: CONNECTION_DELAY_CONTRACTS,
  byIdentity: ['parent'],
};
