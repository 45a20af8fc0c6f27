/**
 * Probes for the watcher tests under a simulated clock (watcher-env.ts): one that answers from a
 * script, one that hangs until its signal aborts, and a clock advanced in steps.
 */
import type { TestClock } from '../../src/testing/index.js';

export type Outcome = 'ok' | 'fail';

/**
 * A probe that answers from a script (then repeats its last answer), recording the clock time
 * of every call.
 */
export function scriptedProbe(clock: TestClock, script: readonly Outcome[]) {
  const calls: number[] = [];
  const probe = async (_signal: AbortSignal) => {
    const outcome = script[Math.min(calls.length, script.length - 1)] ?? 'fail';
    calls.push(clock.now());
    if (outcome === 'fail') throw new Error(`probe ${calls.length} failed`);
  };
  return { calls, probe };
}

/** A probe that never settles by itself; it rejects when its signal aborts. */
export function hangingProbe(clock: TestClock) {
  const signals: AbortSignal[] = [];
  const abortedAt: number[] = [];
  const probe = (signal: AbortSignal) =>
    new Promise<void>((_, reject) => {
      signals.push(signal);
      signal.addEventListener('abort', () => {
        abortedAt.push(clock.now());
        reject(new Error('aborted'));
      });
    });
  return { signals, abortedAt, probe };
}

/** Advances in steps of `stepMs` (timers scheduled on the way fire in order), at most `maxSteps`. */
export async function advanceBy(clock: TestClock, totalMs: number, stepMs = 1_000): Promise<void> {
  const steps = Math.ceil(totalMs / stepMs);
  for (let i = 0; i < steps && i < 100_000; i++) await clock.advance(Math.min(stepMs, totalMs - i * stepMs));
}
