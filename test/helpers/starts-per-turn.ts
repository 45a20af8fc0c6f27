/**
 * Counts links started per turn of the event loop while they open (test/socket/scale.test.ts,
 * test/groups/group-start-slices.test.ts): a count, not a time.
 */
import type { Link } from '../../src/index.js';

/** Most links that left `idle` between two turns of the event loop (setImmediate: the start
 * slices run one a turn, src/util/next-turn.ts), from now until every link has started. */
export function watchStartsPerTurn(links: readonly Link[]): { stop(): number } {
  let started = 0;
  let most = 0;
  let timer: ReturnType<typeof setImmediate> | undefined;
  const count = () => {
    let now = 0;
    for (const link of links) if (link.state !== 'idle') now++;
    most = Math.max(most, now - started);
    started = now;
    return now;
  };
  const tick = () => {
    timer = count() < links.length ? setImmediate(tick) : undefined;
  };
  timer = setImmediate(tick);
  return {
    stop() {
      // The last slice may have run after the last tick (a wait resolved in the timers phase).
      if (timer) {
        clearImmediate(timer);
        count();
      }
      return most;
    },
  };
}
