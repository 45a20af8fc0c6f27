/**
 * Session recordings asked for by pages, one per page at most (`record` in the page's protocol):
 * each is a recordSession of the supervisor, redacted as it redacts, handed to its page as a trace
 * when the page stops it, and stopped without a word when the page goes away or the server closes.
 * A recording is bounded: the one that reaches `maxRecords` records stops, and its page gets the
 * trace so far with the reason (a tab left recording does not grow the server's memory for ever).
 */
import type { WebSocket } from 'ws';
import type { Supervisor } from '../runtime/supervisor.js';
import { recordSession } from '../trace/record-session.js';
import { formatTrace } from '../trace/trace-format.js';
import type { TraceRecorder } from '../trace/trace-recorder.js';
import { DEFAULT_MAX_RECORDING_RECORDS } from './inspector-options.js';
import type { ServerMessage } from './protocol.js';

/** How the recordings of a server are bounded, and how a page hears of a recording it did not stop. */
export interface PageRecordingsOptions {
  /** Records one recording may hold (default DEFAULT_MAX_RECORDING_RECORDS). */
  maxRecords?: number;
  /** Sends a page a message outside its requests (the trace of a recording that hit the bound). */
  send: (ws: WebSocket, message: ServerMessage) => void;
}

/** The recordings of one inspector server, by page. */
export class PageRecordings {
  private readonly recorders = new Map<WebSocket, TraceRecorder>();
  private readonly maxRecords: number;

  /** `supervisor`: what is recorded (null: a trace-only server, which records nothing). */
  constructor(
    private readonly supervisor: Supervisor | null,
    private readonly options: PageRecordingsOptions,
  ) {
    this.maxRecords = options.maxRecords ?? DEFAULT_MAX_RECORDING_RECORDS;
  }

  /** Recordings under way. */
  get size(): number {
    return this.recorders.size;
  }

  /**
   * A page asks to start (`on`) or stop its recording; returns the answer for the page: whether
   * it records, or the trace it recorded. A recording starts only while `open` (the server is not
   * closing) and the supervisor is not closed (recordSession refuses a closed one).
   */
  record(ws: WebSocket, on: boolean, open: boolean): ServerMessage {
    const recorder = this.recorders.get(ws);
    if (on) {
      if (!this.supervisor) return { type: 'result', ok: false, message: 'no supervisor to record' };
      if (!recorder && open && !this.supervisor.closed) this.start(ws, this.supervisor);
      return { type: 'recording', on: this.recorders.has(ws) };
    }
    if (!recorder) return { type: 'recording', on: false };
    this.recorders.delete(ws);
    return { type: 'trace', text: formatTrace(recorder.stop()) };
  }

  /** Stops a page's recording, if any, and forgets it (the page went away). */
  stop(ws: WebSocket): void {
    this.recorders.get(ws)?.stop();
    this.recorders.delete(ws);
  }

  /** Stops every recording (the server closes). */
  stopAll(): void {
    for (const ws of [...this.recorders.keys()]) this.stop(ws);
  }

  private start(ws: WebSocket, supervisor: Supervisor): void {
    let count = 0;
    let reached = false;
    let recorder: TraceRecorder | undefined;
    recorder = recordSession(supervisor, {
      onRecord: () => {
        if (++count !== this.maxRecords) return;
        reached = true;
        if (recorder) this.full(ws, recorder);
      },
    });
    this.recorders.set(ws, recorder);
    // The actors that existed already may fill it at once.
    if (reached) this.full(ws, recorder);
  }

  /** A recording reached the bound: it stops, and its page gets the trace with the reason. */
  private full(ws: WebSocket, recorder: TraceRecorder): void {
    if (this.recorders.get(ws) !== recorder) return;
    this.recorders.delete(ws);
    const text = formatTrace(recorder.stop());
    const reason = `recording stopped: it reached maxRecordingRecords (${this.maxRecords} records)`;
    this.options.send(ws, { type: 'trace', text, reason });
  }
}
