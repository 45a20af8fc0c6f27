/**
 * Bounded waiting for integration tests: every loop has a time limit and a count limit, and a
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
 * Polls `predicate` until it returns a truthy value, which is returned. Bounded in time
 * (`timeoutMs`) and in count (timeoutMs / intervalMs + 2 polls), whichever comes first.
 */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  { timeoutMs = 5_000, intervalMs = 5, message = 'condition' }: WaitOptions = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  const maxPolls = Math.ceil(timeoutMs / intervalMs) + 2;
  let lastError: unknown;
  for (let poll = 0; poll < maxPolls; poll++) {
    try {
      const value = await predicate();
      if (value) return value as NonNullable<T>;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) break;
    await sleep(intervalMs);
  }
  const detail = lastError instanceof Error ? `: ${lastError.message}` : '';
  throw new Error(`waitFor: ${message} not met within ${timeoutMs} ms${detail}`);
}
