/**
 * Session recordings asked for by pages, one per page at most (`record` in the page's protocol):
 * each is a recordSession of the supervisor, redacted as it redacts, handed to its page as a trace
 * when the page stops it, and stopped without a word when the page goes away or the server closes.
 */
import type { WebSocket } from 'ws';
import type { Supervisor } from '../runtime/supervisor.js';
import { recordSession } from '../trace/record-session.js';
import { formatTrace } from '../trace/trace-format.js';
import type { TraceRecorder } from '../trace/trace-recorder.js';
import type { ServerMessage } from './protocol.js';

/** The recordings of one inspector server, by page. */
export class PageRecordings {
  private readonly recorders = new Map<WebSocket, TraceRecorder>();

  /** `supervisor`: what is recorded (null: a trace-only server, which records nothing). */
  constructor(private readonly supervisor: Supervisor | null) {}

  /** Recordings under way. */
  get size(): number {
    return this.recorders.size;
  }

  /**
   * A page asks to start (`on`) or stop its recording; returns the answer for the page: whether
   * it records, or the trace it recorded. A recording starts only while `open` (the server is not
   * closing).
   */
  record(ws: WebSocket, on: boolean, open: boolean): ServerMessage {
    const recorder = this.recorders.get(ws);
    if (on) {
      if (!this.supervisor) return { type: 'result', ok: false, message: 'no supervisor to record' };
      if (!recorder && open) this.recorders.set(ws, recordSession(this.supervisor));
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
}
