/**
 * The resumable session's glue to a link's wire and attempts (the `resume` option,
 * docs/resume-protocol.md): the session client numbers what the wire sends and keeps it for
 * replay, an attempt's socket says hello first and waits for the welcome (the chart's `resuming`),
 * control frames stay here and data goes on as the application's, acks are written on a timer.
 * Reached only through the factory the supervisor and `defineLink` hand to the wire
 * (`createResumeSession`): a bundle without them (the drop-in class) leaves the protocol out.
 */
import type { ResumeOptions } from '../../machines/policy/resume.js';
import { type AppData, appDataBytes, decodeFrame } from '../resume/frames.js';
import { type ClientOutcome, createResumeClient, type ResumeClient } from '../resume/resume-client.js';
import {
  byteLengthOf,
  copyPayload,
  type Incoming,
  type Payload,
  type PayloadSite,
  SEND_DATA,
  unwritable,
} from '../transports/payload.js';
import { LinkvisorError } from '../util/errors.js';
import { PING } from './app-heartbeat.js';
import { HeldMessages } from './held-messages.js';
import type { SendResult } from './link-events.js';
import type { LinkStatus } from './link-status.js';
import type { LinkWire } from './link-wire.js';
import type { SessionAttempt, WireSession } from './wire-session.js';

const RESUME_HELLO: PayloadSite = { call: 'the resume hello', option: 'resume' };

/** The wire's session for a link with `resume` (the supervisor's and defineLink's factory). */
export function createResumeSession(options: ResumeOptions, wire: LinkWire): WireSession {
  return new ResumeSession(options, wire);
}

class ResumeSession implements WireSession {
  private readonly client: ResumeClient;
  /** Messages the session delivered in the current frame, for the attempt to hand out. */
  private readonly inbox: AppData[] = [];
  /** Frames the transport refused (its send() threw) in the session's step, in order: the error,
   * and the message when it was a kept message's (`refused`); reported after the step (`report`). */
  private readonly refusals: { error: LinkvisorError; data?: Payload }[] = [];

  constructor(
    options: ResumeOptions,
    private readonly wire: LinkWire,
  ) {
    this.client = createResumeClient(options, {
      write: (frame) => this.writeFrame(frame),
      deliver: (data) => this.inbox.push(data),
      refused: (data) => {
        const last = this.refusals[this.refusals.length - 1] as { error: LinkvisorError; data?: Payload };
        // A ping's refusal is an error only (as without resume: a missed pong, never `dropped`),
        // naming heartbeat.ping (here: a binary ping that starts with MARK is written escaped, a
        // frame `writeFrame` cannot tell from a message's).
        if (this.pings.has(data as Uint8Array))
          last.error = unwritable(last.error.cause, PING, this.wire.redactUser);
        else last.data = this.sent(data);
      },
      unwritable: () => {
        this.stuck = true;
      },
    });
  }

  /** The attempt whose socket the session runs on (`start`), null once it is gone (`pause`). */
  private attempt: SessionAttempt | null = null;
  /** The socket refused a `seq` frame: nothing more is written on it; it is replaced once the
   * refusal is reported (`replaceStuck`). */
  private stuck = false;
  /** The application heartbeat's pings (`ping`), by the bytes the session keeps for each: what to
   * write (a text ping is kept as its UTF-8 bytes and written as the text). Never `dropped`. */
  private readonly pings = new WeakMap<Uint8Array, Payload>();

  /**
   * Reports what the transport refused in the session's step just over (after it, as the wire's
   * flush does: a listener that sends again meets the refusal itself): a kept message `dropped`
   * (`invalid`) with its error, then the `error`; a control frame's, the `error`.
   */
  private report(): void {
    // The usual case, on every send: nothing refused (no arrays made).
    if (this.refusals.length === 0) return;
    const refusals = this.refusals.splice(0);
    // Refused after the link ended (inside the send() that ended it): its end reported the message
    // (`dropped`, closed) and nothing comes after `closed` or `failed`.
    if (this.over) return;
    for (const { data, error } of refusals) {
      if (data !== undefined) this.wire.emit('dropped', { data, reason: 'invalid', error });
      this.wire.reportError(error);
    }
  }

