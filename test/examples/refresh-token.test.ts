/**
 * examples/refresh-token.ts against a real `ws` server on 127.0.0.1: every mid-session expiry
 * (close 4401, marked as auth) is followed by one attempt at once with a freshly fetched token —
 * never by the 30 s backoff — and nothing is left open afterwards.
 */
import { describe, expect, it } from 'vitest';
import { runRefreshTokenDemo } from '../../examples/refresh-token.js';
import { captureBaseline, settleResources } from '../helpers/leaks.js';

describe('examples/refresh-token: a token that expires mid-session', () => {
  it('refreshes the token at once on each expiry, reuses it otherwise, and leaves nothing open', async () => {
    const baseline = captureBaseline();
    // A token lives 1 s: a fresh one must outlive its own upgrade, and at load 15–20 an upgrade took
    // over 300 ms (the token was dead on arrival: 401, then the 30 s backoff), so not 300 ms.
    const result = await runRefreshTokenDemo({ tokenLifetimeMs: 1_000, runMs: 3_500 });
    // Generous bounds (a busy machine): several expiries, each one refreshed and reconnected.
    expect(result.expired).toBeGreaterThanOrEqual(2);
    expect(result.fetched).toBe(result.expired + 1);
    expect(result.readyCount).toBeGreaterThanOrEqual(result.expired);
    // No backoff wait anywhere: ready → connecting directly, never reconnecting.
    expect(result.states.filter((s) => s === 'ready→connecting').length).toBe(result.expired);
    expect(result.states.some((s) => s.endsWith('→reconnecting'))).toBe(false);
    expect(result.received.slice(0, 2)).toEqual(['hello 1', 'hello 2']);
    await settleResources(baseline);
  });
});
