/**
 * A link id may contain '/', but the socket chart reads a link's group from its id
 * (`link:<group>/<member>`): a single link `<group>/<anything>` beside a live group `<group>` was
 * counted as one of its members (the group reported `up` while none of its members was ready).
 * Either order is refused with LV_ERR_DUPLICATE_ID (option `id`); unrelated ids stay allowed.
 * Real ws server on 127.0.0.1 port 0, and a closed port for a member that never connects.
 */
import { describe, expect, it } from 'vitest';
import { FAST, useHarness } from '../helpers/harness.js';
import { sleep } from '../helpers/wait.js';

const duplicate = expect.objectContaining({ code: 'LV_ERR_DUPLICATE_ID', option: 'id' });

describe('group ids and link ids with a slash', () => {
  const h = useHarness();

  it('connect({ id: "<group>/…" }) beside a live group, and connectGroup() beside such a link, are refused', async () => {
    const server = await h.wsServer();
    const down = (await h.keptPort()).url();
    const supervisor = h.supervisor(FAST);
    const group = supervisor.connectGroup([down], { id: 'svc', strategy: 'one-for-all' });
    const edges: string[] = [];
    group.on('up', () => edges.push('up'));
    expect(() => supervisor.connect(server.url, { id: 'svc/eu' })).toThrow(duplicate);
    expect(() => supervisor.connect(server.url, { id: 'svc/7' })).toThrow(duplicate);

    const single = supervisor.connect(server.url, { id: 'eu/primary' });
    expect(() => supervisor.connectGroup([down], { id: 'eu' })).toThrow(duplicate);
    // Unrelated: a group 'e', a link 'svcx/1'.
    supervisor.connectGroup([down], { id: 'e' });
    await supervisor.connect(server.url, { id: 'svcx/1' }).ready();
    await single.ready();
    await sleep(50);
    expect(edges).toEqual([]);
    expect(group.up).toBe(false);
    expect(
      supervisor
        .status()
        .links.map((link) => link.id)
        .sort(),
    ).toEqual(['link:e/0', 'link:eu/primary', 'link:svc/0', 'link:svcx/1']);
  });
});
