/**
 * The connection chart's contracts, written apart from the chart (the oracle of the per-step checks
 * in link-step-check.ts): each named action's (link-action-contracts.ts), each named delay's value,
 * each guard's answer and the states each tag marks (here), and a model link's initial context.
 *
 * A new named action, delay or guard in the chart needs a contract: the check of a path that runs it
 * fails, naming it and the file, and so does the gate test that lists the chart's implementations.
 */
import type { ConnectionContext, ConnectionEvent } from '../../machines/connection.machine.js';
import { classify } from '../../machines/policy/close-reason.js';
import { intensityExceeded } from '../../machines/policy/intensity.js';
import { ERROR_CLOSE_GRACE_MS, IO_TURN_MS, MAX_TIMER_MS } from '../../machines/policy/timeouts.js';
import type { ChartContracts } from './chart-step-check.js';
import { connectionActionContracts, stableWaitMs } from './link-action-contracts.js';
import { type LinkModelConfig, MODEL_DELAYS_MS } from './link-model-options.js';

type Context = ConnectionContext;

/** Each named delay's value, in ms, from the context of the state that schedules it. */
export const CONNECTION_DELAY_CONTRACTS: Readonly<Record<string, (context: Context) => number>> = {
  resolveTimeout: (context) => context.policy.timeouts.resolveTimeoutMs,
  connectTimeout: (context) => context.policy.timeouts.connectTimeoutMs,
  handshakeTimeout: (context) => context.policy.timeouts.handshakeTimeoutMs,
  resumeTimeout: (context) => context.policy.resume?.resumeTimeoutMs ?? Number.NaN,
  ackDelay: (context) => context.policy.resume?.ackDelayMs ?? Number.NaN,
  closeTimeout: (context) => context.policy.timeouts.closeTimeoutMs,
  reconnectDelay: (context) => context.nextDelayMs ?? 0,
  // Both waits were planned into nextDelayMs (planRejoin, escalate) on the way in.
  rejoinDelay: (context) => context.nextDelayMs ?? Number.NaN,
  coolDown: (context) => context.nextDelayMs ?? Number.NaN,
  stableAfter: stableWaitMs,
  heartbeatInterval: (context) => context.policy.heartbeat.intervalMs,
  heartbeatRest: (context) => Math.max(0, context.policy.heartbeat.intervalMs - stableWaitMs(context)),
  heartbeatTimeout: (context) => context.policy.heartbeat.timeoutMs,
  ioTurn: () => IO_TURN_MS,
  errorCloseGrace: () => ERROR_CLOSE_GRACE_MS,
};

/** Which public states (linkStateName) carry each tag: `connected` is ready, `pending` is on the
 * way to it (an attempt in progress or a wait that ends in one); suspended waits for a command. */
export const CONNECTION_TAG_CONTRACTS: Readonly<Record<'connected' | 'pending', readonly string[]>> = {
  connected: ['ready'],
  pending: ['connecting', 'handshaking', 'resuming', 'rejoining', 'reconnecting', 'coolingDown'],
};

/** A credentials rejection may get its one fresh attempt: a per-attempt function can fetch new
 * credentials, and no attempt followed a rejection since the link was last stable or a retry
 * waited. */
function refreshable(context: Context): boolean {
  return context.policy.perAttempt && context.retry.refreshed !== true;
}

/**
 * What each named guard must answer (the chart as such, without the runtime's user hook: the
 * pure resolution of a step uses the chart's own guards).
 */
export const CONNECTION_GUARD_CONTRACTS: Readonly<
  Record<string, (context: Context, event: ConnectionEvent) => boolean>
> = {
  isInProcess: (context) => context.policy.inProcess,
  resolvesTarget: (context) => context.policy.perAttempt,
  hasHandshake: (context) => context.policy.hasHandshake,
  resumes: (context) => context.policy.resume !== null,
  heartbeatEnabled: (context) => context.policy.heartbeat.mode !== 'off',
  autoConnect: (context) => context.policy.autoConnect,
  reconnectDisabled: (context) => context.reconnectEnabled === false,
  peerNeverAnswered: (context) => context.pongSeen === false,
  // This miss is the maxMissed-th in a row.
  tooManyMissed: (context) => context.missedPongs + 1 >= context.policy.heartbeat.maxMissed,
  pingOutstanding: (context) => context.pingOutstanding,
  // The application holds reading paused (absent until the first pause).
  readingPaused: (context) => context.readingPaused === true,
  // This attempt's socket fired error (absent until a socket first erred).
  errorCloseArmed: (context) => context.socketErred === true,
  intensityExceeded: (context) =>
    context.policy.intensity !== null && intensityExceeded(context.intensity, context.policy.intensity),
  intensityFails: (context) => context.policy.intensity !== null && context.policy.intensity.then === 'fail',
  // Not stable yet, and the stable wait ends within the next quiet interval (at its end included).
  stableWithinRest: (context) =>
    !context.stable && stableWaitMs(context) <= context.policy.heartbeat.intervalMs,
  // A fresh ready link (not stable, its whole stable wait ahead) with heartbeat on settles first.
  settlesFirst: (context) =>
    context.policy.heartbeat.mode !== 'off' &&
    context.policy.backoff.stableAfterMs <= context.policy.heartbeat.intervalMs,
  groupRestart: (context) => context.reason !== null && context.reason.kind === 'group',
  // The link's own close names its code; its supervisor's blanket close names none.
  namesCloseCode: (_context, event) => event.type === 'link.close' && typeof event.code === 'number',
  shouldRefresh: (context) =>
    context.reason !== null && classify(context.reason) === 'refresh' && refreshable(context),
  // No reason: retry. Final: never. A credentials rejection's fresh attempt is made even with no
  // attempts left; otherwise a retry needs attempts left, and then retryable and clean
  // disconnects retry, fatal ones do not.
  shouldRetry: (context) => tableRetries(context),
  // The attempt ended (a ready link also lost a restart in the window): what disconnected decides
  // for the context the transition leaves is the retry through the backoff; judged for any time of
  // the restart (one may only leave the window), so with the window one short of the limit, no.
  backoffRetry: (context, event) =>
    throughBackoff(context, event, context.policy.intensity !== null && exceeded(context, 1)),
};

