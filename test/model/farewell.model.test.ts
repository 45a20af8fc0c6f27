/**
 * The farewell chart tests the server: every state and transition of the server's ONE farewell
 * chart (machines/farewell.machine.ts), exercised by `resumable(wss)` on a real `ws` server
 * (127.0.0.1, port 0) closing real sockets: each sends a broken hello (the server closes it with
 * 1002, src/server/resumable.ts), and either answers the close frame (a plain `ws` client does) or
 * has stopped reading (its socket paused: terminated after SERVER_CLOSE_TIMEOUT_MS on the system
 * clock, so the timeouts wait the policy's 5 s for real, with generous bounds), or reads again
 * later (answers late). Then the server's `close()` with a socket that never answers: it resolves
 * once that socket was terminated, the chart stopped and no timer left. A gate fails if any state or
 * transition of the chart was not exercised by the server.
 */
import { describe, expect, it } from 'vitest';
import type { AnyActorRef, InspectionEvent, SnapshotFrom } from 'xstate';
import { farewellMachine } from '../../machines/farewell.machine.js';
import { SERVER_CLOSE_TIMEOUT_MS } from '../../machines/policy/resume.js';
import { encodeHello, PROTOCOL_VERSION } from '../../src/resume/frames.js';
import { resumable } from '../../src/server/index.js';
import { ChartCoverage } from '../../src/testing/chart-coverage.js';
import { useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { openStallingSocket, type StallingSocket } from '../server/stalling-socket.js';

type FarewellSnapshot = SnapshotFrom<typeof farewellMachine>;

const coverage = new ChartCoverage([farewellMachine]);

/** Live timers of this process. */
const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

/** The close code of each server-side socket, in the order they connected (1006: terminated). */
function serverCodes(wss: import('ws').WebSocketServer): number[] {
  const codes: number[] = [];
  wss.on('connection', (ws) => {
    const at = codes.push(0) - 1;
    ws.on('close', (code) => {
      codes[at] = code;
    });
  });
  return codes;
}

/** A server under test: its farewell charts as the inspector sees them. */
function watched(server: { wss: import('ws').WebSocketServer }) {
  const charts = new Map<AnyActorRef, FarewellSnapshot>();
  const inspect = (event: InspectionEvent) => {
    coverage.observer(event);
    if (event.type !== '@xstate.snapshot') return;
    const snapshot = event.snapshot as FarewellSnapshot;
    if (snapshot.machine?.id === 'farewell') charts.set(event.actorRef as AnyActorRef, snapshot);
  };
  const rs = resumable(server.wss, { inspect });
  rs.on('error', () => {});
  const state = () => [...charts.values()].map((s) => [s.value, s.context.batches.map((b) => b.sockets)]);
  return { rs, charts, state };
}

describe.sequential('farewell chart: every transition by resumable(wss)', () => {
  const h = useHarness();

  it('one chart for every socket closing: answers, timeouts, late answers, each deadline in turn', async () => {
    expect(SERVER_CLOSE_TIMEOUT_MS).toBeLessThan(30_000);
    const server = await h.wsServer();
    const before = timers();
    const { rs, charts, state } = watched(server);
    const codes = serverCodes(server.wss);
    const sockets: StallingSocket[] = [];
    for (let i = 0; i < 5; i++) sockets.push(await openStallingSocket(server.url));
    const [silent1, answers, silent2, late1, late2] = sockets as [StallingSocket, ...StallingSocket[]] &
      StallingSocket[];
    try {
      await waitFor(() => server.wss.clients.size === 5, { message: 'all open' });
      const broken = (socket: StallingSocket, stall: boolean) => {
        socket.ws.send('not a hello');
        if (stall) socket.stall();
      };
      const closedAt = Date.now();
      // idle → waiting; then a later deadline counted; its peer answers: counted off, not the earliest.
      broken(silent1, true);
      await waitFor(() => state().length === 1 && state()[0]?.[0] === 'waiting', { message: 'waiting' });
      await sleep(20);
      broken(answers!, false);
      await waitFor(() => answers!.code === 1002, { message: 'answered' });
      await sleep(20);
      broken(silent2!, true);
      await waitFor(() => JSON.stringify(state()) === '[["waiting",[1,1]]]', {
        message: 'two deadlines',
      });
      // The earliest times out (re-armed for the next), then the last (idle): never early.
      await waitFor(() => codes[0] === 1006, {
        timeoutMs: SERVER_CLOSE_TIMEOUT_MS + 10_000,
        message: 'silent1',
      });
      expect(Date.now() - closedAt).toBeGreaterThanOrEqual(SERVER_CLOSE_TIMEOUT_MS - 50);
      expect(codes[2]).toBe(0);
      await waitFor(() => codes[2] === 1006, { timeoutMs: 10_000, message: 'silent2' });
      expect(codes[1]).toBe(1002);
      await waitFor(() => JSON.stringify(state()) === '[["idle",[]]]', { message: 'state' });
      // Two late answers: the earliest's re-arms for the next; the last's disarms.
      broken(late1!, true);
      await sleep(20);
      broken(late2!, true);
      await waitFor(() => JSON.stringify(state()) === '[["waiting",[1,1]]]', { message: 'state' });
      late1!.resume();
      await waitFor(() => late1!.code === 1002 && JSON.stringify(state()) === '[["waiting",[1]]]', {
        message: 'state',
      });
      late2!.resume();
      await waitFor(() => late2!.code === 1002 && JSON.stringify(state()) === '[["idle",[]]]', {
        message: 'state',
      });
      expect(charts.size).toBe(1);
    } finally {
      for (const socket of sockets) socket.ws.terminate();
    }
    await rs.close();
    expect([...charts.keys()].map((actor) => actor.getSnapshot().status)).toEqual(['stopped']);
    await waitFor(() => server.wss.clients.size === 0, { message: 'no socket left' });
    await waitFor(() => timers() <= before, { message: 'no timer left', timeoutMs: 2_000 });
  }, 60_000);

  it('close(): resolves once a peer that never answers is terminated (not before: no timer outlives it)', async () => {
    const server = await h.wsServer();
    const before = timers();
    const { rs, charts } = watched(server);
    const codes = serverCodes(server.wss);
    let sessions = 0;
    rs.on('session', () => sessions++);
    const inSession = await openStallingSocket(server.url);
    const noHello = await openStallingSocket(server.url);
    const answers = await openStallingSocket(server.url);
    try {
      inSession.ws.send(
        encodeHello({ version: PROTOCOL_VERSION, sessionId: '', lastReceived: 0, newId: 'farewell-1' }),
      );
      await waitFor(() => sessions === 1 && server.wss.clients.size === 3, { message: 'all open' });
      inSession.stall();
      noHello.stall();
      const closedAt = Date.now();
      await rs.close();
      // Resolved after the two silent peers were terminated, never before their time.
      expect(Date.now() - closedAt).toBeGreaterThanOrEqual(SERVER_CLOSE_TIMEOUT_MS - 50);
      expect(server.wss.clients.size).toBe(0);
      expect([...charts.keys()].map((actor) => actor.getSnapshot().status)).toEqual(['stopped']);
      expect(timers()).toBeLessThanOrEqual(before);
      // The silent ones terminated; the one that answered closed cleanly.
      expect(codes).toEqual([1006, 1006, 1001]);
    } finally {
      for (const socket of [inSession, noHello, answers]) socket.ws.terminate();
    }
  }, 60_000);

  it('covers every state and transition of the farewell chart', () => {
    console.log('farewell chart coverage by the server:', coverage.summary());
    expect(coverage.missing()).toEqual({ states: [], transitions: [] });
  });
});
