/**
 * A supervisor's clock (user-supplied) that reads a time no Date can hold (`1e300`) while a link
 * changes state: the link's status() stamps `lastChange` (and `readySince`) null instead of
 * throwing a RangeError from `toISOString` (as a watcher's lastCheck already did), so
 * supervisor.status() and the health report stay readable; the next change, with the clock right
 * again, is stamped. Simulated clock and in-memory network.
 */
import { expect, it } from 'vitest';
import { createSupervisor, healthReport } from '../../src/index.js';
import { createMemoryNetwork, TestClock } from '../../src/testing/index.js';
import type { Clock } from '../../src/util/clock.js';

it("a clock gone wrong at a link's state change makes no status() throw: lastChange null until the next change", async () => {
  const test = new TestClock();
  let broken = false;
  const clock: Clock = {
    now: () => (broken ? 1e300 : test.now()),
    setTimeout: (fn, ms) => test.setTimeout(fn, ms),
    clearTimeout: (id) => test.clearTimeout(id),
  };
  const network = createMemoryNetwork({ clock: test, inProcess: false });
  const server = network.listen('mem://svc');
  const supervisor = createSupervisor({ transport: network.transport, clock, heartbeat: false });
  const link = supervisor.connect('mem://svc');
  await test.advance(0);
  await link.ready();
  expect(link.status().lastChange).toBe(link.status().readySince);
  broken = true;
  server.dropAll(1006);
  await test.advance(0);
  expect(link.status()).toMatchObject({ lastChange: null, readySince: null });
  expect(link.status().state).not.toBe('ready');
  expect(() => supervisor.status()).not.toThrow();
  expect(healthReport(supervisor).healthy).toBe(false);
  broken = false;
  await test.advance(60_000);
  await link.ready();
  const { lastChange, readySince } = link.status();
  expect(Date.parse(lastChange ?? '')).toBeGreaterThan(0);
  expect(readySince).toBe(lastChange);
  await supervisor.close();
});
