/**
 * One side of a resumable session, without a transport (docs/resume-protocol.md): numbers what
 * it sends and keeps it until acknowledged (bounded: machines/policy/resume.ts), counts what it
 * receives, discards duplicates by sequence number, and decides when to acknowledge (after
 * `ackEveryMessages` or `ackDelayMs`, whichever first). Pure: time comes in as `nowMs`, frames go
 * out as return values; the client runtime and the server helper both drive it.
 */
import { type AckOptions, ackDue, fitsLimits, type ResumeLimits } from '../../machines/policy/resume.js';
import type { AppData } from './frames.js';

/** A message kept for replay. */
export interface Entry {
  seq: number;
  data: AppData;
  bytes: number;
}

/** What a store keeps of a stream (the session survives a server restart with it). */
export interface StreamState {
  /** Last sequence number given to a message sent. */
  sentSeq: number;
  /** Last sequence number received (and delivered). */
  receivedSeq: number;
  /** Sent and not yet acknowledged, oldest first: sequence numbers sentSeq − n + 1 … sentSeq. */
  unacked: Entry[];
}

/** One side's numbering, replay buffer and acknowledgements of a resumable session. */
export class ResumeStream {
  private entries: Entry[] = [];
  private head = 0;
  private bufferedBytes = 0;
  /** Last sequence number given to a message sent. */
  sentSeq = 0;
  /** Last sequence number received (and delivered) in order. */
  receivedSeq = 0;
  /** Sequence number of the next data frame on the current socket (null: before its `seq`). */
  private nextIn: number | null = null;
  /** Last sequence number acknowledged to the peer (an ack, a hello or a welcome). */
  private ackedIn = 0;
  /** When the first message not yet acknowledged arrived. */
  private firstUnackedAtMs: number | null = null;

  constructor(
    readonly limits: ResumeLimits,
    readonly acks: AckOptions,
  ) {}

  /** Messages kept for replay (sent, not acknowledged). */
  get bufferedMessages(): number {
    return this.entries.length - this.head;
  }

  get bufferedBytesCount(): number {
    return this.bufferedBytes;
  }

  /** Messages received and not acknowledged to the peer yet. */
  get unacknowledgedIn(): number {
    return this.receivedSeq - this.ackedIn;
  }

  /** Whether a message of `bytes` fits the replay buffer now. */
  fits(bytes: number): boolean {
    return fitsLimits(this.limits, this.bufferedMessages, this.bufferedBytes, bytes);
  }

  /** Numbers a message and keeps it until acknowledged. The caller checked `fits` (or accepts
   * an overflow it handles itself, as the server does). */
  record(data: AppData, bytes: number): Entry {
    const entry = { seq: ++this.sentSeq, data, bytes };
    this.entries.push(entry);
    this.bufferedBytes += bytes;
    return entry;
  }

  /** What is kept from message `seq` on, oldest first (empty when `seq` is past the last sent). */
  entriesFrom(seq: number): Entry[] {
    const first = this.entries[this.head];
    if (!first) return [];
    return this.entries.slice(this.head + Math.max(0, seq - first.seq));
  }

  /**
   * Takes message `seq` back, unacknowledged and never received (its frame was refused: nothing
   * was written): the ones after it take its number and the next (new entries: kept ones are
   * shared with a store's state, never changed), so no number is consumed by a message the peer
   * never got. The caller knows `seq` is kept.
   */
  withdraw(seq: number): void {
    const at = this.head + seq - (this.entries[this.head] as Entry).seq;
    const [gone] = this.entries.splice(at, 1) as [Entry];
    for (let i = at; i < this.entries.length; i++) {
      const entry = this.entries[i] as Entry;
      this.entries[i] = { seq: entry.seq - 1, data: entry.data, bytes: entry.bytes };
    }
    this.bufferedBytes -= gone.bytes;
    this.sentSeq--;
  }

  /** The peer acknowledged everything up to `seq`. False when it cannot have: `seq` was never
   * sent (a peer that is not following the protocol). */
  onAck(seq: number): boolean {
    if (!Number.isSafeInteger(seq) || seq > this.sentSeq) return false;
    while (this.head < this.entries.length && (this.entries[this.head] as Entry).seq <= seq) {
      this.bufferedBytes -= (this.entries[this.head] as Entry).bytes;
      this.entries[this.head] = undefined as unknown as Entry;
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    } else if (this.head === this.entries.length) {
      this.entries = [];
      this.head = 0;
    }
    return true;
  }

