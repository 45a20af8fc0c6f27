/**
 * The connection chart's retry decision and plan (machines/connection-retry.ts), row by row: the
 * cases the generated paths cannot reach — the user's hook (the runtime supplies it), a server's
 * Retry-After, restart intensity switched off — and the exact texts of the reasons.
 */
import { describe, expect, it } from 'vitest';
import { createConnectionContext } from '../../machines/connection-context.js';
import {
  attemptStart,
  canRefresh,
  decidedAttempt,
  decideRetry,
  escalateAt,
  failureReason,
  intensityFailure,
  planRetry,
  restartAt,
  retryAfterFloorMs,
  shouldEscalate,
  shouldRefresh,
} from '../../machines/connection-retry.js';
import type { ConnectionContext, ConnectionInput } from '../../machines/connection-types.js';
import { nextDelay, resetBackoff } from '../../machines/policy/backoff.js';
import type { Reason } from '../../machines/policy/close-reason.js';
import { escalate, recordRestart } from '../../machines/policy/intensity.js';
import { MAX_RETRY_AFTER_MS } from '../../machines/policy/timeouts.js';

const RESET: Reason = { kind: 'close', code: 1006, message: 'connection reset' };
const FATAL: Reason = { kind: 'close', code: 1008, message: 'policy violation' };
const AUTH: Reason = { kind: 'http', status: 401, message: 'unauthorized' };
const CLEAN: Reason = { kind: 'close', code: 1000, message: 'bye' };

function context(
  overrides: Partial<ConnectionContext> = {},
  input: Partial<ConnectionInput> = {},
): ConnectionContext {
  return {
    ...createConnectionContext({ linkId: 'link:a', label: 'ws://a', backoff: { maxAttempts: 3 }, ...input }),
    ...overrides,
  };
}
const at = (
  attempt: number,
  overrides: Partial<ConnectionContext> = {},
  input: Partial<ConnectionInput> = {},
) => {
  const c = context(overrides, input);
  return { ...c, retry: { ...c.retry, attempt } };
};

/** `at`, after a credentials rejection's fresh attempt since the link was last stable. */
const refreshedAt = (
  attempt: number,
  overrides: Partial<ConnectionContext> = {},
  input: Partial<ConnectionInput> = {},
) => {
  const c = at(attempt, overrides, input);
  return { ...c, retry: { ...c.retry, refreshed: true as const } };
};

describe('decideRetry', () => {
  it('no reason: retry; the table decides otherwise while attempts are left', () => {
    expect(decideRetry(at(0))).toBe(true);
    expect(decideRetry(at(0, { reason: RESET }))).toBe(true);
    expect(decideRetry(at(0, { reason: CLEAN }))).toBe(true);
    expect(decideRetry(at(0, { reason: FATAL }))).toBe(false);
    expect(decideRetry(at(2, { reason: RESET }))).toBe(true);
    expect(decideRetry(at(3, { reason: RESET }))).toBe(false);
    // Our own close is final: never retried, whatever the attempts or the hook.
    const OURS: Reason = { kind: 'user', code: 1000, message: 'closed by the application' };
    expect(decideRetry(at(0, { reason: OURS }))).toBe(false);
    expect(decideRetry(at(0, { reason: OURS }), () => true)).toBe(false);
    // A per-attempt function changes nothing for other reasons.
    expect(decideRetry(at(0, { reason: FATAL }, { perAttempt: true }))).toBe(false);
    expect(decideRetry(at(3, { reason: RESET }, { perAttempt: true }))).toBe(false);
  });

  it('without a hook nothing is reported as a hook error', () => {
    const errors: unknown[] = [];
    expect(decideRetry(at(0, { reason: RESET }), undefined, (e) => errors.push(e))).toBe(true);
    expect(decideRetry(at(0, { reason: FATAL }), undefined, (e) => errors.push(e))).toBe(false);
    expect(errors).toEqual([]);
  });

  it('the hook decides (with the next attempt number) over the table, not over the attempts left', () => {
    const seen: [Reason, number][] = [];
    const hook = (reason: Reason, attempt: number) => {
      seen.push([reason, attempt]);
      return reason.code === 1008;
    };
    expect(decideRetry(at(1, { reason: FATAL }), hook)).toBe(true);
    expect(decideRetry(at(1, { reason: RESET }), hook)).toBe(false);
    expect(seen).toEqual([
      [FATAL, 2],
      [RESET, 2],
    ]);
    expect(decideRetry(at(3, { reason: FATAL }), hook)).toBe(false);
    expect(seen).toHaveLength(2);
    // Only `true` retries: a truthy non-boolean from JavaScript does not.
    expect(decideRetry(at(0, { reason: RESET }), (() => 1) as never)).toBe(false);
  });

  it('a hook that throws is reported and the table decides', () => {
    const errors: unknown[] = [];
    const boom = new Error('hook broke');
    const hook = () => {
      throw boom;
    };
    expect(decideRetry(at(0, { reason: RESET }), hook, (e) => errors.push(e))).toBe(true);
    expect(decideRetry(at(0, { reason: FATAL }), hook, (e) => errors.push(e))).toBe(false);
    expect(errors).toEqual([boom, boom]);
    expect(decideRetry(at(0, { reason: RESET }), hook)).toBe(true);
  });

  it('a credentials rejection: one fresh attempt with a per-attempt function, even with no attempts left', () => {
    expect(decideRetry(at(0, { reason: AUTH }))).toBe(false);
    expect(decideRetry(at(3, { reason: AUTH }, { perAttempt: true }))).toBe(true);
    expect(decideRetry(refreshedAt(0, { reason: AUTH }, { perAttempt: true }))).toBe(false);
    // With a hook, the hook has the last word (attempts left), else no retry.
    expect(decideRetry(at(0, { reason: AUTH }, { perAttempt: true }), () => false)).toBe(false);
    expect(decideRetry(at(3, { reason: AUTH }, { perAttempt: true }), () => true)).toBe(false);
    expect(
      decideRetry(at(0, { reason: AUTH }, { perAttempt: true }), () => {
        throw new Error('x');
      }),
    ).toBe(true);
  });
});

