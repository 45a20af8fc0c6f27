/**
 * An inspector attached late (startInspector without the collector given to createSupervisor)
 * watches each XState system once: a supervisor's links share their shard's system, so attaching
 * every link subscribed that system once per link (each inspection event handled up to 63 times,
 * a subscription kept per link ever seen).
 */
import { describe, expect, it } from 'vitest';
import type { AnyActorRef } from 'xstate';
import { startInspector } from '../../src/inspector/start-inspector.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

describe('inspector: late attachment', () => {
  const h = useHarness();

  it('subscribes the system the links share once, whatever the number of links', async () => {
    const { url } = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    const links = Array.from({ length: 5 }, (_, i) => supervisor.connect(url, { id: `l${i}` }));
    await Promise.all(links.map((link) => link.ready()));
    // Count the subscriptions each system gets (the real systems, their own inspect()).
    const subscriptions = new Map<AnyActorRef['system'], number>();
    for (const link of links) {
      const system = link.actor.system;
      if (subscriptions.has(system)) continue;
      subscriptions.set(system, 0);
      const inspect = system.inspect.bind(system);
      system.inspect = ((observer: Parameters<typeof inspect>[0]) => {
        subscriptions.set(system, (subscriptions.get(system) ?? 0) + 1);
        return inspect(observer);
      }) as typeof system.inspect;
    }
    expect(subscriptions.size).toBe(1);

    const server = await startInspector(supervisor);
    h.defer(() => server.close());
    await waitFor(() => links.every((link) => server.inspector.get(link.id) !== undefined), {
      message: 'every link attached',
    });
    expect([...subscriptions.values()]).toEqual([1]);
  });
});
