/**
 * The reasons a connection's contracts expect (for link-action-contracts.ts): which reason of a
 * disconnect is kept, why a link failed, the close code asked for, the stable wait still ahead.
 */
import type { ConnectionContext, ConnectionEvent } from '../../machines/connection.machine.js';
import { classify, type Reason } from '../../machines/policy/close-reason.js';

type Context = ConnectionContext;

/** The close code of a normal closure. */
export const NORMAL_CLOSURE = 1000;

/** An error is a reason the close table retries, refreshes or rejects; a clean or our own close
 * is not. */
export function isError(reason: Reason): boolean {
  const verdict = classify(reason);
  return verdict === 'retryable' || verdict === 'refresh' || verdict === 'fatal';
}

/** The first reason of a disconnect wins; an error reason is also the link's last error; one that
 * rejects no credentials drops the refresh mark (the next rejection is a first one again), unless
 * it is a group restart with reconnecting on (made at once: the mark stays). */
export function firstReason(context: Context, reason: Reason): Partial<Context> {
  if (context.reason) return {};
  const { attempt, previousDelayMs, random } = context.retry;
  const keepsMark = classify(reason) === 'refresh' || (reason.kind === 'group' && context.reconnectEnabled);
  return {
    reason,
    lastError: isError(reason) ? reason : context.lastError,
    ...(keepsMark ? {} : { retry: { attempt, previousDelayMs, random } }),
  };
}

/** The close code `link.close` asked for, else a normal closure. */
export function closeCode(event: ConnectionEvent): number {
  return event.type === 'link.close' && event.code !== undefined ? event.code : NORMAL_CLOSURE;
}

/** The reason shown when a link has none. */
export const UNKNOWN: Reason = { kind: 'invalid', message: 'unknown' };

/** The stable wait still ahead of a ready link, in ms: what is left of it (stableInMs) once part
 * was counted, else the policy's stableAfter. */
export function stableWaitMs(context: Context): number {
  return context.stableInMs === undefined ? context.policy.backoff.stableAfterMs : context.stableInMs;
}

/** Why a link that will not retry failed: its fatal or final reason, else "gave up". */
export function failureOf(context: Context): Reason {
  const reason = context.reason ?? { kind: 'invalid', message: 'link ended without a reason' };
  const verdict = classify(reason);
  const exhausted = context.retry.attempt >= context.policy.backoff.maxAttempts;
  // Only a retryable or clean disconnect gives up: a fatal, final or second credentials
  // rejection fails with its own reason.
  if ((verdict !== 'retryable' && verdict !== 'clean') || !exhausted) return reason;
  return {
    kind: 'gave-up',
    message: `gave up after ${context.retry.attempt} retries; last reason: ${reason.message}`,
  };
}
