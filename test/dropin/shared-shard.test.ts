/**
 * Drop-ins share XState systems (src/runtime/standalone-links.ts, BENCHMARKS.md round 18 (drop-in
 * heap)): a drop-in's link without an inspect observer is a child of a standalone shard
 * (machines/shard.machine.ts) whose system it shares with other drop-ins; one with an inspect
 * observer is the root of its own. What sharing must not change: ids `link:ws-N`, an observer
 * sees its own link only, a user callback that throws on one drop-in leaves the others alone, and
 * a closed drop-in's link leaves no timer in the shared scheduler.
 */

import { describe, expect, it } from 'vitest';
import type { AnyActorRef, InspectionEvent } from 'xstate';
import { ReconnectingWebSocket } from '../../src/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { dropIn, FAST, nextWsEvent } from './helpers.js';

/** The timers the scheduler of `actor`'s system holds for `actor`. */
function timersOf(actor: AnyActorRef): number {
  const system = actor.system as unknown as {
    getSnapshot(): { _scheduledEvents: Record<string, { source: AnyActorRef }> };
  };
  return Object.values(system.getSnapshot()._scheduledEvents).filter((event) => event.source === actor)
    .length;
}

describe('drop-in: links in shared shards', () => {
  const h = useHarness();

  it('drop-ins share a system, ids stay link:ws-N; one with an inspect observer has its own and sees only its link', async () => {
    const server = await h.wsServer();
    const a = dropIn(h, server.url, undefined, FAST);
    const b = dropIn(h, server.url, undefined, FAST);
    const seen = new Set<string>();
    const c = dropIn(h, server.url, undefined, {
      ...FAST,
      inspect: (event: InspectionEvent) => {
        if (event.type === '@xstate.snapshot') seen.add((event.actorRef as AnyActorRef).id);
      },
    });
    await Promise.all([a, b, c].map((rws) => nextWsEvent(rws, 'open')));
    for (const rws of [a, b, c]) expect(rws.link?.id).toMatch(/^link:ws-\d+$/);
    expect(new Set([a, b, c].map((rws) => rws.link?.id)).size).toBe(3);
    expect(a.link?.actor.system).toBe(b.link?.actor.system);
    expect(c.link?.actor.system).not.toBe(a.link?.actor.system);
    expect([...seen]).toEqual([c.link?.id]);
  });

  it("a drop-in's throwing callbacks fail none of the drop-ins sharing its system", async () => {
    const server = await h.wsServer({
      onConnection: (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })),
    });
    const throwing = dropIn(h, server.url, undefined, {
      ...FAST,
      shouldReconnectOnClose: () => {
        throw new Error('boom (test)');
      },
    });
    const other = dropIn(h, server.url, undefined, FAST);
    await Promise.all([throwing, other].map((rws) => nextWsEvent(rws, 'open')));
    expect(throwing.link?.actor.system).toBe(other.link?.actor.system);
    const linkErrors: string[] = [];
    throwing.link?.on('error', (error) => linkErrors.push(error.code));
    throwing.link?.on('state', () => {
      throw new Error('listener boom (test)');
    });
    const closed = nextWsEvent(throwing, 'close');
    // The server drops the first drop-in's socket: its shouldReconnectOnClose and its state
    // listener throw.
    [...server.clients][0]?.terminate();
    await closed;
    await waitFor(() => linkErrors.length >= 2, { timeoutMs: 5_000 });
    expect(linkErrors.every((code) => code === 'LV_ERR_LISTENER')).toBe(true);
    expect(other.readyState).toBe(ReconnectingWebSocket.OPEN);
    const echo = nextWsEvent<MessageEvent>(other, 'message');
    other.send('still here');
    expect((await echo).data).toBe('still here');
  });

  it("close(): the drop-in's link ends and leaves no timer in the shared scheduler", async () => {
    const server = await h.wsServer();
    const rws = dropIn(h, server.url, undefined, { ...FAST, heartbeat: { intervalMs: 60_000 } });
    const neighbour = dropIn(h, server.url, undefined, { ...FAST, heartbeat: { intervalMs: 60_000 } });
    await Promise.all([rws, neighbour].map((socket) => nextWsEvent(socket, 'open')));
    const actor = rws.link?.actor as AnyActorRef;
    expect(actor.system).toBe(neighbour.link?.actor.system);
    expect(timersOf(actor)).toBeGreaterThan(0); // the heartbeat's
    rws.close();
    await rws.link?.ended();
    expect(actor.getSnapshot().status).toBe('done');
    expect(timersOf(actor)).toBe(0);
    expect(timersOf(neighbour.link?.actor as AnyActorRef)).toBeGreaterThan(0);
  });
});
