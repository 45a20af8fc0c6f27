/**
 * A ready link's loss plans its retry in the loss's assign (`recordLossAndPlanRetry`, BENCHMARKS.md
 * round 36 (raise)): with a custom backoff function, that plan is the function's, as every other
 * retry's (test/runtime/backoff-schedule.test.ts covers those of attempts that never got ready).
 * Supervisor + connection chart + memory transport under the simulated clock; no real time passes.
 */
import { afterEach, expect, it } from 'vitest';
import { createSupervisor, type Supervisor } from '../../src/index.js';
import { createMemoryNetwork, settle, TestClock } from '../../src/testing/index.js';
import { closeOnClock, runClock } from '../helpers/clock-run.js';

const running: { supervisor: Supervisor; clock: TestClock }[] = [];

afterEach(async () => {
  for (const { supervisor, clock } of running.splice(0)) await closeOnClock(supervisor, clock);
});

it("a ready link's loss waits the backoff function's delay: (attempt) => attempt * 100 + 7", async () => {
  const clock = new TestClock();
  const net = createMemoryNetwork({ clock, inProcess: false });
  // Accepted, then dropped at once: every retry follows a loss of a ready link.
  net.listen('mem://svc').onConnection((peer) => peer.terminate());
  const supervisor = createSupervisor({
    transport: net.transport,
    clock,
    seed: 1,
    backoff: (attempt: number) => attempt * 100 + 7,
  });
  running.push({ supervisor, clock });
  const link = supervisor.connect('mem://svc');
  const lost: string[] = [];
  const delays: number[] = [];
  const errors: unknown[] = [];
  link.on('lost', (e) => lost.push(e.reason.kind));
  link.on('reconnecting', (e) => delays.push(e.delayMs));
  link.on('error', (e) => errors.push(e));
  await settle();
  await runClock(clock, 5_000, () => delays.length >= 3, 10);
  expect(lost.length).toBeGreaterThanOrEqual(3);
  expect(delays.slice(0, 3)).toEqual([107, 207, 307]);
  expect(errors).toEqual([]);
});
