/**
 * A session trace streamed to a file as it is recorded (`connect --record <file>`): the header line
 * when the recording starts, then each record's line as the recorder makes it, written at once
 * (one `writeSync` per line: nothing is buffered in the process). The recorder keeps no record
 * (`keepRecords: false`), so memory stays bounded however long the session runs, and whenever the
 * process ends (Ctrl-C, SIGTERM, a crash, even SIGKILL) the file holds whole lines from the header
 * up to the last record made: a valid trace that `linkvisor replay` runs. A write that fails (disk
 * full) is said once; the file then ends at the last whole line written and nothing more goes there.
 * A named pipe is written without blocking instead (./trace-pipe.ts): a reader that stalls cannot
 * stop the client; what it never takes is counted as dropped and said.
 */
import { closeSync, constants, fstatSync, ftruncateSync, openSync, statSync, writeSync } from 'node:fs';
import type { TraceRecorderOptions } from '../trace/trace-recorder.js';
import { TracePipe } from './trace-pipe.js';

/** A trace file open for streaming (module header). */
export class TraceFile {
  private fd: number | null;
  private written = 0;
  /** Bytes of whole lines in the file: where a line cut short by a failed write is cut back to. */
  private size = 0;
  private error: Error | null = null;
  /** The pipe's writer, when the path is a named pipe (its lines never written with writeSync). */
  private readonly pipe: TracePipe | null = null;
  /** The options to give `recordSession` so that it streams here. */
  readonly recorderOptions: TraceRecorderOptions = {
    keepRecords: false,
    onHeader: (header) => {
      this.line(header, false);
    },
    onRecord: (record) => {
      if (this.line(record, true)) this.written++;
    },
  };

  /** Opens (creates or truncates) `path`; throws what `openSync` throws (EACCES, ENOENT…, and
   * ENXIO for a named pipe that nobody reads). `onFailed` is called once if a write fails later;
   * `onStalled` once if the reader of a named pipe stops taking lines (later steps are dropped). */
  constructor(
    readonly path: string,
    private readonly onFailed: (error: Error) => void,
    onStalled: (waitingBytes: number) => void = () => {},
  ) {
    this.fd = openForWriting(path);
    let fifo = false;
    try {
      fifo = fstatSync(this.fd).isFIFO();
    } catch {
      // Written as a file.
    }
    if (fifo) {
      this.pipe = new TracePipe(this.fd, onStalled, (error) => {
        this.error = error;
        onFailed(error);
      });
      // The pipe's handle owns the descriptor now.
      this.fd = null;
    }
  }

  /** How many records are in the file (for a named pipe: taken by its reader). */
  get records(): number {
    return this.pipe ? this.pipe.records : this.written;
  }

  /** How many records will never be in it: a named pipe's reader stalled (0 for a file, whose
   * failed write is `failure`). */
  get dropped(): number {
    return this.pipe ? this.pipe.dropped : 0;
  }

  /** Why writing stopped, or null while every line has been written. */
  get failure(): Error | null {
    return this.error;
  }

  /** Closes the file (idempotent); what was written stays. */
  close(): void {
    this.pipe?.close();
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    try {
      closeSync(fd);
    } catch {
      // already written through: nothing to lose here
    }
  }

  /** Writes `value` as one JSON line; false (and the file closed) if the write failed. A named
   * pipe's line is handed to its writer (false: it counts the line itself). */
  private line(value: object, record: boolean): boolean {
    if (this.pipe) {
      this.pipe.write(Buffer.from(`${JSON.stringify(value)}\n`), record);
      return false;
    }
    if (this.fd === null) return false;
    try {
      const bytes = Buffer.from(`${JSON.stringify(value)}\n`);
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(this.fd, bytes, offset);
      this.size += bytes.length;
      return true;
    } catch (error) {
      this.error = error as Error;
      // Part of the line may be written (a disk that filled mid-line): the file ends at the last
      // whole line, a valid trace (shrinking a file needs no space).
      try {
        ftruncateSync(this.fd, this.size);
      } catch {
        // the file keeps its cut line: replay names it
      }
      this.close();
      this.onFailed(error as Error);
      return false;
    }
  }
}

/**
 * `path` opened to write (created or truncated). Opened without blocking first: a named pipe that
 * nobody reads fails at once (ENXIO) where a plain open(2) waits for a reader with the event loop
 * stopped, so that not even Ctrl-C or SIGTERM is heard. Then opened again as usual (a pipe with a
 * reader opens at once), so that a write waits as for any file; the first descriptor is closed
 * after the second is open, so the reader never sees the pipe's end in between.
 */
function openForWriting(path: string): number {
  const nonBlocking = constants.O_NONBLOCK ?? 0;
  const probe = openSync(
    path,
    constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | nonBlocking,
    0o666,
  );
  try {
    return nonBlocking === 0 ? probe : openSync(path, 'w');
  } finally {
    if (nonBlocking !== 0) closeSync(probe);
  }
}

/**
 * Why `path` could not be opened, from the error's code, for a user: ENXIO is a named pipe that
 * nobody reads, or a UNIX socket (open(2) cannot write one: a server's socket is no file), else
 * the code as it is (ENOENT, EACCES, EISDIR…); undefined when there is no code.
 */
export function whyNotOpened(path: string, code: unknown): string | undefined {
  if (typeof code !== 'string') return undefined;
  if (code !== 'ENXIO') return code;
  let kind: 'fifo' | 'socket' | null = null;
  try {
    const stats = statSync(path);
    kind = stats.isFIFO() ? 'fifo' : stats.isSocket() ? 'socket' : null;
  } catch {
    // Gone since: the code alone.
  }
  if (kind === 'fifo') return 'ENXIO: a named pipe that nobody reads';
  return kind === 'socket' ? 'ENXIO: a socket, not a file' : code;
}
