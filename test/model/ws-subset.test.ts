/**
 * A subset of the generated connection-chart paths, run over a REAL `ws` server on 127.0.0.1
 * (port 0) instead of the memory network: the server holds each upgrade until the model accepts
 * or refuses it, and holds pings until the model answers them. Paths through `closing` are left
 * to the memory runs (ws echoes a close frame at once; the close cannot be held there).
 * Timers still run on the simulated clock; network steps are awaited with a bounded wait.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import type { AnyActorRef } from 'xstate';
import { createSupervisor } from '../../src/index.js';
import {
  createLinkTestModel,
  LinkDriver,
  type LinkModelConfig,
  linkModelOptions,
  type ModelServer,
  type RefuseWith,
} from '../../src/testing/index.js';
import { TestClock } from '../../src/testing/test-clock.js';
import { captureBaseline, expectNoLeaks } from '../helpers/leaks.js';

class HeldWsServer implements ModelServer {
  readonly http: Server = createServer();
  readonly wss = new WebSocketServer({ noServer: true, autoPong: false });
  pending: { accept(): unknown; refuse(how?: RefuseWith): void }[] = [];
  peers: { terminate(): void; close(code?: number): void; send(data: string): void }[] = [];
  private pings: WebSocket[] = [];
  private readonly sockets = new Set<Socket>();

  constructor() {
    this.http.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.http.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
      const entry = {
        accept: () => {
          this.pending = this.pending.filter((p) => p !== entry);
          this.wss.handleUpgrade(request, socket, head, (ws) => this.attach(ws));
          return true;
        },
        refuse: (how?: RefuseWith) => {
          this.pending = this.pending.filter((p) => p !== entry);
          if (how && 'status' in how)
            socket.end(`HTTP/1.1 ${how.status} Refused\r\nConnection: close\r\n\r\n`);
          else socket.destroy();
        },
      };
      this.pending.push(entry);
    });
  }

  private attach(ws: WebSocket) {
    const peer = {
      terminate: () => ws.terminate(),
      close: (code?: number) => ws.close(code),
      send: (data: string) => ws.send(data),
    };
    this.peers.push(peer);
    ws.on('ping', () => this.pings.push(ws));
    ws.on('close', () => {
      this.peers = this.peers.filter((p) => p !== peer);
    });
  }

  answerPings(): number {
    const pings = this.pings.splice(0);
    for (const ws of pings) if (ws.readyState === ws.OPEN) ws.pong();
    return pings.length;
  }

  completeCloses(): number {
    return 0;
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.http.listen(0, '127.0.0.1', resolve));
    return (this.http.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    for (const socket of this.sockets) socket.destroy();
    this.wss.close();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }
}

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const start = Date.now();
  for (let i = 0; i < 10_000; i++) {
    if (check()) return true;
    if (Date.now() - start > timeoutMs) return false;
    await new Promise((r) => setTimeout(r, 2));
  }
  return check();
}

// Restart intensity off, as in the memory runs of this configuration (connection.model.test.ts):
// it came after this file and multiplied the paths to generate by five (3,803 → 18,781; 2 s → 65 s
// on a quiet machine, past 500 s at load 14), for timer-driven states the transport plays no part in.
const config: LinkModelConfig = { handshake: true, heartbeat: true, intensity: false };
const SUBSET = 30;

/** `count` of `paths`: each next the one that adds the most kinds of event not yet taken, then
 * the most (state, event) steps not yet taken (the first in the list on a tie), so a few paths take
 * most of the chart; deterministic. */
function coveringSubset<P extends { steps: { event: { type: string }; state: { value: unknown } }[] }>(
  paths: P[],
  count: number,
): P[] {
  const keys = paths.map(
    (p) =>
      new Set(
        p.steps.flatMap((s, i) => [
          s.event.type,
          `${JSON.stringify(p.steps[i - 1]?.state.value)} ${s.event.type}`,
        ]),
      ),
  );
  const weight = (key: string) => (key.includes(' ') ? 1 : 1_000);
  const taken = new Set<string>();
  const chosen: number[] = [];
  while (chosen.length < Math.min(count, paths.length)) {
    let best = -1;
    let gain = -1;
    for (const [i, set] of keys.entries()) {
      if (chosen.includes(i)) continue;
      let g = 0;
      for (const k of set) if (!taken.has(k)) g += weight(k);
      if (g > gain) [best, gain] = [i, g];
    }
    chosen.push(best);
    for (const k of keys[best] ?? []) taken.add(k);
  }
  return chosen.map((i) => paths[i] as P);
}

describe('connection chart paths over a real ws server (subset)', () => {
  let baseline: ReturnType<typeof captureBaseline>;
  beforeEach(() => {
    baseline = captureBaseline();
  });
  afterEach(async () => {
    await expectNoLeaks(baseline);
  });

  // Paths are generated inside the test, not while the file is collected: what runs outside a
  // test is "static" to Stryker, and a static mutant re-runs every test file (mutation testing).
  // Generating them is part of the test's time (2–3 s alone); 600 s is a hang guard for a busy machine.
  it(`runs ${SUBSET} of the generated paths over ws on 127.0.0.1`, async () => {
    const all = createLinkTestModel(config).paths();
    // Nor a socket that errs and never closes: ws always closes after an error.
    const eligible = all.filter(
      (p) =>
        !p.steps.some((s) => s.state.matches({ attempt: 'closing' }) || s.event.type === 'transport.error'),
    );
    const subset = coveringSubset(eligible, SUBSET);
    expect(subset.length).toBe(SUBSET);
    // Every kind of event the eligible paths have, the chart's timers included, happens over ws.
    const kinds = (paths: typeof eligible) => new Set(paths.flatMap((p) => p.steps.map((s) => s.event.type)));
    expect([...kinds(subset)].sort()).toEqual([...kinds(eligible)].sort());
    for (const path of subset) {
      const server = new HeldWsServer();
      const port = await server.listen();
      const clock = new TestClock();
      // The model drives the reconnect switch itself: no wake raised behind its back.
      const supervisor = createSupervisor({ clock, networkSignals: false });
      const link = supervisor.connect(`ws://127.0.0.1:${port}/model`, linkModelOptions(config));
      const driver = new LinkDriver(
        server,
        clock,
        () => link.actor as AnyActorRef,
        (data) => link.send(data),
      );
      try {
        for (const [index, step] of path.steps.entries()) {
          if (index > 0) {
            // A pending upgrade or a ping must have reached the server before the model acts on it.
            const type = step.event.type;
            const previous = path.steps[index - 1]?.state;
            if (previous?.matches({ attempt: 'connecting' })) {
              // The upgrade request of this attempt must have reached the server.
              await until(() => server.pending.length > 0, 3_000);
            }
            if (type === 'heartbeat.pong' && 'proof' in step.event && step.event.proof === 'pong') {
              await until(() => (server as unknown as { pings: unknown[] }).pings.length > 0, 3_000);
            }
            if (type.startsWith('handshake.')) await until(() => server.peers.length > 0, 3_000);
            await driver.perform(step.event, path.steps[index - 1]?.state as never);
          }
          const want = JSON.stringify(step.state.value);
          const reached = await until(() => JSON.stringify(link.actor.getSnapshot().value) === want, 3_000);
          expect(
            reached,
            `after step ${index} of ${path.description}: chart ${want}, runtime ${JSON.stringify(link.actor.getSnapshot().value)}`,
          ).toBe(true);
        }
      } finally {
        await supervisor.terminate();
        await server.close();
      }
      expect(clock.pending).toBe(0);
    }
  }, 600_000);
});
