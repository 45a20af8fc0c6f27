/**
 * What a closing socket costs the server: ONE farewell chart per `resumable` server, whatever the
 * number of sockets it closes (an actor per socket cost ~5 KB and an actor start each: a `close()`
 * of 5,000 sessions took ~1.5× main's CPU and ~2.4× its peak heap; BENCHMARKS.md, round 35, server
 * close timer review), and ONE chart event for the sockets closed in one turn (an event per socket
 * cost ~1.35× the CPU of plain timers: round 36). A real ws server on 127.0.0.1, port 0, and 100
 * real clients that answer.
 */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { InspectionEvent } from 'xstate';
import { resumable } from '../../src/server/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

const COUNT = 100;

describe('resumable(wss): the sockets it closes', () => {
  const h = useHarness();

  it(`${COUNT} sockets closed by close(): one farewell actor, one event a turn, stopped when close() resolves`, async () => {
    const server = await h.wsServer();
    const farewells = new Set<unknown>();
    const events: string[] = [];
    const inspect = (event: InspectionEvent) => {
      if (event.type === '@xstate.event' && farewells.has(event.actorRef)) events.push(event.event.type);
      const snapshot =
        event.type === '@xstate.snapshot' ? (event.snapshot as { machine?: { id: string } }) : null;
      if (snapshot?.machine?.id === 'farewell') {
        farewells.add(event.actorRef);
      }
    };
    const rs = resumable(server.wss, { inspect });
    const clients = Array.from({ length: COUNT }, () => {
      const ws = new WebSocket(server.url);
      ws.on('error', () => {});
      h.defer(() => ws.terminate());
      return ws;
    });
    await waitFor(() => server.wss.clients.size === COUNT, { message: 'all open', timeoutMs: 30_000 });
    await rs.close();
    expect(farewells.size).toBe(1);
    expect(
      [...farewells].map((actor) => (actor as { getSnapshot(): { status: string } }).getSnapshot().status),
    ).toEqual(['stopped']);
    expect(server.wss.clients.size).toBe(0);
    // ONE event for the close frames of close()'s one turn; the answers, gathered per turn of the
    // event loop, in fewer events than sockets (an event per socket cost ~1.35× the CPU).
    const count = (type: string) => events.filter((e) => e === type).length;
    expect(count('farewell.closing')).toBe(1);
    expect(count('farewell.closed')).toBeGreaterThanOrEqual(1);
    expect(count('farewell.closed')).toBeLessThan(COUNT);
    await waitFor(() => clients.every((ws) => ws.readyState === ws.CLOSED), { message: 'all closed' });
  }, 60_000);
});