  /** A socket that refused a `seq` frame (reported once: `report`) is replaced: the next socket's
   * replay carries what waits; nothing more is tried, or reported, on this one. */
  private replaceStuck(): void {
    if (!this.stuck) return;
    this.stuck = false;
    this.attempt?.fail({
      kind: 'error',
      errorCode: 'LV_ERR_RESUME',
      message: 'the socket refused a resume seq frame',
    });
  }

  send(data: Payload): SendResult | null {
    // Numbered and kept until acknowledged (a private copy of binary); a full replay buffer
    // holds it in the queue until an ack frees room.
    const message = this.toAppData(copyPayload(data));
    const bytes = appDataBytes(message, byteLengthOf);
    if (this.neverFits(bytes)) return this.tooLarge(data, bytes);
    const outcome = this.client.send(message, bytes);
    if (outcome === 'full') return null;
    // The socket refused this value: the caller's LV_ERR_INVALID_DATA, as without resume (it
    // left the session; its number goes to the next message). Earlier ones refused are reported.
    const own = outcome === 'refused' && !this.over && this.refusals.pop();
    this.report();
    if (own) throw own.error;
    this.replaceStuck();
    // The link ended inside the transport's send() (or as its socket was replaced): the end
    // reported the message (`dropped`, `closed`, unacknowledged); 'sent' if the transport said it
    // wrote it, as without resume.
    if (this.over) return outcome === 'sent' ? 'sent' : 'dropped';
    // 'sent' (written) or 'queued' (no socket yet), as without resume: where the message is now.
    // Kept for replay either way; one never acknowledged is reported `dropped` (reset, closed) once.
    return outcome === 'sent' ? 'sent' : 'queued';
  }

  /** The queue into the session, in order, while its replay buffer has room. A message the
   * buffer can never hold (queued while the link was away) is dropped, not left at the head. */
  flush(open: boolean): void {
    const wire = this.wire;
    const client = this.client;
    const tooLarge: Payload[] = [];
    if (client.open && wire.connection) {
      for (let item = wire.queue.shift(); item; item = wire.queue.shift()) {
        if (this.neverFits(item.bytes)) {
          tooLarge.push(item.data);
          continue;
        }
        if (client.send(this.toAppData(item.data), item.bytes) === 'full') {
          wire.queue.unshift(item);
          break;
        }
      }
    }
    wire.writable = open && wire.queue.length === 0;
    for (const data of tooLarge) wire.emit('dropped', { data, reason: 'overflow' });
    this.report();
    this.replaceStuck();
  }

  /** The application heartbeat's ping (`heartbeat.mode: 'app'`): one of the session's data
   * frames, as the server's application reads it (numbered, kept for replay until acknowledged,
   * never reported `dropped`); with no room in the replay buffer it does not go (a missed pong),
   * and one the buffer can never hold is an error (no ack would make room: every ping missed). */
  ping(data: Payload): null {
    const text = typeof data === 'string';
    const kept = text ? new TextEncoder().encode(data) : (this.toAppData(copyPayload(data)) as Uint8Array);
    if (this.neverFits(kept.byteLength)) {
      this.wire.reportError(this.tooLargeError(kept.byteLength, PING));
      return null;
    }
    this.pings.set(kept, text ? data : kept);
    this.client.send(kept, kept.byteLength);
    this.report();
    this.replaceStuck();
    return null;
  }

  /** Reports what was never acknowledged (`reason`), as the application sent it; pings are not. */
  private dropAll(entries: readonly { data: AppData }[], reason: 'reset' | 'closed'): void {
    for (const { data } of entries)
      if (!this.pings.has(data as Uint8Array)) this.wire.emit('dropped', { data: this.sent(data), reason });
  }

