/**
 * When a supervisor's booked links start (src/runtime/start-queue.ts): a handful booked while few
 * links are opening start on the microtask after connect(); while more than 32 are started and not
 * ready (a fleet coming up, or down and waiting to reconnect), a new booking waits for the next
 * turn of the event loop, so the links booked during a turn start together (one socket step, one
 * shard count). Structural assertions on a simulated clock, no timing bounds.
 */
import { describe, expect, it } from 'vitest';
import { createSupervisor } from '../../src/index.js';
import { createMemoryNetwork, TestClock } from '../../src/testing/index.js';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
const microtasks = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

/** A supervisor whose links never become ready: no server listens, each waits to reconnect. */
async function fleetDown(size: number) {
  const clock = new TestClock();
  const network = createMemoryNetwork({ clock, inProcess: false });
  const supervisor = createSupervisor({ transport: network.transport, clock });
  const links = Array.from({ length: size }, () => supervisor.connect('mem://down'));
  for (let i = 0; i < 10 && links.some((link) => !link.attached); i++) await turn();
  expect(links.every((link) => link.attached && link.state !== 'ready')).toBe(true);
  return { supervisor, links };
}

describe('when booked links start', () => {
  it('with 32 links not ready, a link booked starts on the microtask after connect()', async () => {
    const { supervisor } = await fleetDown(32);
    const late = supervisor.connect('mem://down');
    await microtasks();
    expect(late.attached).toBe(true);
    await supervisor.terminate();
  });

  it('with 33 links not ready, links booked wait for the next turn and start together', async () => {
    const { supervisor } = await fleetDown(33);
    const first = supervisor.connect('mem://down');
    await microtasks();
    const second = supervisor.connect('mem://down');
    await microtasks();
    expect([first.attached, second.attached]).toEqual([false, false]);
    await turn();
    expect([first.attached, second.attached]).toEqual([true, true]);
    expect(supervisor.status().links).toHaveLength(35);
    await supervisor.terminate();
  });
});
