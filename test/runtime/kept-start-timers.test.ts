/**
 * A replayed start's timer (machines/kept-start.ts) is XState's: the connect timeout a later link
 * of a policy arms at its start is scheduled under the id its chart cancels it by, so a replayed
 * link that opens, is dropped, reconnects and closes leaves no timer behind, as the first link of
 * its policy (XState's own start) does not.
 */
import { describe, expect, it } from 'vitest';
import type { AnyActorRef, InspectionEvent } from 'xstate';
import { FAST, useHarness } from '../helpers/harness.js';

/** The events scheduled for `actor` (by the system's scheduler), by id. */
function timersOf(actor: AnyActorRef): string[] {
  const scheduled = Object.values(actor.system.getSnapshot()._scheduledEvents) as {
    source: AnyActorRef;
    id: string;
  }[];
  return scheduled.filter(({ source }) => source === actor).map(({ id }) => id);
}

async function until(what: string, done: () => boolean, limitMs = 5_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`not within ${limitMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("a replayed link's timers", () => {
  const h = useHarness();

  it('opens, is dropped, reconnects and closes with no timer left, as the first link of its policy', async () => {
    const server = await h.wsServer();
    const actors = new Map<string, AnyActorRef>();
    const inspect = (event: InspectionEvent) => {
      const ref = event.actorRef as AnyActorRef;
      if (event.type === '@xstate.actor') actors.set(ref.id, ref);
    };
    // A policy of this test alone (its connect timeout): link:a is XState's start, link:b a replay.
    const supervisor = h.supervisor({ ...FAST, connectTimeoutMs: 4_567, inspect });
    const links = ['a', 'b'].map((id) => supervisor.connect(server.url, { id }));
    await Promise.all(links.map((link) => link.ready()));
    const [a, b] = ['link:a', 'link:b'].map((id) => actors.get(id) as AnyActorRef);
    expect(a && b).toBeTruthy();
    // Open: each link's connect timeout cancelled by its id (ready's own timer aside).
    const open = ['xstate.after.stableAfter.connection.attempt.ready.unmonitored'];
    expect(timersOf(a as AnyActorRef)).toEqual(open);
    expect(timersOf(b as AnyActorRef)).toEqual(open);

    for (const socket of server.clients) socket.terminate();
    await until(
      'both links reconnect',
      () => server.connections === 4 && links.every((l) => l.state === 'ready'),
    );
    expect(timersOf(a as AnyActorRef)).toEqual(open);
    expect(timersOf(b as AnyActorRef)).toEqual(open);

    await Promise.all(links.map((link) => link.close()));
    expect(links.map((link) => link.state)).toEqual(['closed', 'closed']);
    expect(timersOf(a as AnyActorRef)).toEqual([]);
    expect(timersOf(b as AnyActorRef)).toEqual([]);
  });
});
