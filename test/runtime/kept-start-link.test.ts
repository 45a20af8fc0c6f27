/**
 * A supervised link's start is kept per policy (machines/kept-start.ts): the first link of a
 * policy starts as XState starts it, the later ones replay that start with their own context. The
 * inspector sees the same of every link's start (its actor, the init event, the same actions with
 * the same params, its first snapshot), each link opens its own socket and arms its own connect
 * timeout, and a later link that never connects times out as the first would.
 */
import { describe, expect, it } from 'vitest';
import type { AnyActorRef, InspectionEvent } from 'xstate';
import { TestClock } from '../../src/testing/index.js';
import { FAST, useHarness } from '../helpers/harness.js';

/** What the inspector sees of a link's actor, its id left out (the same for every link). */
function seenOf(event: InspectionEvent, id: string): string | null {
  const self = event.actorRef as AnyActorRef;
  if (self.id !== id) return null;
  const strip = (text: string) => text.replaceAll(id, '<link>');
  switch (event.type) {
    case '@xstate.actor':
      return 'actor';
    case '@xstate.event':
      return `event ${event.event.type}`;
    case '@xstate.action':
      return strip(`action ${JSON.stringify(event.action)}`);
    case '@xstate.microstep':
      return `microstep ${event.event.type}`;
    case '@xstate.snapshot':
      return strip(
        `snapshot ${event.event.type} ${JSON.stringify((event.snapshot as { value?: unknown }).value)}`,
      );
    default:
      return null;
  }
}

describe("a supervised link's kept start", () => {
  const h = useHarness();

  it('shows the inspector what the first link of its policy showed, and each link opens its own socket', async () => {
    const server = await h.wsServer();
    const events: InspectionEvent[] = [];
    // A policy of this test alone (its connect timeout): its first link is XState's start.
    const supervisor = h.supervisor({ ...FAST, connectTimeoutMs: 4_321, inspect: (e) => events.push(e) });
    const links = ['a', 'b', 'c'].map((id) => supervisor.connect(server.url, { id }));
    await Promise.all(links.map((link) => link.ready()));
    const seen = links.map(({ id }) => events.map((e) => seenOf(e, id)).filter((s) => s !== null));
    expect(seen[0]?.slice(0, 5)).toEqual([
      'actor',
      'event xstate.init',
      'action {"type":"openTransport"}',
      expect.stringMatching(/^action \{"type":"xstate.raise","params":\{"event":.*"delay":4321\}\}$/),
      'snapshot xstate.init {"attempt":"connecting"}',
    ]);
    expect(seen[1]).toEqual(seen[0]);
    expect(seen[2]).toEqual(seen[0]);
    // Kept: the later links' first snapshots share the first one's tags (XState makes a set a snapshot).
    const firsts = links.map(
      ({ id }) =>
        events.find(
          (e) => e.type === '@xstate.snapshot' && (e.actorRef as AnyActorRef).id === id,
        ) as InspectionEvent & { snapshot: { tags: unknown; context: { linkId: string } } },
    );
    expect(firsts[2]?.snapshot.tags).toBe(firsts[1]?.snapshot.tags);
    expect(firsts.map((e) => e.snapshot.context.linkId)).toEqual(['link:a', 'link:b', 'link:c']);
    expect(server.wss.clients.size).toBe(3);
  });

  it("a later link that never connects times out after its policy's connect timeout, as the first", async () => {
    const clock = new TestClock();
    // A port nobody answers on in time: a TCP server that never upgrades.
    const silent = await h.netServer(() => {});
    const supervisor = h.supervisor({ ...FAST, clock, connectTimeoutMs: 3_456, backoff: { maxAttempts: 0 } });
    const reasons: string[] = [];
    const links = ['x', 'y'].map((id) => supervisor.connect(`ws://127.0.0.1:${silent.port}/`, { id }));
    for (const link of links) link.on('failed', ({ reason }) => reasons.push(`${link.id} ${reason.message}`));
    await clock.advance(3_455);
    expect(links.map((link) => link.state)).toEqual(['connecting', 'connecting']);
    await clock.advance(5_000);
    expect(reasons.sort()).toEqual([
      'link:x gave up after 0 retries; last reason: no connection within 3456 ms',
      'link:y gave up after 0 retries; last reason: no connection within 3456 ms',
    ]);
  });
});
