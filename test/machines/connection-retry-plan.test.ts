/**
 * A disconnect's record and its retry's plan in one assign (machines/connection-retry.ts
 * `withRetryPlanned`, the chart's `recordLossAndPlanRetry` and `recordReasonAndPlanRetry` on the
 * straight edges to `reconnecting`): the same context as the two assigns one after the other (the
 * record, then `planRetry` on the context it left), row by row where the plan reads what the
 * record just wrote — the reason's Retry-After, the retry state a refresh trial's end changed.
 */
import { describe, expect, it } from 'vitest';
import { createConnectionContext } from '../../machines/connection-context.js';
import {
  lossAt,
  planRetry,
  type RetryView,
  withReason,
  withRetryPlanned,
} from '../../machines/connection-retry.js';
import type { ConnectionContext, ConnectionInput } from '../../machines/connection-types.js';
import type { Reason } from '../../machines/policy/close-reason.js';

const RESET: Reason = { kind: 'close', code: 1006, message: 'connection reset' };
const BUSY: Reason = { kind: 'http', status: 503, message: 'busy', retryAfterMs: 5000 };
const LATER: Reason = { kind: 'close', code: 1013, message: 'try again later', retryAfterMs: 7000 };

const FIXED = { initialDelayMs: 1000, maxDelayMs: 1000, jitter: 'none', maxAttempts: 5 } as const;

function context(overrides: Partial<ConnectionContext> = {}, input: Partial<ConnectionInput> = {}) {
  return {
    ...createConnectionContext({ linkId: 'link:a', label: 'ws://a', backoff: FIXED, ...input }),
    ...overrides,
  } as ConnectionContext;
}

/** What the two assigns made, one after the other. */
function sequential(c: ConnectionContext, update: Partial<ConnectionContext>) {
  return { ...c, ...update, ...planRetry({ ...c, ...update }) };
}

const cases: [string, ConnectionContext, Reason][] = [
  ['no reason yet, none hinted', context(), RESET],
  ['no reason yet, the closing reason hints Retry-After', context(), BUSY],
  ['a reason recorded first (it wins), with its hint', context({ reason: LATER }), RESET],
  [
    "a credentials rejection's fresh attempt ends (refresh trial over)",
    (() => {
      const c = context({}, { perAttempt: true });
      return { ...c, retry: { ...c.retry, refreshed: true as const, attempt: 2 } };
    })(),
    BUSY,
  ],
  ['restart intensity on', context({}, { intensity: { maxRestarts: 3, withinMs: 1000 } }), LATER],
];

describe('withRetryPlanned', () => {
  it.each(cases)('a ready link lost (recordLoss then planRetry): %s', (_name, c, reason) => {
    const folded = { ...c, ...withRetryPlanned(c, lossAt(c, reason, 42)) };
    expect(folded).toEqual(sequential(c, lossAt(c, reason, 42)));
  });

  it.each(cases)('an attempt ended (recordReason then planRetry): %s', (_name, c, reason) => {
    const folded = { ...c, ...withRetryPlanned(c, withReason(c, reason)) };
    expect(folded).toEqual(sequential(c, withReason(c, reason)));
  });

  it("the plan reads the reason and retry state the record just wrote, and the policy's", () => {
    const fresh = context({}, { perAttempt: true });
    // A credentials rejection's fresh attempt ends: the record drops `refreshed`, the plan sees that.
    const c = { ...fresh, retry: { ...fresh.retry, refreshed: true as const } };
    const loss = lossAt(c, BUSY, 0);
    expect(loss.retry?.refreshed).toBeUndefined();
    expect(withRetryPlanned(c, lossAt(c, BUSY, 0)).nextDelayMs).toBe(5000);
    const seen: RetryView[] = [];
    const out = withRetryPlanned(c, loss, (view) => {
      seen.push(view);
      return { nextDelayMs: 12 };
    });
    expect(seen).toStrictEqual([{ retry: loss.retry, policy: c.policy, reason: BUSY }]);
    expect(seen[0]?.retry).not.toHaveProperty('refreshed');
    expect(out).toEqual({ ...lossAt(c, BUSY, 0), nextDelayMs: 12 });
  });

  it("a reason already recorded wins: the plan floors the delay at that reason's hint", () => {
    const c = context({ reason: LATER });
    expect(withRetryPlanned(c, withReason(c, RESET)).nextDelayMs).toBe(7000);
    expect(withRetryPlanned(c, lossAt(c, RESET, 0)).nextDelayMs).toBe(7000);
  });
});