describe('decidedAttempt: the number the hook is told, the one the retry it decides about carries', () => {
  const GROUP: Reason = { kind: 'group', cause: 'link:g/0', message: 'restarted with group g' };
  const intensity = {
    intensity: { maxRestarts: 1, withinMs: 1000, coolDownMs: 50, maxCoolDownMs: 50, jitterRatio: 0 },
  };

  it('a retry through the backoff: the next step of the schedule', () => {
    expect(decidedAttempt(at(0, { reason: RESET }), RESET)).toBe(1);
    expect(decidedAttempt(at(2, { reason: RESET }), RESET)).toBe(3);
    // A rejection that cannot refresh (no per-attempt function, or not stable since the last
    // refresh) waits too.
    expect(decidedAttempt(at(2, { reason: AUTH }), AUTH)).toBe(3);
    expect(decidedAttempt(refreshedAt(2, { reason: AUTH }, { perAttempt: true }), AUTH)).toBe(3);
  });

  it('a retry made at once (a credentials refresh, a group restart): the current number', () => {
    expect(decidedAttempt(at(0, { reason: AUTH }, { perAttempt: true }), AUTH)).toBe(0);
    expect(decidedAttempt(at(2, { reason: AUTH }, { perAttempt: true }), AUTH)).toBe(2);
    expect(decidedAttempt(at(2, { reason: GROUP }), GROUP)).toBe(2);
  });

  it('with reconnecting switched off the link waits in suspended and resumes through the backoff', () => {
    const off = { reconnectEnabled: false };
    expect(decidedAttempt(at(2, { ...off, reason: AUTH }, { perAttempt: true }), AUTH)).toBe(3);
    expect(decidedAttempt(at(2, { ...off, reason: GROUP }), GROUP)).toBe(3);
  });

  it('a cool-down (restart intensity exceeded): the attempt after it keeps the current number', () => {
    let c = at(2, { reason: RESET }, intensity);
    c = { ...c, ...restartAt(c, 10) };
    expect(decidedAttempt(c, RESET)).toBe(3);
    c = { ...c, ...restartAt(c, 20) };
    expect(shouldEscalate(c)).toBe(true);
    expect(decidedAttempt(c, RESET)).toBe(2);
    expect(decidedAttempt({ ...c, reconnectEnabled: false }, RESET)).toBe(2);
  });

  it('is what decideRetry hands the hook, on every path', () => {
    const seen: number[] = [];
    const hook = (_reason: Reason, attempt: number) => seen.push(attempt) > 0;
    decideRetry(at(1, { reason: RESET }), hook);
    decideRetry(at(1, { reason: AUTH }, { perAttempt: true }), hook);
    decideRetry(at(1, { reason: GROUP }), hook);
    expect(seen).toEqual([2, 1, 1]);
  });
});

