/**
 * An inspector attached late (startInspector without the collector given to createSupervisor)
 * watches each XState system once: a supervisor's links share their shard's system, so attaching
 * every link subscribed that system once per link (each inspection event handled up to 63 times,
 * a subscription kept per link ever seen). A subscription is released when its system's root ends
 * (a shard whose links all ended, a stopped watcher): under churn the inspector holds one per live
 * system, not one per system ever made.
 */
import { describe, expect, it } from 'vitest';
import type { AnyActorRef } from 'xstate';
import { LINKS_PER_SHARD } from '../../machines/policy/shard.js';
import { createInspector } from '../../src/inspector/create-inspector.js';
import { startInspector } from '../../src/inspector/start-inspector.js';
import { createStatusPoll } from '../../src/inspector/status-poll.js';
import type { Supervisor } from '../../src/runtime/supervisor.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

/** The XState systems the supervisor's live shards root (the count the inspector must come back to). */
function liveShards(supervisor: Supervisor): number {
  return (supervisor as unknown as { starter: { shards: { systems(): unknown[] } } }).starter.shards.systems()
    .length;
}

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

  it('releases a shard system when the shard ends and a watcher system when the watcher stops', async () => {
    const ws = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    const inspector = createInspector();
    h.defer(() => inspector.dispose());
    const { poll } = createStatusPoll(supervisor, inspector, true, () => []);

    // Stay for the supervisor's life: the socket's system and this watcher's.
    supervisor.watch({ name: 'keep', probe: async () => {}, pollIntervalMs: 60_000 });
    const churn = async (round: number) => {
      const watcher = supervisor.watch({ name: `w${round}`, probe: async () => {}, pollIntervalMs: 60_000 });
      const links = Array.from({ length: 2 * LINKS_PER_SHARD }, (_, i) =>
        supervisor.connect(ws.url, { id: `r${round}-${i}` }),
      );
      await Promise.all(links.map((link) => link.ready()));
      poll();
      const during = inspector.attachedSystems();
      await Promise.all([...links.map((link) => link.close()), watcher.stop()]);
      return during;
    };

    const rounds: { during: number; after: number; live: number }[] = [];
    for (let round = 0; round < 3; round++) {
      const during = await churn(round);
      rounds.push({ during, after: inspector.attachedSystems(), live: liveShards(supervisor) });
    }
    // During a round: its two shards, the socket, two watchers.
    for (const { during } of rounds) expect(during).toBeGreaterThanOrEqual(2 + 1 + 2);
    // After it: the live shards (none: a round fills two exactly), the socket, the watcher that stays.
    for (const { after, live } of rounds) expect(after).toBe(live + 1 + 1);
    expect(rounds.at(-1)?.after).toBe(rounds[0]?.after);
  });
});
