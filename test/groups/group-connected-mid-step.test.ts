/**
 * A one-for-all group connected from user code that runs while a link or the socket chart is
 * busy still restarts as a group: a dropped member sends the socket `link.lost` and every member
 * restarts. Two ways in:
 * - from a link's `state` listener: the socket is between steps, `group.add` and the members'
 *   `peer.add` are each one step, the chart's `spawnPeers` starts the members;
 * - from the supervisor's `inspect` observer while the socket is mid-step (its snapshot after a
 *   `link.ready`), reading a member's `actor` (which starts it at once): `group.add` and `peer.add`
 *   are only queued behind the current step, so the runtime starts the member itself
 *   (src/runtime/link-starter.ts `startQueuedLinks`, the late path) with `peerInput` of a context
 *   that has no group `g` yet. Membership read from that context (the chart's `context.groups`,
 *   what a single link 'x/1' needs: ./single-link-member-id-reports.test.ts) gave the member a
 *   single link's reports: no `link.lost`, no restart. The runtime knows the member's group, so it
 *   says so in the late path (`peerInput(context, input, member)`).
 * Real ws servers on loopback; checked: the inspect case fails with the context-only peerInput.
 */
import { describe, expect, it } from 'vitest';
import type { InspectionEvent } from 'xstate';
import type { GroupRestart, Link, LinkGroup } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

describe('a one-for-all group connected from a listener or observer restarts as a group', () => {
  const h = useHarness();

  for (const from of ['state listener', 'inspect observer mid-step'] as const) {
    it(`from a ${from}: a dropped member restarts every member`, async () => {
      const [a, s0, s1] = await Promise.all([h.wsServer(), h.wsServer(), h.wsServer()]);
      let group: LinkGroup | null = null;
      let memberStartedBeforeGroupAdd: boolean | null = null;
      let socket: unknown = null;
      const connectGroup = () => {
        if (group) return;
        group = supervisor.connectGroup([s0.url, s1.url], { id: 'g', strategy: 'one-for-all' });
        // Reading a member's actor starts it now (and every link booked before it).
        void group.links[0]?.actor;
      };
      const inspect = (event: InspectionEvent) => {
        // The socket's snapshot after each step it took, by the event of that step.
        if (event.actorRef !== socket || event.type !== '@xstate.snapshot') return;
        const { type } = event.event;
        if (type === 'group.add') {
          const member = group?.links[0] as unknown as { attached: boolean } | undefined;
          memberStartedBeforeGroupAdd ??= member?.attached === true;
        }
        if (from === 'inspect observer mid-step' && type === 'link.ready') connectGroup();
      };
      const supervisor = h.supervisor({ ...FAST, inspect });
      socket = (supervisor as unknown as { socket: unknown }).socket;
      const first: Link = supervisor.connect(a.url, { id: 'a' });
      if (from === 'state listener') first.on('state', connectGroup);
      await waitFor(() => group !== null, { message: 'group connected' });
      const g = group as unknown as LinkGroup;
      const restarts: GroupRestart[] = [];
      g.on('restart', (restart) => restarts.push(restart));
      await waitFor(() => g.links.every((link) => link.state === 'ready'), { message: 'members ready' });
      // The late path was (or was not) the one taken: the member started before the socket took group.add.
      expect(memberStartedBeforeGroupAdd).toBe(from === 'inspect observer mid-step');
      // g/0 is the member started first (in the late path, by the runtime): drop it.
      for (const peer of s0.clients) peer.terminate();
      await waitFor(
        () =>
          restarts.length === 1 && g.links.every((link) => link.state === 'ready') && s1.connections === 2,
        { message: 'the group restarted: g/1 reconnected too' },
      );
      expect(restarts).toEqual([{ strategy: 'one-for-all', cause: 'link:g/0', members: ['link:g/1'] }]);
      expect(a.connections).toBe(1);
    });
  }
});