describe('refresh', () => {
  it('canRefresh: a per-attempt function, and no fresh attempt since the link was last stable', () => {
    expect(canRefresh(at(0, {}, { perAttempt: true }))).toBe(true);
    expect(canRefresh(at(0))).toBe(false);
    expect(canRefresh(at(0, { previousReason: RESET }, { perAttempt: true }))).toBe(true);
    expect(canRefresh(refreshedAt(0, { previousReason: RESET }, { perAttempt: true }))).toBe(false);
    expect(canRefresh(refreshedAt(0, { previousReason: AUTH }, { perAttempt: true }))).toBe(false);
  });

  it('attemptStart: the disconnect becomes previousReason; a rejection marks the retry state refreshed', () => {
    const fresh = at(2, { reason: null }, { perAttempt: true });
    expect(attemptStart(fresh)).toEqual({ reason: null, missedPongs: 0, pingOutstanding: false });
    const reset = attemptStart(at(2, { reason: RESET, missedPongs: 2, pingOutstanding: true }));
    expect(reset).toEqual({ reason: null, missedPongs: 0, pingOutstanding: false, previousReason: RESET });
    const rejected = at(2, { reason: AUTH }, { perAttempt: true });
    const started = attemptStart(rejected);
    expect(started.previousReason).toBe(AUTH);
    expect(started.retry).toEqual({ ...rejected.retry, refreshed: true });
    expect(canRefresh({ ...rejected, ...started })).toBe(false);
    // Stability (resetBackoff) clears the mark, and so does a retry that waits (nextDelay).
    const marked = started.retry ?? rejected.retry;
    expect(resetBackoff(marked).refreshed).toBeUndefined();
    expect(nextDelay(marked, rejected.policy.backoff).state.refreshed).toBeUndefined();
  });

  it('shouldRefresh: only a credentials rejection that can refresh', () => {
    expect(shouldRefresh(at(0, { reason: AUTH }, { perAttempt: true }))).toBe(true);
    expect(shouldRefresh(at(0, { reason: RESET }, { perAttempt: true }))).toBe(false);
    expect(shouldRefresh(at(0, {}, { perAttempt: true }))).toBe(false);
    expect(shouldRefresh(at(0, { reason: AUTH }))).toBe(false);
  });
});

describe('failureReason', () => {
  it('gave up after the last retry of a retryable or clean disconnect; else the reason itself', () => {
    expect(failureReason(at(3, { reason: RESET }))).toEqual({
      kind: 'gave-up',
      message: 'gave up after 3 retries; last reason: connection reset',
    });
    expect(failureReason(at(3, { reason: CLEAN }))).toEqual({
      kind: 'gave-up',
      message: 'gave up after 3 retries; last reason: bye',
    });
    expect(failureReason(at(2, { reason: RESET }))).toEqual(RESET);
    expect(failureReason(at(3, { reason: FATAL }))).toEqual(FATAL);
    expect(failureReason(at(0))).toEqual({ kind: 'invalid', message: 'link ended without a reason' });
  });
});

describe('planRetry', () => {
  it('the backoff delay, with a Retry-After as a floor, capped', () => {
    const c = at(
      0,
      {},
      { backoff: { initialDelayMs: 1000, maxDelayMs: 1000, jitter: 'none', maxAttempts: 3 } },
    );
    const { delayMs, state } = nextDelay(c.retry, c.policy.backoff);
    expect(planRetry(c)).toEqual({ retry: state, nextDelayMs: delayMs });
    expect(delayMs).toBe(1000);
    expect(planRetry({ ...c, reason: { ...RESET, retryAfterMs: 500 } }).nextDelayMs).toBe(1000);
    expect(planRetry({ ...c, reason: { ...RESET, retryAfterMs: 5000 } }).nextDelayMs).toBe(5000);
    expect(retryAfterFloorMs({ ...c, reason: { ...RESET, retryAfterMs: 5000 } })).toBe(5000);
    expect(retryAfterFloorMs({ ...c, reason: { ...RESET, retryAfterMs: 2 * MAX_RETRY_AFTER_MS } })).toBe(
      MAX_RETRY_AFTER_MS,
    );
    expect(retryAfterFloorMs({ ...c, reason: RESET })).toBe(0);
    expect(retryAfterFloorMs(c)).toBe(0);
  });
});

describe('restart intensity', () => {
  const on = {
    intensity: { maxRestarts: 1, withinMs: 1000, coolDownMs: 50, maxCoolDownMs: 50, jitterRatio: 0 },
  };

  it('off: no restart record, no escalation, nothing to assign', () => {
    const c = at(0, {}, { intensity: false });
    expect(restartAt(c, 5)).toEqual({});
    expect(shouldEscalate(c)).toBe(false);
    expect(escalateAt(c, 5)).toEqual({});
  });

  it('on: restarts recorded at the time given; more than maxRestarts escalates', () => {
    let c = at(0, {}, on);
    expect(shouldEscalate(c)).toBe(false);
    const once = restartAt(c, 10);
    expect(once).toEqual({ intensity: recordRestart(undefined, 10, c.policy.intensity as never) });
    c = { ...c, ...once };
    expect(shouldEscalate(c)).toBe(false);
    c = { ...c, ...restartAt(c, 20) };
    expect(shouldEscalate(c)).toBe(true);
    const e = escalate(c.intensity, 30, c.retry.random, c.policy.intensity as never);
    expect(escalateAt(c, 30)).toEqual({
      intensity: e.state,
      nextDelayMs: e.delayMs,
      retry: { ...c.retry, random: e.random },
    });
  });

  it('the failure of a link whose intensity fails it names the limits and the last reason', () => {
    expect(intensityFailure(at(0, { reason: RESET }, on))).toEqual({
      kind: 'intensity',
      message: 'more than 1 restarts within 1000 ms; last reason: connection reset',
    });
    expect(intensityFailure(at(0, {}, on))).toEqual({
      kind: 'intensity',
      message: 'more than 1 restarts within 1000 ms',
    });
  });
});
