/**
 * The inspector's status poll, attaching late to a supervisor's links (startInspector without the
 * collector), does not start the links still waiting for their turn: reading a link's actor starts
 * it and every link booked before it, so each poll during a mass open started them all in one
 * synchronous run. A booked link is attached by a poll after it has started.
 */
import { describe, expect, it, vi } from 'vitest';
import { createInspector } from '../../src/inspector/create-inspector.js';
import { createStatusPoll } from '../../src/inspector/status-poll.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

describe('inspector status poll: links booked by connect()', () => {
  const h = useHarness();

  it('are left to start in their turn, and attached once started', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    const inspector = createInspector();
    h.defer(() => inspector.dispose());
    const { poll } = createStatusPoll(supervisor, inspector, true, () => []);
    const links = Array.from({ length: 100 }, (_, i) => supervisor.connect(server.url, { id: `l${i}` }));
    poll();
    expect(links.filter((link) => link.attached)).toHaveLength(0);

    await Promise.all(links.map((link) => link.ready()));
    poll();
    await waitFor(() => links.every((link) => inspector.get(link.id)?.state === 'ready'), {
      message: 'every link attached and shown ready',
    });
  });
});

describe('inspector status poll: watchers', () => {
  const h = useHarness();

  it("attaches a watcher late without reading every link's status (no status() per poll)", async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    const inspector = createInspector();
    h.defer(() => inspector.dispose());
    const links = Array.from({ length: 20 }, (_, i) => supervisor.connect(server.url, { id: `w${i}` }));
    await Promise.all(links.map((link) => link.ready()));
    const watcher = supervisor.watch({ name: 'db', probe: async () => {}, pollIntervalMs: 60_000 });
    const attached: unknown[] = [];
    const attach = inspector.attach.bind(inspector);
    inspector.attach = (actor) => {
      attached.push(actor);
      attach(actor);
    };
    // status() builds every link's status: a poll each second at 10,000 links is O(links) for
    // nothing but the watchers' names.
    const status = vi.spyOn(supervisor, 'status');
    const { poll } = createStatusPoll(supervisor, inspector, true, () => []);
    poll();
    poll();
    expect(status).not.toHaveBeenCalled();
    expect(attached.filter((actor) => actor === watcher.actor)).toHaveLength(1);
  });
});
