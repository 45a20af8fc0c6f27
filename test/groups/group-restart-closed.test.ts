/**
 * A group restart after a member was closed by the application: the closed member stays closed
 * (the socket chart's `link.restart` reaches no ended link), and the `restart` event's `members`
 * no longer lists it (it did: every member the strategy names, closed or failed ones too, so a
 * listener logged a restart of a link that was gone). Real `ws` servers on loopback.
 */
import { describe, expect, it } from 'vitest';
import type { GroupRestart } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

describe('group restart with a member closed by the application', () => {
  const h = useHarness();

  it('one-for-all: the closed member is neither restarted nor listed in `restart`', async () => {
    const s = await Promise.all([h.wsServer(), h.wsServer(), h.wsServer()]);
    const supervisor = h.supervisor(FAST);
    const group = supervisor.connectGroup(
      s.map((x) => x.url),
      { id: 'trio', strategy: 'one-for-all' },
    );
    const restarts: GroupRestart[] = [];
    group.on('restart', (restart) => restarts.push(restart));
    await waitFor(() => group.links.every((link) => link.state === 'ready'), { message: 'all ready' });
    await group.links[2]?.close();
    for (const ws of s[1]?.clients ?? []) ws.terminate();
    await waitFor(
      () => restarts.length === 1 && group.links[0]?.state === 'ready' && group.links[1]?.state === 'ready',
      {
        message: 'restarted and back',
      },
    );
    expect(restarts).toEqual([{ strategy: 'one-for-all', cause: 'link:trio/1', members: ['link:trio/0'] }]);
    expect(group.links[2]?.state).toBe('closed');
    expect(s[2]?.connections).toBe(1);
  });
});