  /** The next data frame on this socket is number `seq`. False for a gap (messages the peer
   * skipped: they would be lost). */
  onSeq(seq: number): boolean {
    if (!Number.isSafeInteger(seq) || seq < 1 || seq > this.receivedSeq + 1) return false;
    this.nextIn = seq;
    return true;
  }

  /** A data frame arrived: true to deliver it, false for a duplicate (already delivered), null
   * when no `seq` frame announced its number (a protocol error). */
  onData(nowMs: number): boolean | null {
    if (this.nextIn === null) return null;
    const seq = this.nextIn++;
    if (seq <= this.receivedSeq) return false;
    this.receivedSeq = seq;
    if (this.firstUnackedAtMs === null) this.firstUnackedAtMs = nowMs;
    return true;
  }

  /**
   * The ack to send now, if one is due (or `force`, e.g. before closing): its sequence number.
   * `upTo` acknowledges no further than that message (what a durable store has written); the
   * later ones wait for an ack of their own, their delay counted from `nowMs`.
   */
  takeAck(nowMs: number, force = false, upTo = this.receivedSeq): number | null {
    const unacked = this.unacknowledgedIn;
    const seq = Math.min(upTo, this.receivedSeq);
    if (seq <= this.ackedIn) return null;
    if (!force && !ackDue(this.acks, unacked, this.firstUnackedAtMs, nowMs)) return null;
    this.ackedIn = seq;
    this.firstUnackedAtMs = seq < this.receivedSeq ? nowMs : null;
    return seq;
  }

  /** When the pending ack falls due by time (null: nothing to acknowledge). */
  ackDueAtMs(): number | null {
    return this.firstUnackedAtMs === null ? null : this.firstUnackedAtMs + this.acks.ackDelayMs;
  }

  /** A new socket: its first data frame waits for a `seq`; the hello or welcome that opens it
   * tells the peer what was received, which acknowledges it. */
  startSocket(): void {
    this.nextIn = null;
    this.ackedIn = this.receivedSeq;
    this.firstUnackedAtMs = null;
  }

  /**
   * The peer received everything up to `peerLastReceived`: what to send it again, oldest first,
   * or null when that is impossible (it claims more than was sent, or less than it acknowledged
   * before: its state is not this session's).
   */
  replayAfter(peerLastReceived: number): Entry[] | null {
    if (!Number.isSafeInteger(peerLastReceived) || peerLastReceived > this.sentSeq) return null;
    const first = this.entries[this.head];
    const oldestKept = first ? first.seq : this.sentSeq + 1;
    if (peerLastReceived + 1 < oldestKept) return null;
    this.onAck(peerLastReceived);
    return this.entries.slice(this.head);
  }

  /** Ends the session's numbering (a reset): returns what was never acknowledged, oldest first. */
  reset(): Entry[] {
    const left = this.entries.slice(this.head);
    this.entries = [];
    this.head = 0;
    this.bufferedBytes = 0;
    this.sentSeq = 0;
    this.receivedSeq = 0;
    this.nextIn = null;
    this.ackedIn = 0;
    this.firstUnackedAtMs = null;
    return left;
  }

  /** What a store keeps. The entries are shared, not copied (they are never changed). */
  state(): StreamState {
    return { sentSeq: this.sentSeq, receivedSeq: this.receivedSeq, unacked: this.entries.slice(this.head) };
  }

  /** A stream as a store kept it. */
  static restore(state: StreamState, limits: ResumeLimits, acks: AckOptions): ResumeStream {
    const stream = new ResumeStream(limits, acks);
    stream.sentSeq = state.sentSeq;
    stream.receivedSeq = state.receivedSeq;
    stream.ackedIn = state.receivedSeq;
    stream.entries = [...state.unacked];
    stream.bufferedBytes = state.unacked.reduce((sum, entry) => sum + entry.bytes, 0);
    return stream;
  }
}
