/**
 * The farewell chart tests the server: its shortest paths (each state by its incoming edge), each
 * run against `resumable(wss)` on a real `ws` server (127.0.0.1, port 0) whose `close()` closes two
 * sockets: one carrying a session (closed by the session's end, src/server/resumable-session.ts)
 * and one that never said hello (closed by the server, src/server/resumable.ts). `farewell.closed`
 * is a peer that answers the close frame (a plain `ws` client does), the timeout a peer that
 * stopped reading (its socket paused): it is terminated after SERVER_CLOSE_TIMEOUT_MS, on the
 * system clock as ws's own close timer (src/server/close-socket.ts), so that path waits the
 * policy's 5 s for real, with generous bounds. Every path ends with every farewell chart done and
 * no timer left; then a gate fails if any state or transition of the chart was not exercised by
 * the server.
 */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ActorRefLike, EventObject, InspectionEvent, SnapshotFrom } from 'xstate';
import { TestModel } from 'xstate/graph';
import { farewellMachine } from '../../machines/farewell.machine.js';
import { SERVER_CLOSE_TIMEOUT_MS } from '../../machines/policy/resume.js';
import { encodeHello, PROTOCOL_VERSION } from '../../src/resume/frames.js';
import { resumable } from '../../src/server/index.js';
import { ChartCoverage } from '../../src/testing/chart-coverage.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

type FarewellSnapshot = SnapshotFrom<typeof farewellMachine>;

const TIMEOUT = 'xstate.after.closeTimeout.farewell.waiting';
const catalog: EventObject[] = [{ type: 'farewell.closed' }, { type: TIMEOUT }];

const model = new TestModel(farewellMachine as never, {
  events: (snapshot: FarewellSnapshot) =>
    snapshot.status === 'done' ? [] : catalog.filter((event) => snapshot.can(event as never)),
  serializeState: ((
    snapshot: FarewellSnapshot,
    event: EventObject | undefined,
    previous?: FarewellSnapshot,
  ) => JSON.stringify([snapshot.value, previous?.value ?? null, event?.type ?? 'init'])) as never,
});

const coverage = new ChartCoverage([farewellMachine]);

/** Live timers of this process. */
const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

/** A client socket, open; `stall()` stops it reading (it never answers a close frame). */
async function openSocket(url: string) {
  const ws = new WebSocket(url);
  ws.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const stall = () => (ws as unknown as { _socket: { pause(): void } })._socket.pause();
  return { ws, stall };
}

describe.sequential('farewell chart: generated paths against resumable(wss)', () => {
  const h = useHarness();
  const paths = model.getShortestPaths() as unknown as {
    steps: { event: EventObject; state: FarewellSnapshot }[];
  }[];

  it(`runs ${paths.length} paths against a resumable server (a session's socket and one without)`, async () => {
    expect(paths.length).toBe(2);
    expect(SERVER_CLOSE_TIMEOUT_MS).toBeLessThan(30_000);
    const server = await h.wsServer();
    /** The close code each server-side socket ended with (1006: terminated). */
    const serverCodes: number[] = [];
    server.wss.on('connection', (ws) => ws.on('close', (code) => serverCodes.push(code)));
    for (const path of paths) {
      const last = path.steps[path.steps.length - 1]?.event.type;
      const silent = last === TIMEOUT;
      const description = silent ? 'a peer that never answers' : 'a peer that answers';
      serverCodes.length = 0;
      const before = timers();
      const charts = new Map<ActorRefLike, unknown>();
      const inspect = (event: InspectionEvent) => {
        coverage.observer(event);
        if (event.type !== '@xstate.snapshot') return;
        const snapshot = event.snapshot as FarewellSnapshot;
        if (snapshot.machine?.id === 'farewell') charts.set(event.actorRef, snapshot.value);
      };
      const rs = resumable(server.wss, { inspect });
      let sessions = 0;
      rs.on('session', () => sessions++);
      const inSession = await openSocket(server.url);
      const noHello = await openSocket(server.url);
      try {
        inSession.ws.send(
          encodeHello({ version: PROTOCOL_VERSION, sessionId: '', lastReceived: 0, newId: 'farewell-1' }),
        );
        await waitFor(() => sessions === 1 && server.wss.clients.size === 2, { message: 'both open' });
        expect(charts.size).toBe(0);
        if (silent) {
          inSession.stall();
          noHello.stall();
        }
        const closedAt = Date.now();
        await rs.close();
        for (const [index, step] of path.steps.entries()) {
          const expected = step.state.value;
          await waitFor(() => charts.size === 2 && [...charts.values()].every((v) => v === expected), {
            timeoutMs: SERVER_CLOSE_TIMEOUT_MS + 10_000,
            message: `after step ${index} (${description}): ${expected}, charts ${JSON.stringify([...charts.values()])}`,
          });
          // The server's side of what the chart says.
          if (expected === 'waiting') {
            if (silent) expect(server.wss.clients.size).toBe(2);
            expect(Date.now() - closedAt).toBeLessThan(SERVER_CLOSE_TIMEOUT_MS);
          }
          if (expected === 'closed') {
            await waitFor(() => serverCodes.length === 2, { message: 'both closed' });
            // Answered: closed cleanly with the server's code, never terminated (1006).
            expect(serverCodes).toEqual([1001, 1001]);
          }
          if (expected === 'timedOut') {
            // Not before its close timeout (a peer that answers late is given the time).
            expect(Date.now() - closedAt).toBeGreaterThanOrEqual(SERVER_CLOSE_TIMEOUT_MS - 50);
            await waitFor(() => server.wss.clients.size === 0, { message: 'both terminated' });
            expect(serverCodes).toEqual([1006, 1006]);
          }
        }
      } finally {
        inSession.ws.terminate();
        noHello.ws.terminate();
      }
      // Nothing left after close(): every farewell chart done (none active, so no timer of theirs),
      // no socket, no timer of the process beyond what was there before.
      expect([...charts.keys()].map((actor) => actor.getSnapshot().status)).toEqual(['done', 'done']);
      await waitFor(() => server.wss.clients.size === 0, { message: 'no socket left' });
      await waitFor(() => timers() <= before, { message: 'no timer left', timeoutMs: 2_000 });
    }
  }, 60_000);

  it('covers every state and transition of the farewell chart', () => {
    console.log('farewell chart coverage by the server:', coverage.summary());
    expect(coverage.missing()).toEqual({ states: [], transitions: [] });
  });
});
