/**
 * The connection chart's retry decision and plan, pure functions of its context: whether a
 * disconnect is retried (close table, attempts left, the user's hook), why a link failed, and the
 * next delay (backoff policy, with a server's Retry-After as a floor), and restart intensity
 * (a restart's record, whether to escalate, the cool-down).
 */

import type { ConnectionContext, ConnectionEvent } from './connection-types.js';
import { endRefreshTrial, hasAttemptsLeft, nextDelay } from './policy/backoff.js';
import { classify, isErrorReason, type Reason } from './policy/close-reason.js';
import { escalate, intensityExceeded, recordRestart } from './policy/intensity.js';
import { MAX_RETRY_AFTER_MS } from './policy/timeouts.js';

/** The event that ends an attempt with a reason (the straight edges' guards run on it only). */
type AttemptEndEvent = Extract<ConnectionEvent, { type: 'transport.closed' }>;

/** The user's override of the close table: `(reason, attempt) => boolean`, `attempt` the number
 * of the attempt it decides about (`decidedAttempt`). */
export type ShouldReconnect = (reason: Reason, attempt: number) => boolean;

/**
 * The retry decision. Our own close never retries; running out of attempts never retries; then
 * the user's hook, if any, decides; otherwise the close table (fatal stops, the rest retries).
 * A hook that throws is handed to `onHookError` (the runtime reports it) and the table decides:
 * a guard must not break the chart.
 */
export function decideRetry(
  context: ConnectionContext,
  hook?: ShouldReconnect,
  onHookError?: (error: unknown) => void,
): boolean {
  const reason = context.reason;
  return !reason || retriesFor(context, reason, hook, onHookError);
}

/** `decideRetry` for a disconnect whose reason is `reason` (recorded in `context` or about to be). */
function retriesFor(
  context: ConnectionContext,
  reason: Reason,
  hook?: ShouldReconnect,
  onHookError?: (error: unknown) => void,
): boolean {
  const verdict = classify(reason);
  if (verdict === 'final') return false;
  // The one fresh attempt of a credentials rejection is not a retry of the schedule: it is made
  // even when the attempts have run out (the hook, if any, still has the last word).
  if (verdict === 'refresh' && canRefresh(context) && !hook) return true;
  if (!hasAttemptsLeft(context.retry.attempt, context.policy.backoff)) return false;
  if (hook) {
    try {
      return hook(reason, decidedAttempt(context, reason)) === true;
    } catch (error) {
      onHookError?.(error);
      // the table decides
    }
  }
  return verdict === 'refresh' ? canRefresh(context) : verdict !== 'fatal';
}

/**
 * Whether the transition that ends an attempt with `reason` may go straight to `reconnecting`:
 * what `disconnected` decides (retried, not at once, no escalation, reconnecting enabled: the last
 * branch of its chain), judged on the context the transition leaves: the first reason wins, and a
 * ready link's loss records one restart more in the intensity window, at the runtime's clock time.
 * Judged for any time and either edge: the window can only forget restarts, so a window that holds
 * fewer than maxRestarts before the transition is not exceeded after it; closer to the limit,
 * `disconnected` decides. The user's hook is not asked here (`retryGuards` declines the straight
 * edge for a link that has one): `disconnected` asks it, once.
 */
export function retriesThroughBackoff(context: ConnectionContext, reason: Reason): boolean {
  const recorded = context.reason ?? reason;
  const options = context.policy.intensity;
  const mayEscalate = options !== null && (context.intensity?.restarts.length ?? 0) >= options.maxRestarts;
  return (
    context.reconnectEnabled &&
    !mayEscalate &&
    !retriesAtOnce(context, recorded) &&
    retriesFor(context, recorded)
  );
}

/**
 * The chart's retry guards asking the user's hook (`hookOf`, per link; `onHookError` told when it
 * throws): `shouldRetry` through `decideRetry`; the straight edges to `reconnecting` are declined
 * for a link with a hook, so `disconnected` asks it, once. Provide them together
 * (`machine.provide({ guards: retryGuards(…) })`): a `shouldRetry` alone would not see the
 * disconnects the straight edges take.
 */
export function retryGuards(
  hookOf: (context: ConnectionContext) => ShouldReconnect | undefined,
  onHookError?: (context: ConnectionContext, error: unknown) => void,
) {
  type Args = { context: ConnectionContext; event: ConnectionEvent };
  return {
    shouldRetry: ({ context }: Args) =>
      decideRetry(context, hookOf(context), (error) => onHookError?.(context, error)),
    backoffRetry: ({ context, event }: Args) =>
      !hookOf(context) && retriesThroughBackoff(context, (event as AttemptEndEvent).reason),
  };
}

