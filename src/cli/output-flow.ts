/**
 * Backpressure from stdout to the socket, for `linkvisor connect`: a fast server into a slow pipe
 * (`linkvisor connect … | slow-reader`) must not grow the client's memory without bound. When a
 * write finds stdout's buffer past its high-water mark (Node's own: `write()` returns false), the
 * client stops reading from the link's socket (`link.pause()`); on `drain` it reads again
 * (`link.resume()`). The server's messages wait in the network buffers meanwhile (then in the
 * server's), so what the client holds is bounded by the mark plus what ws had already read (one
 * read, one message), and every message still arrives, in order.
 *
 * While reading is paused no pong can be read either, and the link's chart knows it (ready.paused):
 * the heartbeat does not judge the peer until reading resumes, then gives it a whole window, so a
 * stalled reader costs no reconnect. A pause is the link's: a new socket of a link paused while
 * stdout is full (after a reconnect) stays paused until stdout drains. Closing while paused: the close frame goes out at once
 * and the socket reads (each message reported dropped, unread) until the server answers it.
 * If stdout fails (the reader went away: EPIPE), nothing more is written and reading resumes, so
 * the close completes.
 */
import type { Writable } from 'node:stream';
import type { Link } from '../runtime/link.js';
import type { GuardedOutput } from './guard-output.js';

/** What a flow pauses and resumes: the link's hold on reading. */
export type Pausable = Pick<Link, 'pause' | 'resume'>;

/** Writes to stdout and holds the link's reading paused while stdout is full. */
export class OutputFlow {
  private link: Pausable | null = null;
  /** Stdout is full (its reader is behind): reading stays paused until it drains. */
  private full = false;
  private readonly onDrain = () => this.read();
  private readonly offGone: () => void;

  /** Writes through `output` (guard-output.ts); `onBroken` is called once if stdout fails (its
   * reader went away): nothing is written after. */
  constructor(
    private readonly stdout: Writable,
    private readonly output: GuardedOutput,
    onBroken: (error: Error) => void,
  ) {
    stdout.on('drain', this.onDrain);
    this.offGone = output.onStdoutGone((error) => {
      this.read();
      onBroken(error);
    });
  }

  /** The link whose reading the flow holds (its hold lasts across its reconnects). */
  attach(link: Pausable): void {
    this.link = link;
    if (this.full) link.pause();
  }

  /** Writes `text`; past stdout's high-water mark, reading stops until it drains. */
  write(text: string): void {
    if (this.output.stdoutGone) return;
    if (this.output.out(text) || this.full) return;
    this.full = true;
    this.link?.pause();
  }

  /** Stops listening to stdout (the client has ended). */
  dispose(): void {
    this.stdout.off('drain', this.onDrain);
    this.offGone();
  }

  private read(): void {
    if (!this.full) return;
    this.full = false;
    this.link?.resume();
  }
}
