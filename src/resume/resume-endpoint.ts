/**
 * One side of a resumable session on one socket at a time, sans I/O: frames go out through
 * `io.write`, application data comes in through `io.deliver`. Both the client (resume-client.ts)
 * and the server helper (src/server/) drive one; the handshake that opens a socket is theirs,
 * everything after it (numbered data, `ack`, `seq`) is here. Pure: time comes in as `nowMs`.
 */
import type { AckOptions, ResumeLimits } from '../../machines/policy/resume.js';
import { type AppData, type Decoded, encodeAck, encodeData, encodeSeq } from './frames.js';
import { type Entry, ResumeStream } from './resume-stream.js';

export interface EndpointIO {
  /**
   * Writes one frame to the current socket: true, written; false, not (the socket is not open:
   * nothing was written), so a message keeps its number and place and goes again (the next frame
   * on this socket announces it with a `seq`, or the next socket's replay does); `refused`, the
   * transport refused the frame itself (its send() threw: nothing was written, the value cannot
   * go), so a message leaves the stream (`refused`) and the next one takes its number.
   */
  write(frame: AppData): boolean | 'refused';
  deliver(data: AppData): void;
  /** A kept message whose frame was `refused`: it left the stream (never received). */
  refused?(data: AppData): void;
  /** The socket refused a `seq` frame (`refused`): it cannot carry the session's numbering, and
   * nothing more is written on it; what waits goes in the next socket's replay (replace it). */
  unwritable?(): void;
}

/** `refused`: the transport refused the message's frame (see EndpointIO.write); it left the stream. */
export type SendOutcome = 'sent' | 'buffered' | 'full' | 'refused';

export class ResumeEndpoint {
  /** A socket is open and past its handshake: data frames go out. */
  open = false;
  /** The number of the first message this socket did not take (a write said false), null when it
   * took them all: the next write on it announces that number again and writes from there. */
  private unwritten: number | null = null;

  constructor(
    public stream: ResumeStream,
    protected readonly io: EndpointIO,
  ) {}

  static create(limits: ResumeLimits, acks: AckOptions, io: EndpointIO): ResumeEndpoint {
    return new ResumeEndpoint(new ResumeStream(limits, acks), io);
  }

  /**
   * Numbers `data` and writes it if a socket is open (`sent`) or keeps it for the next one
   * (`buffered`). `full`: the replay buffer has no room; nothing happened (the client holds the
   * message in its outbound queue until an ack frees room; the server ends the session).
   */
  send(data: AppData, bytes: number): SendOutcome {
    if (!this.stream.fits(bytes)) return 'full';
    const entry = this.stream.record(data, bytes);
    if (!this.open) return 'buffered';
    const first = this.unwritten;
    // A message this socket did not take waits: it goes first, announced again (never misnumbered).
    return first === null ? this.writeRun(entry.seq, [entry]) : this.writeFrom(first);
  }

  /** Announces `first` (a `seq` frame), then writes the kept messages from it on (`writeRun`). */
  private writeFrom(first: number, entries: readonly Entry[] = this.stream.entriesFrom(first)): SendOutcome {
    // Null while it writes: an ack read inside a write (a transport whose peer answers at once)
    // must not start this run again from `first`, past what it acknowledged.
    this.unwritten = null;
    const written = this.io.write(encodeSeq(first));
    if (written === true) return this.writeRun(first, entries);
    this.unwritten = first;
    // Refused: announced again on every later write, it would be refused (and reported) each time.
    if (written && this.open) {
      this.open = false;
      this.io.unwritable?.();
    }
    return 'buffered';
  }

  /**
   * Writes kept messages in order, the first numbered `next`. One the transport refuses leaves the
   * stream (told to `io.refused`) and the next takes its number (none after it was written); one
   * not written stops the run: it and the rest wait (`unwritten`). The last message's fate:
   * `sent`, `buffered` (waiting) or `refused`.
   */
  private writeRun(next: number, entries: readonly Entry[]): SendOutcome {
    let last: SendOutcome = 'sent';
    for (const { data } of entries) {
      const written = this.io.write(encodeData(data));
      if (written === true) {
        next++;
        last = 'sent';
      } else if (written) {
        // The session ended inside that write: its end reported the message.
        if (next > this.stream.sentSeq) return 'buffered';
        this.stream.withdraw(next);
        this.io.refused?.(data);
        last = 'refused';
      } else {
        if (this.open) this.unwritten = next;
        return 'buffered';
      }
    }
    return last;
  }

  /** A frame after the handshake. Returns null, or what broke the protocol. */
  receive(frame: Decoded, nowMs: number): string | null {
    switch (frame.kind) {
      case 'data': {
        const fresh = this.stream.onData(nowMs);
        if (fresh === null) return 'a data frame before its seq frame';
        if (fresh) this.io.deliver(frame.data);
        this.sendAck(nowMs, false);
        return null;
      }
      case 'ack':
        if (!this.stream.onAck(frame.seq))
          return `ack of ${frame.seq}, never sent (last sent ${this.stream.sentSeq})`;
        // The socket carries frames again: what it did not take goes now.
        if (this.unwritten !== null && this.open) this.writeFrom(this.unwritten);
        return null;
      case 'seq':
        return this.stream.onSeq(frame.seq)
          ? null
          : `seq ${frame.seq} skips messages (last received ${this.stream.receivedSeq})`;
      case 'invalid':
        return frame.message;
      default:
        return `an unexpected ${frame.kind} frame`;
    }
  }

  /** Sends the ack if one is due at `nowMs` (or at once with `force`), up to message `upTo`
   * (default: all received). */
  sendAck(nowMs: number, force: boolean, upTo?: number): void {
    if (!this.open) return;
    const seq = this.stream.takeAck(nowMs, force, upTo);
    if (seq !== null) this.io.write(encodeAck(seq));
  }

  /** After the handshake: announces the number of the next data frame, then replays `entries`. */
  startSending(entries: readonly Entry[]): void {
    this.open = true;
    this.writeFrom(entries[0]?.seq ?? this.stream.sentSeq + 1, entries);
  }

  /** The socket is gone: what is sent from now on waits in the replay buffer. */
  close(): void {
    this.open = false;
    this.unwritten = null;
  }
}