  /** Whether a message of `bytes` is larger than the replay buffer can ever hold (resume.maxBytes):
   * no ack can make room for it, so waiting for one would block every message behind it. */
  private neverFits(bytes: number): boolean {
    return bytes > this.client.stream.limits.maxBytes;
  }

  /** A send that can never be kept for replay: refused as the queue refuses a message that can
   * never fit it (thrown with overflow `reject`, otherwise dropped and reported). */
  private tooLarge(data: Payload, bytes: number): SendResult {
    if (this.wire.config.queue.overflow === 'reject') throw this.tooLargeError(bytes, SEND_DATA);
    this.wire.emit('dropped', { data, reason: 'overflow' });
    return 'dropped';
  }

  /** LV_ERR_QUEUE_FULL: a message (`site`: a send, a ping) that can never fit the replay buffer. */
  private tooLargeError(bytes: number, site: PayloadSite): LinkvisorError {
    return new LinkvisorError(
      'LV_ERR_QUEUE_FULL',
      `${site.call}: message of ${bytes} bytes can never fit the resume replay buffer (resume.maxBytes ${this.client.stream.limits.maxBytes})`,
      { option: site.option },
    );
  }

  /** The chart entered `resuming`: the hello goes first; what the session delivers is held until
   * the link is ready (as for a handshake). */
  start(attempt: SessionAttempt): void {
    this.attempt = attempt;
    attempt.held = new HeldMessages(attempt);
    if (!attempt.write(this.client.hello(), RESUME_HELLO)) {
      attempt.fail({
        kind: 'error',
        errorCode: 'LV_ERR_RESUME',
        message: 'the resume hello could not be written',
      });
    }
  }

  /** A frame of the session: control frames stay here, data goes on as the application's. */
  receive(attempt: SessionAttempt, data: Incoming): void {
    const wire = this.wire;
    const client = this.client;
    const wasArrayBuffer = data instanceof ArrayBuffer;
    const frame = typeof data === 'string' || data instanceof Uint8Array ? data : new Uint8Array(data);
    const windowWasOpen = client.stream.ackDueAtMs() !== null;
    const outcome = client.receiveFrame(frame, wire.config.clock.now());
    // What the replay or a write after an ack could not send, before the outcome's events.
    this.report();
    if (outcome) this.onOutcome(attempt, outcome);
    // A new ack window: the chart's ack timer starts (one event per window, not per message).
    if (!windowWasOpen && client.stream.ackDueAtMs() !== null) attempt.report({ type: 'resume.unacked' });
    const inbox = this.inbox;
    if (inbox.length > 0) {
      const delivered = inbox.splice(0);
      for (const message of delivered) {
        attempt.deliver(wasArrayBuffer && typeof message !== 'string' ? toArrayBuffer(message) : message);
      }
    } else if (wire.awaitingPong) {
      // An ack or seq frame proves the peer alive as data does.
      attempt.activity();
    }
    // An ack freed room in the replay buffer: what waits in the queue goes on (only when ready).
    if (attempt.wasReady && wire.queue.length > 0 && client.open && !wire.writable) wire.flush(true);
    // After the outcome's events (a `reset` is always announced) and the frame's messages.
    this.replaceStuck();
  }

  /** Only the Node `ws` transport hands frames over late: text or a Buffer, never an ArrayBuffer. */
  lateData(data: Incoming): Incoming | null {
    const decoded = decodeFrame(data as AppData);
    return decoded.kind === 'data' ? decoded.data : null;
  }

