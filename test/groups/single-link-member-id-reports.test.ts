/**
 * A single link whose id looks like a group member's (`connect(url, { id: 'x/1' })`, no group
 * `x`) reports to the socket chart what a single link reports, as every other single link: since
 * round 42 the chart decides membership by its `context.groups` (group.add … group.remove), so a
 * `link.lost` of `link:x/1` is a step of the socket for nothing. The socket chart's `peerInput`
 * (machines/socket.machine.ts) still chose the reports by the id's shape (`groupOf(linkId)`), so
 * this link sent `link.lost` on every drop. A real ws server on loopback; what reaches the socket
 * actor read with the supervisor's `inspect` observer; a member of a real group `g` for contrast.
 * Fixed (round 43): `peerInput` reads membership from `context.groups`, or from the runtime when it
 * starts a link while the chart is mid-step (./group-connected-mid-step.test.ts); this test failed
 * with the id-shaped choice (checked by reverting machines/socket.machine.ts).
 */
import { describe, expect, it } from 'vitest';
import type { InspectionEvent } from 'xstate';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

describe('a single link with a member-shaped id reports as a single link', () => {
  const h = useHarness();

  it("connect(url, { id: 'x/1' }) sends the socket no link.lost on a drop; a member g/0 does", async () => {
    const server = await h.wsServer();
    const toSocket: string[] = [];
    let socket: unknown = null;
    const supervisor = h.supervisor({
      ...FAST,
      inspect: (event: InspectionEvent) => {
        if (event.type !== '@xstate.event' || event.actorRef !== socket) return;
        const { type, linkId } = event.event as { type: string; linkId?: string };
        if (type.startsWith('link.')) toSocket.push(`${type} ${linkId}`);
      },
    });
    socket = (supervisor as unknown as { socket: unknown }).socket;
    const single = supervisor.connect(server.url, { id: 'x/1' });
    const group = supervisor.connectGroup([server.url], { id: 'g' });
    await Promise.all([single.ready(), group.ready()]);
    let readies = 0;
    single.on('ready', () => readies++);
    group.links[0]?.on('ready', () => readies++);
    for (const peer of server.clients) peer.terminate();
    await waitFor(() => readies === 2, { message: 'both links ready again after the drop' });
    expect(toSocket).toContain('link.lost link:g/0');
    expect(toSocket).toContain('link.unready link:x/1');
    expect(toSocket).not.toContain('link.lost link:x/1');
  });
});
