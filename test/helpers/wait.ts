/**
 * Bounded waiting for integration tests: every wait ends at a wall-clock deadline (never after a
 * count of polls or turns, which early timers or a fast poll make shorter than its time), and a
 * timeout names what was being waited for. Never used to assert speed.
 */

export interface WaitOptions {
  /** Give up after this long, in ms (default 5000). */
  timeoutMs?: number;
  /** Poll period, in ms (default 5). */
  intervalMs?: number;
  /** Shown in the error when the wait times out. */
  message?: string;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** One turn of the event loop (a macrotask), no timers involved. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Polls `predicate` until it returns a truthy value, which is returned. Bounded by wall time: the
 * wait ends at the first poll at or after `timeoutMs` (performance.now(), monotonic). Not by a
 * count of polls: a Node timer may fire up to a millisecond early (./timer-early.ts), so
 * timeoutMs / intervalMs polls could end the wait well before `timeoutMs` (a 5 ms poll firing at
 * 4 ms: 4 s of a 5 s wait). Every poll but the first follows a sleep, so the loop always ends.
 */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  { timeoutMs = 5_000, intervalMs = 5, message = 'condition' }: WaitOptions = {},
): Promise<NonNullable<T>> {
  const started = performance.now();
  let lastError: unknown;
  for (;;) {
    try {
      const value = await predicate();
      if (value) return value as NonNullable<T>;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    const elapsedMs = performance.now() - started;
    if (elapsedMs >= timeoutMs) break;
    // Never past the deadline by more than the last poll: the final sleep is what is left of it.
    await sleep(Math.min(intervalMs, Math.ceil(timeoutMs - elapsedMs)));
  }
  const detail = lastError instanceof Error ? `: ${lastError.message}` : '';
  throw new Error(`waitFor: ${message} not met within ${timeoutMs} ms${detail}`);
}
