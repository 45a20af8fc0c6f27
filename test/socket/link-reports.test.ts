/**
 * What a link reports to its parent (issue 11, the mass drop): a supervisor's links send the socket
 * chart only the reports it takes (each report is a step of the socket actor), so a drop is one
 * socket step (`link.unready`), not three; a member of a group still reports `link.lost` and
 * restarts its group; an application machine that spawns a link itself still gets every report.
 * Memory transport under the simulated clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type AnyActorRef, createActor, type InspectionEvent, setup, spawnChild } from 'xstate';
import { createSupervisor, defineLink, type Supervisor } from '../../src/index.js';
import { createMemoryNetwork, TestClock } from '../../src/testing/index.js';
import { closeOnClock } from '../helpers/clock-run.js';

const open: { supervisor: Supervisor; clock: TestClock }[] = [];

afterEach(async () => {
  for (const { supervisor, clock } of open.splice(0)) {
    await closeOnClock(supervisor, clock);
    expect(clock.pending).toBe(0);
  }
});

/** A supervisor on the memory transport, and the events its socket actor receives. */
function rig() {
  const clock = new TestClock();
  const network = createMemoryNetwork({ clock });
  const supervisor = createSupervisor({
    transport: network.transport,
    clock,
    heartbeat: false,
    backoff: { initialDelayMs: 100, maxDelayMs: 100, jitter: 'none' },
  });
  open.push({ supervisor, clock });
  const toSocket: string[] = [];
  supervisor.observe({
    next: (event: InspectionEvent) => {
      if (event.type === '@xstate.event' && (event.actorRef as AnyActorRef).id === 'socket')
        toSocket.push(event.event.type);
    },
  });
  return { clock, network, supervisor, toSocket };
}

describe('link reports to the socket chart', () => {
  it('a dropped single link reports only link.unready to the socket: not link.lost or link.reconnecting', async () => {
    const { clock, network, supervisor, toSocket } = rig();
    const server = network.listen('mem://a');
    const link = supervisor.connect('mem://a');
    const heard: string[] = [];
    for (const type of ['lost', 'reconnecting', 'ready'] as const) link.on(type, () => heard.push(type));
    await clock.advance(10);
    expect(link.state).toBe('ready');
    toSocket.length = 0;
    heard.length = 0;

    server.dropAll(1006);
    await clock.advance(10);
    expect(link.state).toBe('reconnecting');
    expect(toSocket.filter((t) => t.startsWith('link.'))).toEqual(['link.unready']);
    // The link's own listeners hear everything, as before.
    expect(heard).toEqual(['lost', 'reconnecting']);

    await clock.advance(200);
    expect(link.state).toBe('ready');
    expect(toSocket.filter((t) => t.startsWith('link.'))).toEqual(['link.unready', 'link.ready']);
    expect(supervisor.status().up).toBe(true);
  });

  it('a member of a group still reports link.lost, and its group restarts (one-for-all)', async () => {
    const { clock, network, supervisor, toSocket } = rig();
    const servers = [network.listen('mem://g0'), network.listen('mem://g1')];
    const group = supervisor.connectGroup(['mem://g0', 'mem://g1'], { id: 'g', strategy: 'one-for-all' });
    const restarts: string[] = [];
    group.on('restart', ({ cause, members }) => restarts.push(`${cause} -> ${members.join(',')}`));
    await clock.advance(10);
    expect(group.links.map((l) => l.state)).toEqual(['ready', 'ready']);
    toSocket.length = 0;

    (servers[0] as (typeof servers)[0]).dropAll(1006);
    await clock.advance(10);
    expect(toSocket).toContain('link.lost');
    expect(toSocket).not.toContain('link.reconnecting');
    expect(restarts).toEqual(['link:g/0 -> link:g/1']);
  });

  it('an application machine that spawns a link with spawnChild gets every report', async () => {
    const clock = new TestClock();
    const network = createMemoryNetwork({ clock });
    const server = network.listen('mem://feed');
    const feed = defineLink(
      'mem://feed',
      { heartbeat: false, backoff: { initialDelayMs: 100, maxDelayMs: 100, jitter: 'none' } },
      { transport: network.transport, clock },
    );
    const received: string[] = [];
    const app = createActor(
      setup({ actors: { feed: feed.machine } }).createMachine({
        entry: spawnChild('feed', {
          id: 'feed',
          input: ({ self }) => feed.input({ id: 'feed', parent: self as AnyActorRef }),
        }),
        on: { '*': { actions: ({ event }) => received.push(event.type) } },
      }),
      { clock },
    ).start();
    await clock.advance(10);
    server.dropAll(1006);
    await clock.advance(10);
    expect(received).toEqual(['link.ready', 'link.unready', 'link.lost', 'link.reconnecting']);
    app.stop();
    expect(clock.pending).toBe(0);
  });
});
