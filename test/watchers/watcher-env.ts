/**
 * A supervisor on a simulated clock for watcher tests: `setup()` makes one; after each test it is
 * closed and no timer may be left on its clock.
 */
import { afterEach, expect } from 'vitest';
import { createSupervisor, type Supervisor } from '../../src/index.js';
import { TestClock } from '../../src/testing/index.js';

/** A test's supervisor and its clock. */
export interface WatcherEnv {
  clock: TestClock;
  supervisor: Supervisor;
}

/** Registers the after-each check in the calling file; returns `setup()` for its tests. */
export function useWatcherEnv(): () => WatcherEnv {
  let current: WatcherEnv | null = null;
  afterEach(async () => {
    const env = current;
    current = null;
    if (!env) return;
    await env.supervisor.close();
    expect(env.clock.pending).toBe(0);
  });
  return () => {
    const clock = new TestClock();
    current = { clock, supervisor: createSupervisor({ clock }) };
    return current;
  };
}
