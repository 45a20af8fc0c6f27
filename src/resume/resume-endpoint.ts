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
  /** Writes one frame to the current socket. False (or a throw the caller handles) when the
   * socket does not take it: the message stays in the replay buffer. */
  write(frame: AppData): boolean;
  deliver(data: AppData): void;
}

export type SendOutcome = 'sent' | 'buffered' | 'full';

export class ResumeEndpoint {
  /** A socket is open and past its handshake: data frames go out. */
  open = false;

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
    this.stream.record(data, bytes);
    if (this.open && this.io.write(encodeData(data))) return 'sent';
    return 'buffered';
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
        return this.stream.onAck(frame.seq)
          ? null
          : `ack of ${frame.seq}, never sent (last sent ${this.stream.sentSeq})`;
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
    const first = entries[0]?.seq ?? this.stream.sentSeq + 1;
    if (!this.io.write(encodeSeq(first))) return;
    for (const entry of entries) if (!this.io.write(encodeData(entry.data))) return;
  }

  /** The socket is gone: what is sent from now on waits in the replay buffer. */
  close(): void {
    this.open = false;
  }
}
