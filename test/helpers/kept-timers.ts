/**
 * `setTimeout` for a custom transport in a test, with its timers kept: `later(fn, ms)` runs `fn`
 * after `ms` (0: the next turn) and `timers` holds the ones not run yet, so a test can assert that
 * nothing is left after close (`timers.size === 0`).
 */
export function keptTimers(): {
  timers: Set<ReturnType<typeof setTimeout>>;
  later: (fn: () => void, ms?: number) => void;
} {
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const later = (fn: () => void, ms = 0) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };
  return { timers, later };
}
