/**
 * Backpressure from stdout to the socket, for `linkvisor connect`: a fast server into a slow pipe
 * (`linkvisor connect … | slow-reader`) must not grow the client's memory without bound. When a
 * write finds stdout's buffer past its high-water mark (Node's own: `write()` returns false), the
 * client stops reading from the socket (`TransportConnection.pause`); on `drain` it reads again.
 * The server's messages wait in the network buffers meanwhile (then in the server's), so what the
 * client holds is bounded by the mark plus what ws had already read (one read, one message), and
 * every message still arrives, in order.
 *
 * While reading is paused no pong is read either: a reader that stalls for longer than the
 * heartbeat's timeout makes the link lost (the client says why and reconnects; what the server
 * had sent on the dropped socket is lost with it). A socket opened while stdout is still full
 * starts paused. Closing while paused: the close frame goes out at once, the server's answer is
 * read once the reader drains, or the link's close timeout ends the socket. If stdout fails (the
 * reader went away: EPIPE), nothing more is written and reading resumes, so the close completes.
 */
import type { Writable } from 'node:stream';
import type { TransportConnection } from '../transports/transport.js';
import type { GuardedOutput } from './guard-output.js';

/** The socket a flow pauses and resumes (a transport connection's optional flow control). */
export type Pausable = Pick<TransportConnection, 'pause' | 'resume'>;

/** Writes to stdout and pauses reading from the current socket while stdout is full. */
export class OutputFlow {
  private connection: Pausable | null = null;
  /** When reading was paused (Date.now()), or null while reading. */
  private pausedAt: number | null = null;
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

  /** A socket opened: the one to pause from now on; it starts paused while stdout is full. */
  opened(connection: Pausable): void {
    this.connection = connection;
    if (this.pausedAt !== null) connection.pause?.();
  }

  /** Writes `text`; past stdout's high-water mark, reading stops until it drains. */
  write(text: string): void {
    if (this.output.stdoutGone) return;
    if (this.output.out(text) || this.pausedAt !== null) return;
    this.pausedAt = Date.now();
    this.connection?.pause?.();
  }

  /** How long reading has been paused, in ms; null while reading. */
  pausedForMs(): number | null {
    return this.pausedAt === null ? null : Date.now() - this.pausedAt;
  }

  /** Stops listening to stdout (the client has ended). */
  dispose(): void {
    this.stdout.off('drain', this.onDrain);
    this.offGone();
  }

  private read(): void {
    if (this.pausedAt === null) return;
    this.pausedAt = null;
    this.connection?.resume?.();
  }
}