/** No reason: retry. Final: never. A credentials rejection's fresh attempt is made even with no
 * attempts left; otherwise a retry needs attempts left, and then retryable and clean disconnects
 * retry, fatal ones do not. */
function tableRetries(context: Context): boolean {
  if (context.reason === null) return true;
  const verdict = classify(context.reason);
  if (verdict === 'final') return false;
  if (verdict === 'refresh' && refreshable(context)) return true;
  if (context.retry.attempt >= context.policy.backoff.maxAttempts) return false;
  return verdict === 'retryable' || verdict === 'clean';
}

/** More than maxRestarts restarts in the window with `more` restarts added to it. */
function exceeded(context: Context, more: number): boolean {
  const max = context.policy.intensity?.maxRestarts ?? Number.POSITIVE_INFINITY;
  return (context.intensity?.restarts.length ?? 0) + more > max;
}

/** `disconnected` would go on to `reconnecting` with the reason `event` records (the first reason
 * wins): the table retries, reconnecting is on, no fresh attempt at once (a credentials refresh,
 * a group restart) and no escalation. */
function throughBackoff(context: Context, event: ConnectionEvent, escalates: boolean): boolean {
  const reason = context.reason ?? (event as { reason: Context['reason'] }).reason;
  if (reason === null || escalates || !context.reconnectEnabled || reason.kind === 'group') return false;
  if (classify(reason) === 'refresh' && refreshable(context)) return false;
  return tableRetries({ ...context, reason });
}

/**
 * The context a model link must start with: every field from the model's config and options
 * (MODEL_DELAYS_MS), not from the chart's own initial context; only identities (id, label,
 * parent and the reports it takes), the random seed's state and the policy's unset defaults are taken from `actual`.
 */
export function initialContextOf(config: Required<LinkModelConfig>, actual: Context): Context {
  const { policy } = actual;
  return {
    linkId: actual.linkId,
    label: actual.label,
    parent: actual.parent,
    reconnectEnabled: true,
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
        resolveTimeoutMs: MODEL_DELAYS_MS.resolveTimeout,
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
      resume: config.resume
        ? { resumeTimeoutMs: MODEL_DELAYS_MS.resumeTimeout, ackDelayMs: MODEL_DELAYS_MS.ackDelay }
        : null,
      intensity: config.intensity
        ? {
            maxRestarts: 1,
            withinMs: MAX_TIMER_MS,
            // biome-ignore lint/suspicious/noThenProperty: a string, never callable, so never a thenable
            then: config.intensity,
            coolDownMs: MODEL_DELAYS_MS.coolDown,
            maxCoolDownMs: MODEL_DELAYS_MS.coolDown,
            jitterRatio: 0,
          }
        : null,
      perAttempt: config.perAttempt,
      network: { rejoinJitterMs: MODEL_DELAYS_MS.rejoinDelay },
      inProcess: config.inProcess,
      hasHandshake: config.handshake,
      autoConnect: config.autoConnect,
      // Who the parent is and what it takes are identities, like `parent`.
      reports: policy.reports,
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

/** The connection chart's contracts at clock time `nowMs`, as the generic step check takes them. */
export function connectionContracts(nowMs: number): ChartContracts<Context, ConnectionEvent> {
  return {
    where: 'src/testing/link-step-contracts.ts (actions: link-action-contracts.ts)',
    actions: connectionActionContracts(nowMs),
    delays: CONNECTION_DELAY_CONTRACTS,
    guards: CONNECTION_GUARD_CONTRACTS,
    byIdentity: ['parent'],
  };
}

/** The contracts at time 0 (their names: the gate test lists them against the chart's). */
export const CONNECTION_CONTRACTS = connectionContracts(0);
