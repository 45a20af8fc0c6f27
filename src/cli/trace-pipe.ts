/**
 * A trace streamed to a named pipe (`connect --record <fifo>`), written without ever blocking the
 * process: a reader that stops reading would otherwise stop the whole client in write(2) once the
 * pipe's buffer is full (no reconnect, no Ctrl-C). The pipe is written through a libuv pipe handle
 * (as Node writes `process.stdout` when it is a pipe), the lines it has not taken yet held in
 * memory up to MAX_WAITING_TRACE_BYTES. Past that the recording to the pipe stops there (what the
 * reader gets stays a whole trace up to that step: a gap would not replay), and every later step
 * is counted as dropped and said: never silently.
 *
 * Owns: the pipe's handle (and its descriptor), the lines waiting for the reader. Does not own
 * what is said (`say`, given by trace-file.ts).
 */
import { Socket } from 'node:net';

/**
 * How many bytes of trace lines may wait for a reader of the pipe, in bytes: 1 MiB, a few
 * thousand steps (a step's line is ~200-500 bytes), many seconds of a busy link's recording; a
 * reader that has taken nothing of that much has stalled, and the client's memory stays bounded.
 */
export const MAX_WAITING_TRACE_BYTES = 1024 * 1024;

/** A named pipe being written, its lines waiting in memory (bounded) for its reader. */
export class TracePipe {
  private readonly socket: Socket;
  /** Records handed to the pipe and not yet taken by it. */
  private waitingRecords = 0;
  private taken = 0;
  private lost = 0;
  /** No more lines go to the pipe (it stalled, failed, or was closed). */
  private over = false;
  private closed = false;

  /** `fd`: the pipe, open for writing. `onStalled` is said once, when the first step is dropped;
   * `onFailed` once, when a write fails (the reader went away: EPIPE). */
  constructor(
    fd: number,
    private readonly onStalled: (waitingBytes: number) => void,
    private readonly onFailed: (error: Error) => void,
  ) {
    this.socket = new Socket({ fd, readable: false, writable: true });
    // The lines waiting are counted by their own callbacks (each called with the error): the
    // reader may go away after a stall too, and what it never took is then dropped, not taken.
    this.socket.on('error', (error) => {
      if (this.over) return;
      this.over = true;
      this.socket.destroy();
      this.onFailed(error);
    });
  }

  /** Records the pipe has taken (its reader read them, or they are in the pipe's kernel buffer:
   * lost there only if the reader goes away unread, which the writer cannot know). */
  get records(): number {
    return this.taken;
  }

  /** Records that will never reach the reader (it stalled, or the client ended before it took them). */
  get dropped(): number {
    return this.lost;
  }

  /** Hands `bytes` (one whole line; `record`: a step, not the header) to the pipe, or counts it as
   * dropped once the reader has stalled or the pipe failed. */
  write(bytes: Buffer, record: boolean): void {
    if (this.over) {
      if (record) this.lost++;
      return;
    }
    if (this.socket.writableLength + bytes.length > MAX_WAITING_TRACE_BYTES) {
      const waiting = this.socket.writableLength;
      this.over = true;
      if (record) this.lost++;
      this.onStalled(waiting);
      return;
    }
    if (record) this.waitingRecords++;
    this.socket.write(bytes, (error) => {
      // After close(), close() has counted it (taken or dropped).
      if (!record || this.closed) return;
      this.waitingRecords--;
      if (error) this.lost++;
      else this.taken++;
    });
  }

  /** Ends the pipe: at once if its reader has taken every line, else the lines still waiting are
   * dropped (counted) and the handle destroyed, so that the client ends whatever the reader does. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.over = true;
    if (this.socket.writableLength === 0 && !this.socket.errored && !this.socket.destroyed) {
      // Every line is in the pipe (their callbacks may come a turn later).
      this.taken += this.waitingRecords;
      this.waitingRecords = 0;
      this.socket.end();
      return;
    }
    // What is still waiting is dropped, counted (their callbacks, a turn later, count nothing).
    this.lost += this.waitingRecords;
    this.waitingRecords = 0;
    this.socket.destroy();
  }
}
