/**
 * Driving a supervisor under the simulated clock (linkvisor/testing's TestClock): run it forward
 * in small steps until a condition holds, and close a supervisor whose drain needs the clock to
 * move. Every loop is bounded by simulated time; no real time passes.
 */
import { expect } from 'vitest';
import { createSupervisor, type Supervisor } from '../../src/index.js';
import { createMemoryNetwork, TestClock } from '../../src/testing/index.js';

/** Advances `clock` in `stepMs` steps for at most `ms`, stopping early once `until()` holds. */
export async function runClock(
  clock: TestClock,
  ms: number,
  until: () => boolean = () => false,
  stepMs = 100,
): Promise<void> {
  for (let t = 0; t < ms && !until(); t += stepMs) await clock.advance(stepMs);
}

/** Closes `supervisor`, driving the clock its drain waits on (bounded); fails if it never ends. */
export async function closeOnClock(supervisor: Supervisor, clock: TestClock): Promise<void> {
  let done = false;
  const closed = supervisor.close().then(() => {
    done = true;
  });
  for (let i = 0; i < 1_000 && !done; i++) await clock.advance(10);
  expect(done).toBe(true);
  await closed;
}

/** A supervisor on an in-memory network under a simulated clock, with a server at `address`
 * (`inProcess`: the network's in-process peers, its default). */
export function memoryWorld(address: string, inProcess = true) {
  const clock = new TestClock();
  const network = createMemoryNetwork({ clock, inProcess });
  const server = network.listen(address);
  const supervisor = createSupervisor({ transport: network.transport, clock });
  return { clock, server, supervisor };
}

/** Advances `clock` 50 ms at a time (at most 200 steps) until `done()` holds; fails naming `what`. */
export async function untilOnClock(clock: TestClock, done: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) await clock.advance(50);
  expect(done(), what).toBe(true);
}
