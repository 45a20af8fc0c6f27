/**
 * Reconnect backoff (machines/policy/backoff.ts): unit and property tests.
 *
 * The promises under test: every delay lies in `delayBounds` for its strategy (up to the 0.5 ms of
 * rounding to whole ms); no delay is ever NaN, negative or infinite, however large the attempt or
 * the multiplier; jitter is applied after the cap and to the first retry; the PRNG makes the
 * schedule reproducible from a seed; `resetBackoff` restarts the schedule, not the PRNG.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BACKOFF_DEFAULTS,
  type BackoffOptions,
  type BackoffState,
  baseDelayMs,
  delayBounds,
  hasAttemptsLeft,
  initialBackoffState,
  JITTER_STRATEGIES,
  type JitterStrategy,
  nextDelay,
  resetBackoff,
} from '../../machines/policy/backoff.js';
import { nextRandom, seedRandom } from '../../machines/policy/random.js';

const SPREADING: readonly JitterStrategy[] = ['full', 'equal', 'proportional', 'decorrelated'];

function options(overrides: Partial<BackoffOptions> = {}): BackoffOptions {
  return { ...BACKOFF_DEFAULTS, ...overrides };
}

/** The first `n` delays from a fresh schedule. Bounded by `n`. */
function schedule(seed: number, opts: BackoffOptions, n: number): number[] {
  let state = initialBackoffState(seedRandom(seed));
  const delays: number[] = [];
  for (let i = 0; i < n; i++) {
    const next = nextDelay(state, opts);
    delays.push(next.delayMs);
    state = next.state;
  }
  return delays;
}

/** `n` independent draws of retry `attempt` (the previous delay at the cap), one PRNG stream. */
function drawsAt(attempt: number, opts: BackoffOptions, n: number, seed = 7): number[] {
  let random = seedRandom(seed);
  const previousDelayMs = opts.maxDelayMs;
  const delays: number[] = [];
  for (let i = 0; i < n; i++) {
    const state: BackoffState = { attempt: attempt - 1, previousDelayMs, random };
    const next = nextDelay(state, opts);
    delays.push(next.delayMs);
    random = next.state.random;
  }
  return delays;
}

function isSaneDelay(ms: number): boolean {
  return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 && Number.isInteger(ms);
}

// ─── Arbitraries ────────────────────────────────────────────────────────────────────────────

const MAX_DELAY = 2 ** 31 - 1; // what options.ts accepts

const optionsArb: fc.Arbitrary<BackoffOptions> = fc
  .record({
    initialDelayMs: fc.integer({ min: 1, max: 60_000 }),
    extraMs: fc.integer({ min: 0, max: MAX_DELAY - 60_000 }),
    multiplier: fc.double({ min: 1, max: 1000, noNaN: true, noDefaultInfinity: true }),
    jitter: fc.constantFrom(...JITTER_STRATEGIES),
    jitterRatio: fc.double({ min: 0, max: 1, noNaN: true, noDefaultInfinity: true }),
  })
  .map(({ initialDelayMs, extraMs, multiplier, jitter, jitterRatio }) => ({
    ...BACKOFF_DEFAULTS,
    initialDelayMs,
    maxDelayMs: initialDelayMs + extraMs,
    multiplier,
    jitter,
    jitterRatio,
  }));

const attemptArb = fc.oneof(
  fc.integer({ min: 1, max: 40 }),
  fc.integer({ min: 1, max: 10_000 }),
  fc.constant(10_000),
);
const seedArb = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });

// ─── Tests ──────────────────────────────────────────────────────────────────────────────────

