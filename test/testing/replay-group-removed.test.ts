/**
 * A recorded session in which a group ends before the supervisor closes replays identically: the
 * socket's `group.remove` (sent when every member has ended, none left to start) is a recorded
 * command the replay sends to the socket as it sends `group.add`. Before, the replay refused it
 * ("cannot replay the command group.remove to the socket") and the session diverged there. A new
 * group of the same name, connected after the first ended, replays under its own strategy.
 */
import { expect, it } from 'vitest';
import { createSupervisor } from '../../src/index.js';
import { createMemoryNetwork, replayTrace, TestClock } from '../../src/testing/index.js';
import { recordSession } from '../../src/trace/record-session.js';

it('a group that ends, then a new group of the same name, then close(): replay identical', async () => {
  const clock = new TestClock();
  const network = createMemoryNetwork({ clock, inProcess: false });
  const server = network.listen('mem://feed');
  const supervisor = createSupervisor({ transport: network.transport, clock, seed: 4 });
  const recorder = recordSession(supervisor);
  const first = supervisor.connectGroup(['mem://feed', 'mem://feed'], { id: 'g', heartbeat: false });
  await clock.advance(100);
  expect(first.up).toBe(true);
  await first.close();
  await clock.advance(100);
  // The same name again, another strategy: the chart knows it afresh (its counts from zero).
  const second = supervisor.connectGroup(['mem://feed', 'mem://feed', 'mem://feed'], {
    id: 'g',
    heartbeat: false,
    strategy: 'rest-for-one',
  });
  const restarts: string[][] = [];
  second.on('restart', ({ members }) => restarts.push(members));
  await clock.advance(100);
  expect(second.up).toBe(true);
  server.peers.at(-3)?.terminate(); // link:g/0 of the second group: g/1 and g/2 restart with it
  await clock.advance(5_000);
  expect(restarts).toEqual([['link:g/1', 'link:g/2']]);
  const closed = supervisor.close();
  await clock.advance(10_000);
  await closed;
  const trace = recorder.stop();
  const socketCommands = trace.records.flatMap((r) =>
    r.kind === 'event' && r.actor === 'socket' && r.event.type.startsWith('group.') ? [r.event.type] : [],
  );
  expect(socketCommands).toEqual(['group.add', 'group.remove', 'group.add']);
  expect((await replayTrace(trace)).message).toMatch(/^replay identical: \d+ steps of 4 actors/);
});
