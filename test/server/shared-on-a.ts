/**
 * Server A of the shared-store tests on a shared durable view of one `memoryStore()`
 * (./shared-view.ts: its calls recorded in `calls`, `hold` to slip another server's change into
 * one) with one session (./one-session-on-a.ts: m0 sent, not acknowledged); `leftA` then takes its
 * client away (A's record written: m0), sends m1 (never written) and empties `calls`. Used by
 * test/server/shared-store-close.test.ts and shared-store-races.test.ts.
 */
import { expect } from 'vitest';
import { memoryStore } from '../../src/server/index.js';
import type { TestClock } from '../../src/testing/index.js';
import type { Harness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { oneSessionOnA } from './one-session-on-a.js';
import { type Hold, sharedView } from './shared-view.js';

export interface SharedOnAOptions {
  /** The view has `putOwned` (default true). */
  withPutOwned?: boolean;
  /** The view has `replaceOwned` (default false). */
  withReplaceOwned?: boolean;
  /** The view has `claimOwned` (default false). */
  withClaimOwned?: boolean;
  sessionTtlMs?: number;
  maxAwaySessions?: number;
  /** A's clock and the store's (real time when absent). */
  clock?: TestClock;
}

/** A with one session on a shared view (TTL 60 s unless given). */
export async function sharedOnA(h: Harness, options: SharedOnAOptions = {}) {
  const {
    withPutOwned = true,
    withReplaceOwned = false,
    withClaimOwned = false,
    sessionTtlMs = 60_000,
    maxAwaySessions,
    clock,
  } = options;
  const inner = memoryStore(clock ? { clock } : {});
  const calls: string[] = [];
  const hold: Hold = {};
  const setup = await oneSessionOnA(h, {
    store: sharedView(inner, calls, hold, withPutOwned, withReplaceOwned, withClaimOwned),
    sessionTtlMs,
    ...(maxAwaySessions === undefined ? {} : { maxAwaySessions }),
    ...(clock ? { clock } : {}),
  });
  return { ...setup, inner, calls, hold };
}

/** `sharedOnA`, its client then away (A's record: m0), m1 sent since, `calls` emptied. */
export async function leftA(h: Harness, options: SharedOnAOptions = {}) {
  const setup = await sharedOnA(h, options);
  setup.client.drop();
  await waitFor(() => setup.inner.get(setup.id) !== undefined, { message: "A's record" });
  expect(setup.onA.send('m1')).toBe('buffered');
  setup.calls.length = 0;
  return setup;
}