  private onOutcome(attempt: SessionAttempt, outcome: ClientOutcome): void {
    switch (outcome.outcome) {
      case 'error': {
        const message = this.wire.redact(outcome.message);
        if (attempt.holding && !attempt.wasReady) {
          // A peer that does not speak the protocol is a configuration error: retrying cannot fix it.
          attempt.report({
            type: 'resume.failed',
            reason: {
              kind: 'handshake',
              errorCode: 'LV_ERR_RESUME',
              message,
              ...(outcome.foreign ? { fatal: true } : {}),
            },
          });
        } else {
          attempt.fail({ kind: 'error', errorCode: 'LV_ERR_RESUME', message });
        }
        return;
      }
      case 'reset':
        this.dropAll(outcome.dropped, 'reset');
        this.wire.reading?.replayed(false);
        attempt.report({ type: 'resume.done', outcome: 'reset', reason: outcome.reason });
        return;
      case 'resumed':
        this.wire.reading?.replayed(true);
        attempt.report({
          type: 'resume.done',
          outcome: 'resumed',
          replayedIn: outcome.replayedIn,
          replayedOut: outcome.replayedOut,
        });
        return;
      case 'new':
        attempt.report({ type: 'resume.done', outcome: 'new' });
        return;
    }
  }

  /** Acknowledges what arrived (the chart's ack timer fired, or the link drains before its close:
   * the peer frees its replay buffer). */
  ack(): void {
    this.client.sendAck(this.wire.config.clock.now(), true);
    this.report();
  }

  /** The socket of the session is gone (or closing): sends wait for the next one (the ack timer
   * is the connection chart's, and left with its `attempt`). */
  pause(): void {
    this.attempt = null;
    this.stuck = false;
    this.client.close();
  }

  /** The link ended (see `send`). */
  private over = false;

  /** The link ended: what the transport refused before (in the run the end interrupted) is
   * reported first, then what was written and never acknowledged (`closed`); nothing after. */
  end(): void {
    this.report();
    this.over = true;
    this.pause();
    this.dropAll(this.client.end(), 'closed');
  }

  /** The application's binary of another type than Uint8Array (an ArrayBuffer, a DataView, an
   * Int16Array…: the session's own copy), by the byte view the session numbers and keeps for it:
   * a message reported `dropped` is handed back as the type it was sent as (a Buffer stays one),
   * as the queue's are. Weak: it goes with the view, once acknowledged. */
  private readonly typed = new WeakMap<Uint8Array, Payload>();

  /** Application data for the session (its own copy, `kept`): text and Uint8Arrays (Buffers) as
   * they are, other binary as a byte view over it (noted in `typed`). */
  private toAppData(kept: Payload): AppData {
    if (typeof kept === 'string' || kept instanceof Uint8Array) return kept;
    const view =
      kept instanceof ArrayBuffer
        ? new Uint8Array(kept)
        : new Uint8Array(kept.buffer, kept.byteOffset, kept.byteLength);
    this.typed.set(view, kept);
    return view;
  }

  /** A kept message as the application sent it (see `typed`). */
  private sent(data: AppData): Payload {
    return typeof data === 'string' ? data : (this.typed.get(data) ?? data);
  }

  status(): Pick<LinkStatus, 'resume'> {
    const stream = this.client.stream;
    return {
      resume: {
        session: this.client.inSession,
        buffered: { messages: stream.bufferedMessages, bytes: stream.bufferedBytesCount },
        unacknowledged: stream.unacknowledgedIn,
      },
    };
  }

  /** Writes a frame of the session to the current socket: false if it did not go out (no socket,
   * or it said false), `refused` if its send() threw (noted in `refusals`, see EndpointIO.write). */
  private writeFrame(frame: AppData): boolean | 'refused' {
    const wire = this.wire;
    const connection = wire.connection;
    if (!connection) return false;
    try {
      // Truthy: written (a JavaScript transport may return anything), as the wire reads it; a
      // ping's bytes as its text (or the same bytes).
      return !!connection.send(this.pings.get(frame as Uint8Array) ?? frame);
    } catch (error) {
      this.refusals.push({ error: unwritable(error, SEND_DATA, wire.redactUser) });
      return 'refused';
    }
  }
}

/** A received binary message as the ArrayBuffer the transport gave (browsers). */
function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