/**
 * The number of the attempt a retry decision (the hook's) is about: the one the `reconnecting`
 * event announces and that attempt then carries. A retry made at once — a credentials rejection's
 * fresh attempt, a member restarted by its group (policy/backoff.ts, RETRY_AT_ONCE_DELAY_MS) — and
 * the attempt after a cool-down move no step of the schedule: they keep the current number; a
 * retry through `reconnecting` is the schedule's next step. The order is `disconnected`'s
 * (connection.machine.ts); `reason` is the disconnect's. A link that waits in `suspended`
 * (reconnecting switched off) is counted as resuming through `reconnecting` (`reconnect.enable`);
 * a `network.online` or `link.reconnect` there attempts later with the current number.
 */
export function decidedAttempt(context: ConnectionContext, reason: Reason): number {
  const attempt = context.retry.attempt;
  return retriesAtOnce(context, reason) || shouldEscalate(context) ? attempt : attempt + 1;
}

/** `disconnected` retries at once, its branches before the intensity's (connection-transitions.ts):
 * reconnecting enabled, a credentials rejection's fresh attempt or a member restarted by its group. */
function retriesAtOnce(context: ConnectionContext, reason: Reason): boolean {
  return context.reconnectEnabled && (reason.kind === 'group' || refreshes(context, reason));
}

/**
 * Whether a credentials rejection gets its one fresh attempt at once: the link has a per-attempt
 * function that can fetch new credentials, and no attempt after a rejection was made since the
 * link was last stable or waited through the backoff (`retry.refreshed`, cleared by `resetBackoff`
 * at stableAfter and by `nextDelay`). A second rejection before then — the fresh attempt's own, or
 * a server that accepts and then rejects again right away, however many `ready`s in between — is
 * not refreshed at once: fatal, unless the user's hook retries it through the backoff (whose
 * attempt, after a rejection, is marked again: `attemptStart`).
 */
export function canRefresh(context: ConnectionContext): boolean {
  return context.policy.perAttempt && !context.retry.refreshed;
}

/**
 * What the last socket left for `attemptStart` to clear (a reason, missed pongs, a ping
 * outstanding, the mark of its error: `socketErred`); a link's first attempt has none, and `startAttempt` then makes no assign: an
 * assign that changes nothing still copies the context and the snapshot (BENCHMARKS.md round 30 (open)).
 */
export function attemptLeftovers(context: ConnectionContext): boolean {
  return (
    context.reason !== null ||
    // Stryker disable next-line ConditionalExpression: a pong is missed only while its ping is outstanding, and both clear together (recordPong, attemptStart); kept so the check does not lean on that
    context.missedPongs !== 0 ||
    context.pingOutstanding ||
    context.socketErred === true
  );
}

/**
 * An attempt starts: the disconnect that led here (if any) becomes `previousReason`, what its
 * per-attempt functions see as `lastReason`; after a credentials rejection the retry state is
 * marked `refreshed` until the link is stable or a retry waits (`canRefresh`). One assign, one context copy.
 */
export function attemptStart(context: ConnectionContext): Partial<ConnectionContext> {
  const reason = context.reason;
  return {
    reason: null,
    missedPongs: 0,
    pingOutstanding: false,
    ...(context.socketErred && { socketErred: false }),
    ...(reason && {
      previousReason: reason,
      ...(classify(reason) === 'refresh' && { retry: { ...context.retry, refreshed: true } }),
    }),
  };
}

/** The disconnect is a credentials rejection that gets its one fresh attempt now. */
export function shouldRefresh(context: ConnectionContext): boolean {
  return context.reason !== null && refreshes(context, context.reason);
}

/** A disconnect for `reason` is a credentials rejection that gets its one fresh attempt. */
function refreshes(context: ConnectionContext, reason: Reason): boolean {
  return classify(reason) === 'refresh' && canRefresh(context);
}

/** Why a link that will not retry has failed: the fatal reason itself, or "gave up". */
export function failureReason(context: ConnectionContext): Reason {
  const reason = context.reason ?? { kind: 'invalid', message: 'link ended without a reason' };
  const verdict = classify(reason);
  if (
    (verdict === 'retryable' || verdict === 'clean') &&
    !hasAttemptsLeft(context.retry.attempt, context.policy.backoff)
  ) {
    return {
      kind: 'gave-up',
      message: `gave up after ${context.retry.attempt} retries; last reason: ${reason.message}`,
    };
  }
  return reason;
}

/** What the retry plan reads of a context: the retry state, the policy, the disconnect's reason. */
export type RetryView = Pick<ConnectionContext, 'retry' | 'policy' | 'reason'>;

