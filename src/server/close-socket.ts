/**
 * How a `resumable` server closes a client's socket: the close frame with its code and reason,
 * then, if the peer has not answered it within `closeTimeout` (SERVER_CLOSE_TIMEOUT_MS,
 * machines/policy/resume.ts), the socket is terminated. A peer that stopped reading would otherwise
 * keep the socket CLOSING, with ws's timer, for ws's own 30 s.
 *
 * Owns: the server's ONE farewell chart (machines/farewell.machine.ts: its `closeTimeout` is a
 * delayed transition armed for the earliest deadline, drawn by the inspector and covered by the
 * model tests) and which socket has which deadline. One actor whatever the number of sockets
 * closing: an actor per socket cost ~5 KB and an actor start each, seconds of CPU for a
 * `close()` of thousands (BENCHMARKS.md, round 35, server close timer review). The chart runs on
 * the system clock (XState's own, its `atMs` from performance.now()), not the application's
 * `clock` option: it bounds a socket's I/O as ws's own close timer does, and a simulated or frozen
 * application clock must not keep sockets CLOSING. Does not own the sockets (the
 * WebSocketServer's).
 */
import type { WebSocket } from 'ws';
import { type Actor, createActor, type InspectionEvent } from 'xstate';
import { farewellMachine } from '../../machines/farewell.machine.js';

/** The chart's input: the policy's timeout. */
const INPUT = Object.freeze({});

/** ws's readyState of a socket whose close is under way or done. */
const CLOSING = 2;

/** The sockets a `resumable` server closes, until each closed or was terminated. */
export class Farewells {
  private readonly chart: Actor<typeof farewellMachine>;
  /** The sockets closing, by their batch's deadline. */
  private readonly batches = new Map<number, Set<WebSocket>>();
  /** The sockets closed here whose 'close' has not come yet (terminated ones too). */
  private open = 0;
  private stopped = false;
  private readonly waiters: (() => void)[] = [];

  constructor(inspect?: ((event: InspectionEvent) => void) | undefined) {
    this.chart = createActor(farewellMachine, inspect ? { input: INPUT, inspect } : { input: INPUT });
    this.chart.on('farewell.timedOut', ({ dueMs }) => {
      // Each terminated socket's 'close' tells the chart (a batch it has dropped: nothing).
      for (const ws of this.batches.get(dueMs) ?? []) ws.terminate();
      this.batches.delete(dueMs);
    });
    // Observers run after the chart's step.
    this.chart.subscribe(() => this.settle());
    this.chart.start();
  }

  /** Closes `ws` with `code` and `reason`; terminates it if its peer does not answer in time. */
  close(ws: WebSocket, code: number, reason: string): void {
    // A socket already closing has its farewell (or its peer's answer) already.
    const wasOpen = ws.readyState < CLOSING;
    ws.close(code, reason);
    if (!wasOpen || ws.readyState !== CLOSING) return;
    if (this.stopped) {
      // After the server's close(): no timer may outlive it.
      ws.terminate();
      return;
    }
    this.chart.send({ type: 'farewell.closing', atMs: performance.now() });
    const { batches } = this.chart.getSnapshot().context;
    const dueMs = batches[batches.length - 1]?.dueMs ?? 0;
    const sockets = this.batches.get(dueMs) ?? new Set<WebSocket>();
    this.batches.set(dueMs, sockets);
    sockets.add(ws);
    this.open++;
    ws.once('close', () => {
      this.open--;
      // A deadline whose sockets all closed is forgotten (else one entry a ms, forever).
      if (sockets.delete(ws) && sockets.size === 0 && this.batches.get(dueMs) === sockets)
        this.batches.delete(dueMs);
      this.chart.send({ type: 'farewell.closed', dueMs, atMs: performance.now() });
      this.settle();
    });
  }

  /** How many deadlines still have sockets held here (0 once every socket closed). */
  get deadlines(): number {
    return this.batches.size;
  }

  private isIdle(): boolean {
    return this.open === 0 && this.chart.getSnapshot().value === 'idle';
  }

  /** Resolves the `idle()` promises once no socket is closing. */
  private settle(): void {
    if (this.isIdle()) for (const resolve of this.waiters.splice(0)) resolve();
  }

  /** Resolves once no socket is closing: each answered, or was terminated (≤ closeTimeout), and
   * closed. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Stops the chart (no timer left); a socket closed afterwards is terminated at once. */
  stop(): void {
    this.stopped = true;
    this.chart.stop();
  }
}
