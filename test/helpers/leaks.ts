/**
 * Leak check: after a test has closed everything it opened, no timer, socket or server may be
 * left beyond what was active before the test (vitest owns some handles of its own: its IPC
 * channel, the hook timeout timer).
 *
 * `process.getActiveResourcesInfo()` lists a closed TCP handle until libuv runs its close
 * callback (a loop phase after the close), and a peer's socket closes only when the FIN or RST
 * has crossed the loopback — on a busy machine that can take many loop turns. So the check polls
 * until the resources have settled or a generous wall-clock deadline has passed; it never gives
 * up after a fixed count of loop turns. A real leak (a timer or socket that nothing will close)
 * is still reported, after the deadline.
 *
 * The runner has timers of its own too: vitest sends task updates throttled to one per 100 ms
 * (`sendTasksUpdateThrottled`), and a pending send is a Timeout that may exist when the afterEach
 * hook starts but not in the beforeEach baseline. That was the flaky `{"Timeout":1}` of a quick
 * test on a busy machine (traced with an async_hooks probe: the timer was created by
 * @vitest/runner's `throttle`, not by linkvisor); it fires within ~100 ms, so the deadline
 * absorbs it.
 */
import { nextTurn, sleep } from './wait.js';

/** The resource types that must not outlive a test. */
export const WATCHED_RESOURCES = ['Timeout', 'TCPSocketWrap', 'TCPServerWrap'] as const;

/** How long resources may take to settle before they count as leaked, in ms (generous: a busy
 * 2-core machine can hold a close callback back for hundreds of ms). */
export const SETTLE_DEADLINE_MS = 3_000;

/** Loop turns polled back to back before the check starts sleeping between polls. */
const SPIN_TURNS = 20;
/** Sleep between polls after that, in ms. */
const POLL_MS = 5;

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
export function resourcesBeyond(
  baseline: ResourceCounts,
  watched: readonly string[] = WATCHED_RESOURCES,
): ResourceCounts {
  const now = countResources();
  const extra: ResourceCounts = {};
  for (const name of watched) {
    const n = (now[name] ?? 0) - (baseline[name] ?? 0);
    if (n > 0) extra[name] = n;
  }
  return extra;
}

export interface SettleOptions {
  /** Give up after this long, in ms (default SETTLE_DEADLINE_MS). */
  timeoutMs?: number;
  /** Resource types to compare (default WATCHED_RESOURCES). */
  watched?: readonly string[];
}

/**
 * Waits until no watched resource is active beyond `baseline`, polling every loop turn (then
 * every few ms) up to the deadline: bounded by wall time (performance.now()), not by a count of
 * polls, which timers firing up to a millisecond early (./timer-early.ts) would end before the
 * deadline. Returns what is still active beyond the baseline (empty: settled), how long it
 * waited and how many turns it polled.
 */
export async function settleResources(
  baseline: ResourceCounts,
  { timeoutMs = SETTLE_DEADLINE_MS, watched = WATCHED_RESOURCES }: SettleOptions = {},
): Promise<{ extra: ResourceCounts; waitedMs: number; turns: number }> {
  const started = performance.now();
  let extra: ResourceCounts = {};
  let turns = 0;
  for (;;) {
    // Our own sleep timer is gone once a turn has passed after it fired.
    if (turns >= SPIN_TURNS) await sleep(POLL_MS);
    await nextTurn();
    turns++;
    extra = resourcesBeyond(baseline, watched);
    if (Object.keys(extra).length === 0 || performance.now() - started >= timeoutMs) break;
  }
  return { extra, waitedMs: Math.round(performance.now() - started), turns };
}

/** Throws if any watched resource is still active beyond `baseline` after the deadline. */
export async function expectNoLeaks(baseline: ResourceCounts, options: SettleOptions = {}): Promise<void> {
  const { extra, waitedMs, turns } = await settleResources(baseline, options);
  if (Object.keys(extra).length === 0) return;
  throw new Error(
    `leak: active resources beyond the baseline after ${waitedMs} ms (${turns} loop turns): ` +
      `${JSON.stringify(extra)} (all: ${JSON.stringify(process.getActiveResourcesInfo())})`,
  );
}
