/**
 * A supervisor of many links (more than LINKS_BEFORE_ATTEMPT_START) starts them where `idle`'s
 * eventless transition takes them, without the microstep (machines/connection-start.ts;
 * BENCHMARKS.md round 20 (open)): the first link of a policy runs the chart as drawn, the next ones
 * the chart started in its attempt, and all of them go through the same states and events. A
 * supervisor of a few links, a link that waits in `idle`, and every link while an observer inspects
 * them (the `inspect` option, `observe()`: it sees each microstep, `idle`'s included) run the chart
 * as drawn. Memory network, simulated clock; structural assertions only.
 */
import { describe, expect, it } from 'vitest';
import type { InspectionEvent } from 'xstate';
import { LINKS_BEFORE_ATTEMPT_START } from '../../machines/policy/start.js';
import { createSupervisor, type Link, type SupervisorOptions } from '../../src/index.js';
import { createMemoryNetwork, TestClock } from '../../src/testing/index.js';

function world(options: Partial<SupervisorOptions> = {}, inProcess = false) {
  const clock = new TestClock();
  const network = createMemoryNetwork({ clock, inProcess });
  network.listen('mem://svc');
  const supervisor = createSupervisor({ transport: network.transport, clock, ...options });
  return { clock, supervisor };
}

/** Opens `n` links (autoConnect) and returns them ready, with the states each reported. */
async function open(clock: TestClock, supervisor: ReturnType<typeof createSupervisor>, n: number) {
  const links: Link[] = [];
  const states: string[][] = [];
  for (let i = 0; i < n; i++) {
    const link = supervisor.connect('mem://svc');
    const seen: string[] = [];
    link.on('state', ({ from, to }) => seen.push(`${from}→${to}`));
    links.push(link);
    states.push(seen);
  }
  let ready = 0;
  for (const link of links) void link.ready().then(() => ready++);
  // Bounded: a start slice waits for a turn of the event loop while many links are opening.
  for (let i = 0; i < 400 && ready < n; i++) {
    await clock.advance(50);
    await new Promise((resolve) => setImmediate(resolve));
  }
  expect(ready).toBe(n);
  return { links, states };
}

const logicOf = (link: Link) => (link.actor as unknown as { logic: unknown }).logic;
const MANY = LINKS_BEFORE_ATTEMPT_START + 3;

describe('links started without the microstep through idle', () => {
  for (const [inProcess, path] of [
    [false, ['idle→connecting', 'connecting→ready']],
    [true, ['idle→ready']],
  ] as const)
    it(`many links: the first of a policy runs the chart, the next ones its start in the attempt, through the same states (${inProcess ? 'in-process' : 'connecting'})`, async () => {
      const { clock, supervisor } = world({}, inProcess);
      const { links, states } = await open(clock, supervisor, MANY);
      const logics = links.map(logicOf);
      expect(logics[1]).not.toBe(logics[0]);
      expect(new Set(logics.slice(1)).size).toBe(1);
      expect(new Set(states.map((s) => JSON.stringify(s)))).toEqual(new Set([JSON.stringify(path)]));
      for (const link of links) expect(link.status().state).toBe('ready');
      await supervisor.terminate();
    });

  it('a few links, or links that wait in idle (autoConnect off): the chart as drawn', async () => {
    const few = world();
    const { links } = await open(few.clock, few.supervisor, 3);
    expect(new Set(links.map(logicOf)).size).toBe(1);
    await few.supervisor.terminate();
    const { clock, supervisor } = world();
    const waiting = Array.from({ length: MANY }, () =>
      supervisor.connect('mem://svc', { autoConnect: false }),
    );
    await clock.advance(50);
    expect(new Set(waiting.map(logicOf)).size).toBe(1);
    for (const link of waiting) expect(link.status().state).toBe('idle');
    await supervisor.terminate();
  });

  it('inspected (the inspect option, or observe()), every link runs the chart as drawn, idle included', async () => {
    const idleSteps: string[] = [];
    const inspect = (event: InspectionEvent) => {
      const taken = (event as { _transitions?: { source?: { id?: string } }[] })._transitions ?? [];
      if (event.type === '@xstate.microstep' && taken.some((t) => t.source?.id === 'connection.idle'))
        idleSteps.push((event.actorRef as unknown as { id: string }).id);
    };
    const inspected = world({ inspect });
    const { links } = await open(inspected.clock, inspected.supervisor, MANY);
    expect(new Set(links.map(logicOf)).size).toBe(1);
    expect(idleSteps).toEqual(links.map((link) => link.id));
    await inspected.supervisor.terminate();

    const later = world();
    const before = await open(later.clock, later.supervisor, MANY);
    idleSteps.length = 0;
    const subscription = later.supervisor.observe({ next: inspect });
    const after = await open(later.clock, later.supervisor, 2);
    subscription.unsubscribe();
    expect(idleSteps).toEqual(after.links.map((link) => link.id));
    expect(after.links.map(logicOf)).toEqual(after.links.map(() => logicOf(before.links[0] as Link)));
    await later.supervisor.terminate();
  });
});
