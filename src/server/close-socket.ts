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
 * application clock must not keep sockets CLOSING. The chart hears ONE event a turn whatever the
 * number of sockets: the close frames sent in one synchronous run (a `close()` of thousands) are
 * told together at its end (a microtask), the sockets that closed in one turn of the event loop
 * (each its own I/O callback) together after it (an immediate, never a timer). Does not own the
 * sockets (the WebSocketServer's).
 */
import type { WebSocket } from 'ws';
import { type Actor, createActor, type InspectionEvent } from 'xstate';
import { farewellMachine } from '../../machines/farewell.machine.js';

/** The chart's input: the policy's timeout. */
const INPUT = Object.freeze({});

/** ws's readyState of a socket whose close is under way or done. */
const CLOSING = 2;

/** A socket closed here: its batch's deadline once the chart has counted it. */
interface Closing {
  ws: WebSocket;
  dueMs: number | null;
}

/** The sockets a `resumable` server closes, until each closed or was terminated. */
export class Farewells {
  private readonly chart: Actor<typeof farewellMachine>;
  /** The sockets closing, by their batch's deadline. */
  private readonly batches = new Map<number, Set<Closing>>();
  /** Sockets closed in this turn, not yet told to the chart (one `farewell.closing` a turn). */
  private closing: Closing[] = [];
  /** Sockets closed in this turn, by their batch's deadline, not yet told to the chart (one
   * `farewell.closed` a turn: its peers' answers come one I/O callback each). */
  private answers = new Map<number, number>();
  private answersDue: NodeJS.Immediate | null = null;
  /** The sockets closed here whose 'close' has not come yet (terminated ones too). */
  private open = 0;
  private stopped = false;
  private readonly waiters: (() => void)[] = [];

  constructor(inspect?: ((event: InspectionEvent) => void) | undefined) {
    this.chart = createActor(farewellMachine, inspect ? { input: INPUT, inspect } : { input: INPUT });
    this.chart.on('farewell.timedOut', ({ dueMs }) => {
      const sockets = this.batches.get(dueMs);
      // The chart has dropped the batch: its answers still untold, and each terminated socket's
      // 'close', are not told.
      this.batches.delete(dueMs);
      this.answers.delete(dueMs);
      for (const closing of sockets ?? []) closing.ws.terminate();
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
    const closing: Closing = { ws, dueMs: null };
    if (this.closing.push(closing) === 1) queueMicrotask(() => this.tellClosing());
    this.open++;
    ws.once('close', () => this.closed(closing));
  }

  /** Tells the chart the close frames of this turn (one event), then files them by deadline. */
  private tellClosing(): void {
    const closing = this.closing.filter((c) => c.ws.readyState === CLOSING);
    this.closing = [];
    if (this.stopped) {
      // Stopped in this turn: no timer may outlive it.
      for (const c of closing) c.ws.terminate();
      return;
    }
    if (closing.length === 0) return;
    this.chart.send({ type: 'farewell.closing', count: closing.length, atMs: performance.now() });
    const { batches } = this.chart.getSnapshot().context;
    const dueMs = batches[batches.length - 1]?.dueMs ?? 0;
    const sockets = this.batches.get(dueMs) ?? new Set<Closing>();
    this.batches.set(dueMs, sockets);
    for (const c of closing) {
      c.dueMs = dueMs;
      sockets.add(c);
    }
  }

  /** A socket closed here has closed: its answer is told with the others of this turn. */
  private closed(closing: Closing): void {
    this.open--;
    const { dueMs } = closing;
    const sockets = dueMs === null ? undefined : this.batches.get(dueMs);
    // Not counted yet (gone before its turn ended), or of a batch that timed out: nothing to tell.
    if (dueMs !== null && sockets?.delete(closing)) {
      // A deadline whose sockets all closed is forgotten (else one entry a ms, forever).
      if (sockets.size === 0) this.batches.delete(dueMs);
      // Stopped: the chart hears nothing more, and no immediate may outlive the server's close().
      if (!this.stopped) {
        this.answers.set(dueMs, (this.answers.get(dueMs) ?? 0) + 1);
        this.answersDue ??= setImmediate(() => this.tellAnswers());
      }
    } else if (dueMs === null) {
      this.closing = this.closing.filter((c) => c !== closing);
    }
    this.settle();
  }

  /** Tells the chart the sockets closed in this turn (one event). */
  private tellAnswers(): void {
    this.answersDue = null;
    const answers = [...this.answers].map(([dueMs, sockets]) => ({ dueMs, sockets }));
    this.answers = new Map();
    if (answers.length > 0) this.chart.send({ type: 'farewell.closed', answers, atMs: performance.now() });
    this.settle();
  }

  /** How many deadlines still have sockets held here (0 once every socket closed). */
  get deadlines(): number {
    return this.batches.size;
  }

  private isIdle(): boolean {
    return (
      this.open === 0 &&
      this.closing.length === 0 &&
      this.answersDue === null &&
      this.chart.getSnapshot().value === 'idle'
    );
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
    if (this.answersDue) clearImmediate(this.answersDue);
    this.answersDue = null;
    this.chart.stop();
  }
}