/** A server's Retry-After hint for the current disconnect, capped: a floor under the next delay. */
export function retryAfterFloorMs(context: RetryView): number {
  const hint = context.reason?.retryAfterMs;
  return hint === undefined ? 0 : Math.min(hint, MAX_RETRY_AFTER_MS);
}

/** Schedules the next retry; a server's Retry-After hint is a floor under the backoff delay. */
export function planRetry(context: RetryView): Partial<ConnectionContext> {
  const { delayMs, state } = nextDelay(context.retry, context.policy.backoff);
  return { retry: state, nextDelayMs: Math.max(delayMs, retryAfterFloorMs(context)) };
}

/**
 * `update` (a disconnect's record: `withReason`, or a ready link's loss, `lossAt`) with the retry
 * planned (`plan`, `planRetry` by default) on the context it leaves, as one update: a straight edge
 * to `reconnecting` takes both in one assign, not two (a context copy and a snapshot fewer a drop:
 * BENCHMARKS.md round 36 (raise)). The plan reads only what `RetryView` names, so it is handed those
 * fields, not a context copy. `update` is a fresh object of the caller's: it is completed in place.
 */
export function withRetryPlanned(
  context: ConnectionContext,
  update: Partial<ConnectionContext>,
  plan: (view: RetryView) => Partial<ConnectionContext> = planRetry,
): Partial<ConnectionContext> {
  const view: RetryView = {
    retry: update.retry ?? context.retry,
    policy: context.policy,
    reason: update.reason ?? context.reason,
  };
  return Object.assign(update, plan(view));
}

/** Records `reason` unless the current disconnect already has one: the first reason wins. A
 * disconnect that is no credentials rejection ends a fresh attempt's trial (`retry.refreshed`,
 * `canRefresh`): what follows it waits (the backoff, a cool-down, reconnecting switched off, an
 * outage until the network is back), so a later rejection is a first one again. A restart by the
 * link's group with reconnecting on does not: it is made at once (`retriesAtOnce`), and a sibling
 * dropped again and again made every rejection a first one (test/integration/refresh-group-drops.test.ts). */
export function withReason(context: ConnectionContext, reason: Reason): Partial<ConnectionContext> {
  if (context.reason) return {};
  return {
    reason,
    lastError: isErrorReason(reason) ? reason : context.lastError,
    // Not a group restart made at once (with reconnecting off, one waits in suspended as any other).
    ...(classify(reason) !== 'refresh' &&
      !retriesAtOnce(context, reason) && { retry: endRefreshTrial(context.retry) }),
  };
}

/**
 * A ready link's socket closed at `nowMs`: its reason (the first wins) and one restart in the
 * intensity window, as one context update. One assign, not two: XState copies the context and
 * builds a new snapshot for each, and a mass drop runs this once a link.
 */
export function lossAt(
  context: ConnectionContext,
  reason: Reason,
  nowMs: number,
): Partial<ConnectionContext> {
  // Object.assign, not a spread that clones withReason's object and adds `intensity`: such a clone
  // gets a hidden class of its own once V8 optimises it (BENCHMARKS.md round 29 (hidden classes)).
  return Object.assign({}, withReason(context, reason), restartAt(context, nowMs));
}

/** The context after a restart (a ready link lost) at `nowMs`; nothing when escalation is off. */
export function restartAt(context: ConnectionContext, nowMs: number): Partial<ConnectionContext> {
  const options = context.policy.intensity;
  if (!options) return {};
  return { intensity: recordRestart(context.intensity, nowMs, options) };
}

/** Whether the link restarted more often than its intensity allows within the window. */
export function shouldEscalate(context: ConnectionContext): boolean {
  const options = context.policy.intensity;
  // Stryker disable next-line ConditionalExpression: with intensity off no restart is recorded (restartAt), and an unrecorded history never exceeds
  return options !== null && intensityExceeded(context.intensity, options);
}

/** An escalation at `nowMs`: the cool-down to wait (in `nextDelayMs`), a fresh window. */
export function escalateAt(context: ConnectionContext, nowMs: number): Partial<ConnectionContext> {
  const options = context.policy.intensity;
  if (!options) return {};
  const { delayMs, state, random } = escalate(context.intensity, nowMs, context.retry.random, options);
  return { intensity: state, nextDelayMs: delayMs, retry: { ...context.retry, random } };
}

/** Why a link whose intensity says `fail` has failed. */
export function intensityFailure(context: ConnectionContext): Reason {
  const options = context.policy.intensity;
  const last = context.reason ? `; last reason: ${context.reason.message}` : '';
  return {
    kind: 'intensity',
    // Stryker disable next-line OptionalChaining: runs only where the intensity says fail, so its options are set
    message: `more than ${options?.maxRestarts} restarts within ${options?.withinMs} ms${last}`,
  };
}
