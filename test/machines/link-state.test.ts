/**
 * What a link's `state` event carries (machines/link-state.ts), state by state, and the public
 * state name of a chart value: pure functions of the chart's context and value.
 */
import { describe, expect, it } from 'vitest';
import { createConnectionContext } from '../../machines/connection-context.js';
import type { ConnectionContext } from '../../machines/connection-types.js';
import { linkStateName, stateChangeDetails } from '../../machines/link-state.js';
import type { Reason } from '../../machines/policy/close-reason.js';

const RESET: Reason = { kind: 'close', code: 1006, message: 'connection reset' };
const GAVE_UP: Reason = { kind: 'gave-up', message: 'gave up after 3 retries' };

function context(overrides: Partial<ConnectionContext> = {}): ConnectionContext {
  const base = createConnectionContext({ linkId: 'link:a', label: 'ws://a' });
  return { ...base, retry: { ...base.retry, attempt: 3 }, ...overrides };
}

describe('stateChangeDetails', () => {
  it('reconnecting, coolingDown and rejoining: the reason, the retry, the wait', () => {
    for (const to of ['reconnecting', 'coolingDown', 'rejoining'] as const) {
      expect(stateChangeDetails(context({ reason: RESET, nextDelayMs: 1500 }), to)).toEqual({
        reason: RESET,
        attempt: 3,
        delayMs: 1500,
      });
      // No reason recorded: none reported; no delay planned: 0.
      expect(stateChangeDetails(context(), to)).toEqual({ attempt: 3, delayMs: 0 });
    }
  });

  it('suspended: the reason and the retries so far, no wait', () => {
    expect(stateChangeDetails(context({ reason: RESET, nextDelayMs: 1500 }), 'suspended')).toEqual({
      reason: RESET,
      attempt: 3,
    });
    expect(stateChangeDetails(context({ nextDelayMs: 1500 }), 'suspended')).toEqual({ attempt: 3 });
  });

  it('failed: the failure (not the disconnect), and the retries', () => {
    expect(stateChangeDetails(context({ reason: RESET, failure: GAVE_UP }), 'failed')).toEqual({
      reason: GAVE_UP,
      attempt: 3,
    });
    expect(stateChangeDetails(context({ reason: RESET }), 'failed')).toEqual({ attempt: 3 });
  });

  it('closing and closed: the close reason if any, nothing else', () => {
    for (const to of ['closing', 'closed'] as const) {
      expect(stateChangeDetails(context({ reason: RESET, nextDelayMs: 5 }), to)).toEqual({ reason: RESET });
      expect(stateChangeDetails(context({ nextDelayMs: 5 }), to)).toEqual({});
    }
  });

  it('connecting, handshaking, resuming, ready: the attempt only', () => {
    for (const to of ['connecting', 'handshaking', 'resuming', 'ready'] as const) {
      expect(stateChangeDetails(context({ reason: RESET, nextDelayMs: 5 }), to)).toEqual({ attempt: 3 });
    }
  });

  it('idle and disconnected: nothing', () => {
    for (const to of ['idle', 'disconnected'] as const) {
      expect(stateChangeDetails(context({ reason: RESET, nextDelayMs: 5 }), to)).toEqual({});
    }
  });
});

describe('linkStateName', () => {
  it('a top-level state is its name; inside attempt, the attempt state (ready for its substates)', () => {
    expect(linkStateName('reconnecting')).toBe('reconnecting');
    expect(linkStateName({ attempt: 'connecting' })).toBe('connecting');
    expect(linkStateName({ attempt: { ready: 'beating' } })).toBe('ready');
    expect(linkStateName({ attempt: { closing: 'draining' } })).toBe('closing');
  });
});
