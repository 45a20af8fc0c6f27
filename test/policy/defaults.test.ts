/**
 * The policy's documented numbers and small functions, pinned: the defaults the README lists, the
 * timer ceiling, the liveness window, the stable-wait boundary, and the PRNG's known answers
 * (mulberry32: state 0 draws 0.26642920868471265 first, as every reference implementation does).
 */
import { describe, expect, it } from 'vitest';
import { DROP_IN_DEFAULTS } from '../../machines/policy/drop-in.js';
import { GROUP_STRATEGY_DEFAULT } from '../../machines/policy/group.js';
import {
  HEARTBEAT_DEFAULTS,
  livenessWindowMs,
  stableEndsWithinRest,
} from '../../machines/policy/heartbeat.js';
import { QUEUE_DEFAULTS } from '../../machines/policy/queue.js';
import { nextRandom, seedRandom } from '../../machines/policy/random.js';
import { MAX_TIMER_MS } from '../../machines/policy/timeouts.js';

describe('policy numbers', () => {
  it('a group restarts only its lost member unless told otherwise (one-for-one, docs/supervisor.md)', () => {
    expect(GROUP_STRATEGY_DEFAULT).toBe('one-for-one');
  });

  it('heartbeat defaults: protocol pings every 30 s, 10 s to answer, one miss tolerated', () => {
    expect(HEARTBEAT_DEFAULTS).toEqual({
      mode: 'protocol',
      intervalMs: 30_000,
      timeoutMs: 10_000,
      maxMissed: 1,
    });
  });

  it('queue defaults: 1,000 messages, 1 MiB, a send that does not fit is rejected', () => {
    expect(QUEUE_DEFAULTS).toEqual({ maxMessages: 1_000, maxBytes: 1_048_576, overflow: 'reject' });
  });

  it('drop-in defaults (linkvisor/ws): 1 s → 10 s × 1.3 with equal jitter, 5 s uptime, 4 s to open, never give up', () => {
    expect(DROP_IN_DEFAULTS).toEqual({
      minReconnectionDelay: 1_000,
      maxReconnectionDelay: 10_000,
      reconnectionDelayGrowFactor: 1.3,
      minUptime: 5_000,
      connectionTimeout: 4_000,
      maxRetries: Number.POSITIVE_INFINITY,
      maxEnqueuedMessages: 1_000,
      jitter: 'equal',
    });
  });

  it('the longest timer Node and browsers keep is 2^31 − 1 ms', () => {
    expect(MAX_TIMER_MS).toBe(2_147_483_647);
  });

  it('a healthy ready link goes at most interval + timeout without a sign of its peer', () => {
    expect(livenessWindowMs({ mode: 'protocol', intervalMs: 1_000, timeoutMs: 300, maxMissed: 1 })).toBe(
      1_300,
    );
  });

  it('a stable wait that ends exactly with the quiet interval ends within it', () => {
    expect(stableEndsWithinRest(1_000, { intervalMs: 1_000 })).toBe(true);
    expect(stableEndsWithinRest(1_001, { intervalMs: 1_000 })).toBe(false);
  });
});

describe('PRNG known answers', () => {
  it('state 0 draws the reference mulberry32 sequence', () => {
    const values: number[] = [];
    let state = 0;
    for (let i = 0; i < 3; i++) {
      const draw = nextRandom(state);
      values.push(draw.value);
      state = draw.state;
    }
    expect(values).toEqual([0.26642920868471265, 0.0003297457005828619, 0.2232720274478197]);
    expect(state).toBe((3 * 0x6d2b79f5) >>> 0);
  });

  it('a seed that is not finite is refused, naming it', () => {
    expect(() => seedRandom(Number.NaN)).toThrow('seed must be a finite number, got NaN');
    expect(seedRandom(1)).toBe(920_564_995);
  });
});
