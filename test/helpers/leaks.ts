/**
 * Leak check: after a test has closed everything it opened, no timer, socket or server may be
 * left beyond what was active before the test (vitest owns some handles of its own: its IPC
 * channel, the hook timeout timer).
 *
 * `process.getActiveResourcesInfo()` lists a closed TCP handle until libuv runs its close
 * callback, which happens in the close phase of the loop turn AFTER the check phase where an
 * `setImmediate` callback runs. So the check waits a few loop turns (macrotasks), never
 * wall-clock time, before it compares.
 */
import { nextTurn } from './wait.js';

/** The resource types that must not outlive a test. */
export const WATCHED_RESOURCES = ['Timeout', 'TCPSocketWrap', 'TCPServerWrap'] as const;

export type ResourceCounts = Record<string, number>;

export function countResources(): ResourceCounts {
  const counts: ResourceCounts = {};
  for (const name of process.getActiveResourcesInfo()) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

/** Call in beforeEach. */
export function captureBaseline(): ResourceCounts {
  return countResources();
}

/** The watched resources active now beyond `baseline`, e.g. `{ TCPSocketWrap: 1 }`. */
export function resourcesBeyond(baseline: ResourceCounts): ResourceCounts {
  const now = countResources();
  const extra: ResourceCounts = {};
  for (const name of WATCHED_RESOURCES) {
    const n = (now[name] ?? 0) - (baseline[name] ?? 0);
    if (n > 0) extra[name] = n;
  }
  return extra;
}

/**
 * Throws if any watched resource outlives the test. Waits `turns` loop turns first (default 2:
 * one for pending callbacks, one for libuv's close callbacks); no timers.
 */
export async function expectNoLeaks(baseline: ResourceCounts, { turns = 2 } = {}): Promise<void> {
  let extra: ResourceCounts = {};
  for (let turn = 0; turn < turns; turn++) {
    await nextTurn();
    extra = resourcesBeyond(baseline);
    if (Object.keys(extra).length === 0) return;
  }
  throw new Error(
    `leak: active resources beyond the baseline after ${turns} loop turns: ${JSON.stringify(extra)} ` +
      `(all: ${JSON.stringify(process.getActiveResourcesInfo())})`,
  );
}
