/**
 * The resume policy (machines/policy/resume.ts): defaults are finite and sane, the buffer bound
 * and the ack decision row by row.
 */
import { describe, expect, it } from 'vitest';
import { classifyCloseCode } from '../../machines/policy/close-reason.js';
import {
  ackDue,
  fitsLimits,
  MAX_AWAY_SESSIONS_DEFAULT,
  MAX_SESSIONS_DEFAULT,
  RESUME_DEFAULTS,
  SESSION_TTL_DEFAULT_MS,
  SESSIONS_FULL_CLOSE_CODE,
} from '../../machines/policy/resume.js';
import { MAX_TIMER_MS } from '../../machines/policy/timeouts.js';

describe('resume policy', () => {
  it('defaults: 1 MiB / 10,000 messages, ack per 64 messages or 100 ms, 10 s to resume, 120 s TTL', () => {
    expect(RESUME_DEFAULTS).toEqual({
      maxBytes: 1_048_576,
      maxMessages: 10_000,
      ackEveryMessages: 64,
      ackDelayMs: 100,
      resumeTimeoutMs: 10_000,
    });
    expect(Object.isFrozen(RESUME_DEFAULTS)).toBe(true);
    for (const ms of [RESUME_DEFAULTS.ackDelayMs, RESUME_DEFAULTS.resumeTimeoutMs, SESSION_TTL_DEFAULT_MS]) {
      expect(ms).toBeGreaterThan(0);
      expect(ms).toBeLessThanOrEqual(MAX_TIMER_MS);
    }
  });

  it('a server holds 10,000 sessions by default; a refused socket closes with 1013, which a client retries', () => {
    expect(MAX_SESSIONS_DEFAULT).toBe(Number.POSITIVE_INFINITY);
    expect(MAX_AWAY_SESSIONS_DEFAULT).toBe(10_000);
    expect(SESSIONS_FULL_CLOSE_CODE).toBe(1013);
    expect(classifyCloseCode(SESSIONS_FULL_CLOSE_CODE)).toBe('retryable');
  });

  it('fitsLimits: below both bounds after adding', () => {
    const limits = { maxMessages: 2, maxBytes: 10 };
    expect(fitsLimits(limits, 0, 0, 10)).toBe(true);
    expect(fitsLimits(limits, 0, 0, 11)).toBe(false);
    expect(fitsLimits(limits, 1, 9, 1)).toBe(true);
    expect(fitsLimits(limits, 1, 9, 2)).toBe(false);
    expect(fitsLimits(limits, 2, 0, 0)).toBe(false);
  });

  it('ackDue: by count or by time since the first unacknowledged, never with nothing to ack', () => {
    const options = { ackEveryMessages: 4, ackDelayMs: 50 };
    expect(ackDue(options, 0, 0, 1000)).toBe(false);
    expect(ackDue(options, 3, null, 1000)).toBe(false);
    expect(ackDue(options, 3, 0, 49)).toBe(false);
    expect(ackDue(options, 3, 0, 50)).toBe(true);
    expect(ackDue(options, 4, 0, 0)).toBe(true);
    // Time since the first unacknowledged message, not since 0.
    expect(ackDue(options, 3, 1_000, 1_049)).toBe(false);
    expect(ackDue(options, 3, 1_000, 1_050)).toBe(true);
  });
});
