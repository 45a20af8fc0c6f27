/**
 * One `wake` per time jump, however many links notice it in the same job: an application that
 * sends on each of its links right after the machine woke (each link's overdue check sees the jump)
 * raised one `wake` a link, each telling every link again (a probe ping of every ready link per
 * wake), where docs/supervisor.md promises one for all links noticing the jump within 1 s
 * (WAKE_COALESCE_MS). The wake was deferred to after the step and only counted once it ran, so
 * the links noticing the jump before then each deferred another. Memory transport, simulated clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSupervisor, type Supervisor } from '../../src/index.js';
import { createMemoryNetwork, TestClock } from '../../src/testing/index.js';
import { closeOnClock, runClock } from '../helpers/clock-run.js';

const URL = 'mem://svc';
const opened: { supervisor: Supervisor; clock: TestClock }[] = [];

afterEach(async () => {
  for (const { supervisor, clock } of opened.splice(0)) {
    await closeOnClock(supervisor, clock);
    expect(clock.pending).toBe(0);
  }
});

describe('a time jump noticed by several links in one job', () => {
  it('raises one wake: the socket chart hears network.wake once, each link is told once', async () => {
    const clock = new TestClock();
    const network = createMemoryNetwork({ clock });
    network.listen(URL);
    const supervisor = createSupervisor({
      transport: network.transport,
      clock,
      seed: 7,
      heartbeat: { intervalMs: 1_000, timeoutMs: 500 },
      backoff: { initialDelayMs: 30_000, maxDelayMs: 30_000, jitter: 'none' },
    });
    opened.push({ supervisor, clock });
    const links = [0, 1, 2, 3].map((i) => supervisor.connect(URL, { id: `l${i}` }));
    const waiting = supervisor.connect('mem://nowhere', { id: 'waiting' });
    await runClock(
      clock,
      300,
      () => links.every((link) => link.state === 'ready') && waiting.state === 'reconnecting',
      10,
    );
    /** `network.wake` heard by the socket actor, and the `network.online` it tells each link, by actor id. */
    const heard = new Map<string, number>();
    supervisor.observe((inspection) => {
      if (inspection.type !== '@xstate.event') return;
      const { type } = inspection.event;
      if (type !== 'network.wake' && type !== 'network.online') return;
      const key = `${(inspection.actorRef as unknown as { id: string }).id} ${type}`;
      heard.set(key, (heard.get(key) ?? 0) + 1);
    });
    clock.jump(60_000);
    for (const link of links) link.send('after sleep');
    await runClock(clock, 50, undefined, 10);
    expect(waiting.state).toBe('rejoining');
    expect(Object.fromEntries(heard)).toEqual({
      'socket network.wake': 1,
      'link:l0 network.online': 1,
      'link:l1 network.online': 1,
      'link:l2 network.online': 1,
      'link:l3 network.online': 1,
      'link:waiting network.online': 1,
    });
  });
});
