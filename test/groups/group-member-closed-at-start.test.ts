/**
 * A group member closed before its siblings started (right after `connectGroup()`, or in the
 * supervisor's `link` listener) kept the group's strategy: the socket chart counts a group by its
 * live members and forgot the group (its strategy and size) when that first member, started alone,
 * ended before the others were counted; they were then counted as a new `one-for-one` group of no
 * size. A `rest-for-one` group stopped restarting the members after a lost one, and a `one-for-all`
 * group emitted `up` while `group.up` read false (and restarted nobody). Real `ws` servers on
 * loopback. Round 41 started a group's members together (a start-queue workaround); round 42 keeps
 * the group in the chart until it has ended (`group.remove`), and the workaround is gone.
 */
import { describe, expect, it } from 'vitest';
import type { GroupRestart, GroupStrategy, LinkGroup, Supervisor } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import type { WsTestServer } from '../helpers/servers.js';
import { sleep, waitFor } from '../helpers/wait.js';

describe('a group member closed before its siblings started', () => {
  const h = useHarness();

  /** Three servers, and a group on them whose first member is closed at once by `closeFirst`. */
  async function trio(
    strategy: GroupStrategy,
    closeFirst: (supervisor: Supervisor, group: () => LinkGroup) => void,
  ) {
    const s = await Promise.all([h.wsServer(), h.wsServer(), h.wsServer()]);
    const supervisor = h.supervisor(FAST);
    let made: LinkGroup | undefined;
    const group = () => made as LinkGroup;
    closeFirst(supervisor, group);
    made = supervisor.connectGroup(
      s.map((x) => x.url),
      { id: 'trio', strategy },
    );
    const log: string[] = [];
    const restarts: GroupRestart[] = [];
    made.on('up', () => log.push(`up (group.up ${made?.up})`));
    made.on('restart', (restart) => restarts.push(restart));
    return { s, group: made, log, restarts };
  }

  const atOnce = (_: Supervisor, group: () => LinkGroup) => {
    queueMicrotask(() => void group().links[0]?.close());
  };
  const inLinkListener = (supervisor: Supervisor) => {
    supervisor.on('link', (link) => {
      if (link.id === 'link:trio/0') void link.close();
    });
  };

  for (const [how, closeFirst] of [
    ['right after connectGroup()', atOnce],
    ["in the supervisor's link listener", inLinkListener],
  ] as const) {
    it(`rest-for-one, closed ${how}: the member after a lost one still restarts`, async () => {
      const { s, group, restarts } = await trio('rest-for-one', closeFirst);
      await waitFor(() => group.links[1]?.state === 'ready' && group.links[2]?.state === 'ready', {
        message: 'members 1 and 2 ready',
      });
      expect(group.links[0]?.state).toBe('closed');
      for (const ws of (s[1] as WsTestServer).clients) ws.terminate();
      await waitFor(() => restarts.length === 1, { message: 'the group restarted member 2' });
      expect(restarts).toEqual([
        { strategy: 'rest-for-one', cause: 'link:trio/1', members: ['link:trio/2'] },
      ]);
      await waitFor(() => (s[2] as WsTestServer).connections === 2, { message: 'member 2 reconnected' });
    });

    it(`one-for-all, closed ${how}: never up (a member has ended), and a loss restarts the rest`, async () => {
      const { s, group, log, restarts } = await trio('one-for-all', closeFirst);
      await waitFor(() => group.links[1]?.state === 'ready' && group.links[2]?.state === 'ready', {
        message: 'members 1 and 2 ready',
      });
      await sleep(20);
      expect(group.up).toBe(false);
      expect(log).toEqual([]);
      for (const ws of (s[1] as WsTestServer).clients) ws.terminate();
      await waitFor(() => restarts.length === 1, { message: 'the group restarted member 2' });
      expect(restarts).toEqual([{ strategy: 'one-for-all', cause: 'link:trio/1', members: ['link:trio/2'] }]);
      expect(log).toEqual([]);
    });
  }
});