describe('backoff: bounds', () => {
  it('every delay lies within delayBounds, for every strategy, attempt and option set', () => {
    fc.assert(
      fc.property(
        optionsArb,
        attemptArb,
        seedArb,
        fc.integer({ min: 0, max: MAX_DELAY }),
        (opts, attempt, seed, previousDelayMs) => {
          const state: BackoffState = { attempt: attempt - 1, previousDelayMs, random: seedRandom(seed) };
          const { delayMs, state: after } = nextDelay(state, opts);
          const { minMs, maxMs } = delayBounds(attempt, opts, previousDelayMs);
          expect(isSaneDelay(delayMs)).toBe(true);
          expect(Number.isFinite(minMs) && Number.isFinite(maxMs)).toBe(true);
          expect(minMs).toBeLessThanOrEqual(maxMs);
          // Delays are whole ms: allow the rounding of a fractional bound.
          expect(delayMs).toBeGreaterThanOrEqual(minMs - 0.5);
          expect(delayMs).toBeLessThanOrEqual(maxMs + 0.5);
          expect(after.attempt).toBe(attempt);
          expect(after.previousDelayMs).toBe(delayMs);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('the base delay is capped, non-decreasing, and at most the cap for every attempt', () => {
    fc.assert(
      fc.property(optionsArb, fc.integer({ min: 1, max: 9_999 }), (opts, attempt) => {
        const a = baseDelayMs(attempt, opts);
        const b = baseDelayMs(attempt + 1, opts);
        expect(Number.isFinite(a)).toBe(true);
        expect(a).toBeGreaterThanOrEqual(0);
        expect(a).toBeLessThanOrEqual(opts.maxDelayMs);
        expect(b).toBeGreaterThanOrEqual(a);
      }),
      { numRuns: 300 },
    );
  });

  it.each(JITTER_STRATEGIES)(
    '%s: never NaN, negative or Infinity at attempt 10_000 with multiplier 1000',
    (jitter) => {
      const opts = options({ jitter, multiplier: 1000, maxDelayMs: 30_000 });
      const delays = drawsAt(10_000, opts, 200);
      for (const ms of delays) expect(isSaneDelay(ms)).toBe(true);
      // No overflow to 0 (socket.io's Infinity*0 trap): the base stays at the cap.
      expect(baseDelayMs(10_000, opts)).toBe(30_000);
      expect(Math.max(...delays)).toBeGreaterThan(0);
      // A whole schedule that long stays sane too.
      const long = schedule(3, opts, 2_000);
      expect(long.every(isSaneDelay)).toBe(true);
      expect(long.slice(-100).some((ms) => ms > 0)).toBe(true);
    },
  );

  it('an overflowing multiplier with the largest accepted cap stays finite', () => {
    const opts = options({ jitter: 'none', multiplier: 1000, maxDelayMs: MAX_DELAY, initialDelayMs: 1 });
    expect(baseDelayMs(10_000, opts)).toBe(MAX_DELAY);
    expect(nextDelay({ attempt: 9_999, previousDelayMs: 0, random: 1 }, opts).delayMs).toBe(MAX_DELAY);
  });

  it('initialDelayMs 0 (accepted by options) means "retry at once" for every attempt', () => {
    // 0 × multiplier^n is 0 for every n; it must not turn into the cap when multiplier^n
    // overflows (0 × Infinity = NaN).
    const opts = options({ jitter: 'none', initialDelayMs: 0, multiplier: 2, maxDelayMs: 30_000 });
    expect(baseDelayMs(1, opts)).toBe(0);
    expect(baseDelayMs(1_000, opts)).toBe(0);
    expect(baseDelayMs(1_100, opts)).toBe(0);
    expect(nextDelay({ attempt: 5_000, previousDelayMs: 0, random: 1 }, opts).delayMs).toBe(0);
  });
});

describe('backoff: jitter', () => {
  it("'none' gives the exact exponential table, capped", () => {
    const opts = options({ jitter: 'none', initialDelayMs: 1000, multiplier: 2, maxDelayMs: 30_000 });
    expect(schedule(1, opts, 9)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000]);
    // The seed plays no part.
    expect(schedule(99, opts, 9)).toEqual(schedule(1, opts, 9));
    const triple = options({ jitter: 'none', initialDelayMs: 100, multiplier: 3, maxDelayMs: 5_000 });
    expect(schedule(1, triple, 6)).toEqual([100, 300, 900, 2700, 5000, 5000]);
    const flat = options({ jitter: 'none', initialDelayMs: 250, multiplier: 1, maxDelayMs: 5_000 });
    expect(schedule(1, flat, 4)).toEqual([250, 250, 250, 250]);
  });

  it("'none' consumes no randomness", () => {
    const opts = options({ jitter: 'none' });
    const start = initialBackoffState(seedRandom(5));
    expect(nextDelay(start, opts).state.random).toBe(start.random);
  });

  it.each(SPREADING)('%s: at the cap (attempt 50) the delays still spread over the bounds', (jitter) => {
    const opts = options({ jitter, initialDelayMs: 1000, maxDelayMs: 30_000, multiplier: 2 });
    const { minMs, maxMs } = delayBounds(50, opts, opts.maxDelayMs);
    expect(maxMs - minMs).toBeGreaterThan(1000);
    const draws = drawsAt(50, opts, 2_000);
    expect(new Set(draws).size).toBeGreaterThan(1_000);
    for (const ms of draws) {
      expect(ms).toBeGreaterThanOrEqual(Math.floor(minMs));
      expect(ms).toBeLessThanOrEqual(Math.ceil(maxMs));
    }
    // The observed range covers the bounds (each tail of 2% of the width is hit).
    const width = maxMs - minMs;
    expect(Math.min(...draws)).toBeLessThan(minMs + 0.02 * width);
    expect(Math.max(...draws)).toBeGreaterThan(maxMs - 0.02 * width);
    // And the mean is near the middle (uniform): within 5% of the width.
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    expect(Math.abs(mean - (minMs + maxMs) / 2)).toBeLessThan(0.05 * width);
  });

  it('expected bounds at the cap, strategy by strategy', () => {
    const at = (jitter: JitterStrategy) =>
      delayBounds(50, options({ jitter, jitterRatio: 0.2 }), BACKOFF_DEFAULTS.maxDelayMs);
    expect(at('none')).toEqual({ minMs: 30_000, maxMs: 30_000 });
    expect(at('full')).toEqual({ minMs: 0, maxMs: 30_000 });
    expect(at('equal')).toEqual({ minMs: 15_000, maxMs: 30_000 });
    expect(at('proportional').minMs).toBeCloseTo(24_000, 6);
    expect(at('proportional').maxMs).toBeCloseTo(36_000, 6);
    expect(at('decorrelated')).toEqual({ minMs: 1_000, maxMs: 30_000 });
  });

  it('decorrelated grows from the previous delay: [initial, min(cap, 3 × previous)]', () => {
    const opts = options({ jitter: 'decorrelated', initialDelayMs: 1000, maxDelayMs: 30_000 });
    expect(delayBounds(3, opts, 2_000)).toEqual({ minMs: 1_000, maxMs: 6_000 });
    expect(delayBounds(3, opts, 20_000)).toEqual({ minMs: 1_000, maxMs: 30_000 });
    fc.assert(
      fc.property(seedArb, (seed) => {
        let state = initialBackoffState(seedRandom(seed));
        for (let i = 0; i < 30; i++) {
          const previous = state.previousDelayMs;
          const next = nextDelay(state, opts);
          if (i > 0) {
            expect(next.delayMs).toBeGreaterThanOrEqual(1_000);
            expect(next.delayMs).toBeLessThanOrEqual(Math.min(30_000, 3 * previous));
          }
          state = next.state;
        }
      }),
      { numRuns: 50 },
    );
  });

  it.each(SPREADING)('%s: the first retry is jittered too (a fleet does not come back at once)', (jitter) => {
    const opts = options({ jitter, initialDelayMs: 1000, maxDelayMs: 30_000 });
    const firsts: number[] = [];
    for (let seed = 0; seed < 200; seed++) firsts.push(schedule(seed, opts, 1)[0]!);
    const { minMs, maxMs } = delayBounds(1, opts, 0);
    for (const ms of firsts) {
      expect(ms).toBeGreaterThanOrEqual(Math.floor(minMs));
      expect(ms).toBeLessThanOrEqual(Math.ceil(maxMs));
    }
    // 200 clients dropped at the same instant: no delay shared by more than a handful of them.
    const counts = new Map<number, number>();
    for (const ms of firsts) counts.set(ms, (counts.get(ms) ?? 0) + 1);
    expect(Math.max(...counts.values())).toBeLessThanOrEqual(5);
    expect(new Set(firsts).size).toBeGreaterThan(100);
  });
});

describe('backoff: determinism', () => {
  it('the same seed gives the same sequence', () => {
    fc.assert(
      fc.property(optionsArb, seedArb, (opts, seed) => {
        expect(schedule(seed, opts, 20)).toEqual(schedule(seed, opts, 20));
      }),
      { numRuns: 200 },
    );
  });

  it('different seeds give different sequences (statistically)', () => {
    const opts = options({ jitter: 'full' });
    fc.assert(
      fc.property(seedArb, seedArb, (a, b) => {
        fc.pre(a !== b);
        expect(schedule(a, opts, 10)).not.toEqual(schedule(b, opts, 10));
      }),
      { numRuns: 300 },
    );
    // Neighbouring seeds (the supervisor gives link n the seed base + n) are not correlated.
    const firsts = new Set<number>();
    for (let seed = 1; seed <= 100; seed++) firsts.add(schedule(seed, options({ jitter: 'full' }), 1)[0]!);
    expect(firsts.size).toBeGreaterThan(90);
  });

  it('nextDelay is pure: it does not mutate the state it is given', () => {
    const state = Object.freeze({ attempt: 2, previousDelayMs: 1234, random: seedRandom(9) });
    const a = nextDelay(state, options());
    const b = nextDelay(state, options());
    expect(a).toEqual(b);
    expect(state).toEqual({ attempt: 2, previousDelayMs: 1234, random: seedRandom(9) });
  });
});

describe('backoff: reset and attempts', () => {
  it('resetBackoff restarts the schedule but keeps the PRNG going', () => {
    const opts = options({ jitter: 'full' });
    let state = initialBackoffState(seedRandom(42));
    for (let i = 0; i < 6; i++) state = nextDelay(state, opts).state;
    expect(state.attempt).toBe(6);

    const reset = resetBackoff(state);
    expect(reset).toEqual({ attempt: 0, previousDelayMs: 0, random: state.random });

    // The next retry is retry 1 again, with the next PRNG draw (not the seed's first draw).
    const next = nextDelay(reset, opts);
    expect(next.state.attempt).toBe(1);
    expect(next.delayMs).toBe(Math.round(nextRandom(state.random).value * opts.initialDelayMs));
    const fresh = nextDelay(initialBackoffState(seedRandom(42)), opts);
    expect(next.state.random).not.toBe(fresh.state.random);

    // With no jitter the restarted schedule is the table from the start.
    const none = options({ jitter: 'none' });
    let s = resetBackoff({ attempt: 12, previousDelayMs: 30_000, random: 3 });
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      const n = nextDelay(s, none);
      delays.push(n.delayMs);
      s = n.state;
    }
    expect(delays).toEqual([1000, 2000, 4000]);
  });

  it('hasAttemptsLeft', () => {
    const three = options({ maxAttempts: 3 });
    expect(hasAttemptsLeft(0, three)).toBe(true);
    expect(hasAttemptsLeft(2, three)).toBe(true);
    expect(hasAttemptsLeft(3, three)).toBe(false);
    expect(hasAttemptsLeft(4, three)).toBe(false);
    expect(hasAttemptsLeft(0, options({ maxAttempts: 0 }))).toBe(false);
    expect(hasAttemptsLeft(1e9, options())).toBe(true); // default: Infinity
    expect(BACKOFF_DEFAULTS.maxAttempts).toBe(Number.POSITIVE_INFINITY);
  });

  it('defaults are frozen and sane', () => {
    expect(Object.isFrozen(BACKOFF_DEFAULTS)).toBe(true);
    expect(BACKOFF_DEFAULTS.maxDelayMs).toBeGreaterThanOrEqual(BACKOFF_DEFAULTS.initialDelayMs);
    expect(BACKOFF_DEFAULTS.multiplier).toBeGreaterThanOrEqual(1);
    expect(JITTER_STRATEGIES).toContain(BACKOFF_DEFAULTS.jitter);
  });
});
