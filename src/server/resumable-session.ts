/**
 * One session of a `resumable` server: what a server application writes against. It survives its
 * client's reconnects (each new socket is attached to it), numbers and keeps what it sends until
 * acknowledged, delivers what it receives once and in order, and ends explicitly: closed by the
 * application or the client, expired (its client away longer than the TTL), evicted (away the longest
 * when its server was full), overflowed (its replay buffer full), reset, or the server closing. Every
 * message it could not confirm is reported as `dropped` before `close`. Its timers (the ack delay, the
 * TTL while its client is away) are delayed transitions of its session chart
 * (machines/session.machine.ts), one actor per session on the server's clock: they live exactly as
 * long as the state that needs them. Its chart and endpoint, shared by every session:
 * ./session-chart.ts; its events, status and close frames: ./session-types.ts.
 */
import type { WebSocket } from 'ws';
import { type Actor, createActor, type InspectionEvent } from 'xstate';
import type { sessionMachine } from '../../machines/session.machine.js';
import { type AppData, appDataBytes, decodeFrame, type ResetReason } from '../resume/frames.js';
import type { ResumeEndpoint } from '../resume/resume-endpoint.js';
import type { Entry, ResumeStream } from '../resume/resume-stream.js';
import { assertPayload, byteLengthOf, type Payload } from '../transports/payload.js';
import type { Clock } from '../util/clock.js';
import { Emitter } from '../util/emitter.js';
import { LinkvisorError } from '../util/errors.js';
import { ackers, SessionEndpoint, serverSessionMachine } from './session-chart.js';
import {
  CLOSE_FOR,
  type Moved,
  SESSION_EVENTS,
  type SessionEndReason,
  type SessionEvents,
  type SessionStatus,
} from './session-types.js';

export type { SessionEndReason, SessionEvents, SessionStatus } from './session-types.js';

/** What the server gives a session to reach the outside. */
export interface SessionHost {
  clock: Clock;
  sessionTtlMs: number;
  /** XState inspection of every session's chart (made harmless by the server). */
  inspect: ((event: InspectionEvent) => void) | undefined;
  /** Closes a socket (its close frame; terminated if its peer does not answer: ./close-socket.ts). */
  closeSocket(ws: WebSocket, code: number, reason: string): void;
  /** The client went away: keep the session for the TTL. */
  away(session: ResumableSession): void;
  /** Before an ack goes out (a durable store writes the session first). */
  beforeAck(session: ResumableSession): Promise<void> | void;
  /** The session ended: forget it (and leave an `overflowed` note for `overflow`). Not null (now,
   * or once the store answered) when its client resumed it on another server sharing the store:
   * the last message that server could replay from this one's record (docs/resume.md). */
  ended(session: ResumableSession, reason: SessionEndReason): Moved | Promise<Moved>;
  /** The last message received that the session's write the other server resumed it from held
   * (the one its record's `from` names; else its last write that succeeded; 0: none): once it `moved`,
   * every later one is delivered again by the server its client resumed it on. Optional (a host
   * of one's own written before it): without it, none (every message received and never
   * acknowledged is counted in the `moved` session's `error`). */
  receivedUpTo?(session: ResumableSession): number;
}

/** One session of a `resumable` server: what a server application sends to and listens on;
 * it survives its client's reconnects (see the file header). */
export class ResumableSession {
  private readonly emitter = new Emitter<SessionEvents>(SESSION_EVENTS, (error, event) => {
    if (event !== 'error') {
      this.emitter.emit(
        'error',
        new LinkvisorError('LV_ERR_LISTENER', `a session '${String(event)}' listener threw`, {
          cause: error,
        }),
      );
    }
  });
  private readonly endpoint: ResumeEndpoint;
  /** The session chart: attached (quiet ⇄ acking) ⇄ away → expired | evicted | ended; owns both timers. */
  private readonly chart: Actor<typeof sessionMachine>;
  private socket: WebSocket | null = null;
  /** A socket has been attached before (a later attach is a return or a replacement). */
  private attachedBefore = false;
  private ackWaiting = false;
  private over = false;

  constructor(
    /** The session's id: a bearer secret (whoever presents it resumes the session); never log it. */
    readonly id: string,
    /** `new`; `reset` when the client had a session the server could not resume; `resumed`
     * when it came back from a durable store (a restart). */
    readonly outcome: 'new' | 'reset' | 'resumed',
    /** Why the client's previous session could not be resumed (outcome `reset`). */
    readonly resetReason: ResetReason | null,
    stream: ResumeStream,
    private readonly host: SessionHost,
  ) {
    this.endpoint = new SessionEndpoint(stream, {
      write: (frame) => this.write(frame),
      deliver: (data) => this.emitter.emit('message', data),
    });
    this.chart = createActor(serverSessionMachine, {
      clock: host.clock,
      input: { ackDelayMs: stream.acks.ackDelayMs, sessionTtlMs: host.sessionTtlMs },
      ...(host.inspect ? { inspect: host.inspect } : {}),
    });
    // Observers run after the chart's step: the session ends outside it.
    this.chart.subscribe((snapshot) => {
      if (snapshot.value === 'expired') this.end('expired');
      else if (snapshot.value === 'evicted') this.end('evicted');
    });
    ackers.set(this.chart, () => this.ackNow());
    this.chart.start();
  }

  on<K extends keyof SessionEvents & string>(
    event: K,
    listener: (payload: SessionEvents[K]) => void,
  ): () => void {
    return this.emitter.on(event, listener);
  }

  off<K extends keyof SessionEvents & string>(event: K, listener: (payload: SessionEvents[K]) => void): void {
    this.emitter.off(event, listener);
  }

  get connected(): boolean {
    return this.socket !== null && this.endpoint.open;
  }

  get ended(): boolean {
    return this.over;
  }

  /** The stream, for the store. */
  get stream(): ResumeStream {
    return this.endpoint.stream;
  }

  /**
   * Sends to the client now (`sent`) or when it is back (`buffered`). A session whose replay
   * buffer is full ends (`overflow`): its client's next resume is a reset. Throws
   * LV_ERR_LINK_CLOSED once the session is over, LV_ERR_INVALID_DATA for what cannot be sent.
   */
  send(data: Payload): 'sent' | 'buffered' | 'dropped' {
    if (this.over) throw new LinkvisorError('LV_ERR_LINK_CLOSED', 'session send(): the session is over');
    assertPayload(data);
    const message = toAppData(data);
    const outcome = this.endpoint.send(message, appDataBytes(message, byteLengthOf));
    // Never `refused`: this session's write says written or not, it never refuses a frame.
    if (outcome !== 'full') return outcome as 'sent' | 'buffered';
    this.end('overflow', [{ seq: 0, data: message, bytes: 0 }]);
    return 'dropped';
  }

  /** Ends the session: the client's socket closes (1000) and its next resume is a reset. */
  close(): void {
    this.end('closed');
  }

  status(): SessionStatus {
    const stream = this.endpoint.stream;
    return {
      connected: this.connected,
      buffered: { messages: stream.bufferedMessages, bytes: stream.bufferedBytesCount },
      unacknowledged: stream.unacknowledgedIn,
    };
  }

  // ── driven by the server ──

  /** A socket of this session's client passed the handshake: replay, then live. */
  attach(socket: WebSocket, welcome: Uint8Array, replay: readonly Entry[]): void {
    this.detach();
    if (this.attachedBefore) this.chart.send({ type: 'session.attached' });
    this.attachedBefore = true;
    this.socket = socket;
    this.write(welcome);
    this.endpoint.startSending(replay);
  }

  /** The server is full and this session is the one away the longest: its chart ends it
   * (`evicted`, reported as for an expiry); a session whose client is attached stays. */
  evict(): void {
    this.chart.send({ type: 'session.evict' });
  }

  /** Emits `resumed` (after `attach`, for a session that existed). */
  announceResumed(replayedOut: number): void {
    this.emitter.emit('resumed', { replayedOut });
  }

  /** A frame from the attached socket. */
  receive(socket: WebSocket, frame: AppData): void {
    if (socket !== this.socket || this.over) return;
    const broken = this.endpoint.receive(decodeFrame(frame), this.host.clock.now());
    if (broken !== null) {
      this.brokenByClient(broken);
      return;
    }
    // A `message` listener that ended the session or closed the server: no ack (nor its write).
    if (!this.over) this.noteUnacked();
  }

  /** The attached socket closed with `code`. */
  socketClosed(socket: WebSocket, code: number): void {
    if (socket !== this.socket) return;
    this.socket = null;
    this.endpoint.close();
    if (this.over) return;
    // The client's close(): the link is over, so is its session.
    if (code === 1000) {
      this.end('client-closed');
      return;
    }
    // The chart leaves `attached` (its ack timer with it) and waits `sessionTtl` in `away`.
    this.chart.send({ type: 'session.detached' });
    this.emitter.emit('away', {});
    // An `away` listener that ended the session (it gave up on its client) leaves nothing to keep.
    if (!this.over) this.host.away(this);
  }

  /** Ends the session with `reason`: reports what was never acknowledged, then `close`. The
   * client's socket closes with the reason's code and `closeText` (default: the reason's). */
  end(reason: SessionEndReason, alsoDropped: Entry[] = [], closeText?: string): void {
    const [code, text] = CLOSE_FOR[reason];
    if (!this.stop([code, closeText ?? text])) return;
    const moved = this.host.ended(this, reason);
    if (moved === null || typeof moved === 'number') this.report(reason, moved, alsoDropped);
    else void moved.then((upTo) => this.report(reason, upTo, alsoDropped));
  }

  /** Reports the end: what was never acknowledged `dropped`, then `close`. A session that `moved`
   * (`movedUpTo` not null: its client resumed it on another server, from a record that held every
   * message up to `movedUpTo`) reports only those sent after (the other server never had them). */
  private report(ended: SessionEndReason, movedUpTo: Moved, alsoDropped: Entry[]): void {
    const reason = movedUpTo === null ? ended : 'moved';
    if (reason === 'reset') this.emitter.emit('reset', { reason: 'protocol' });
    if (reason === 'moved') this.reportRedelivered();
    const unacked = this.endpoint.stream.reset();
    const lost = movedUpTo === null ? [...unacked, ...alsoDropped] : unacked.filter((e) => e.seq > movedUpTo);
    for (const entry of lost) this.emitter.emit('dropped', { data: entry.data, reason });
    this.emitter.emit('close', { reason });
    this.emitter.clear();
  }

  /** A session that `moved` delivered messages its store record never held (received after its
   * last write: the write before their ack refused, or not made yet) and never acknowledged: the
   * client replays them to the server it resumed on, which delivers them again. Said once, as an
   * `error` (LV_ERR_RESUME) naming how many, never what (an application that cannot take a repeat
   * skips them by an id of its own: docs/resume-protocol.md §6). Ones acknowledged without a write
   * (a store that is not durable) the client no longer holds: not counted. */
  private reportRedelivered(): void {
    const stream = this.endpoint.stream;
    const again = Math.min(
      stream.receivedSeq - (this.host.receivedUpTo?.(this) ?? 0),
      stream.unacknowledgedIn,
    );
    if (again <= 0) return;
    this.emitter.emit(
      'error',
      new LinkvisorError(
        'LV_ERR_RESUME',
        `the session moved to another server sharing the store, whose record of it lacks the last ${again} message(s) received here, never acknowledged: its client sends them there again, delivered twice`,
      ),
    );
  }

  /**
   * The client broke the protocol (`why`: an ack of a message never sent, a frame no version-1
   * peer sends, a `seq` that skips messages): its socket closes with 1002 and why, and the session
   * ends as a `reset` (protocol) after an `error` that says so. A client that breaks it has lost
   * the session (ours starts a new one), so waiting out the TTL for it would only hold the replay
   * buffer and report its messages as `expired` later.
   */
  private brokenByClient(why: string): void {
    this.emitter.emit(
      'error',
      new LinkvisorError('LV_ERR_RESUME', `the client broke the resume protocol (${why}): the session ends`),
    );
    this.end('reset', [], `linkvisor resume: ${why}`.slice(0, 123));
  }

  /** The server is closing and the store is to keep this session: it stops now (no frame in or
   * out), and ends (`close`) once the store's write of it has settled (`left`). */
  leave(): void {
    this.stop(CLOSE_FOR['server-closed']);
  }

  /** The store's write of a session that `leave()` stopped has settled. Kept: no drop to report.
   * `lost` (the write failed): it ends as without a durable store, its record deleted (an older
   * one would bring back, at a restart, what is reported lost here) and what the client never
   * acknowledged reported `dropped`. Then `close`. `movedUpTo` not null: not written, its client
   * having resumed it on another server sharing the store; it ends `moved` (see `report`), as
   * one lost whose end finds that (resolves once reported). */
  left(lost: boolean, movedUpTo: Moved = null): void | Promise<void> {
    if (movedUpTo !== null) {
      this.report('server-closed', movedUpTo, []);
      return;
    }
    if (lost) {
      // Its end may compare the record first (a refused write, unread: ./session-writes.ts).
      const moved = this.host.ended(this, 'server-closed');
      if (moved === null || typeof moved === 'number') this.report('server-closed', moved, []);
      else return moved.then((upTo) => this.report('server-closed', upTo, []));
      return;
    }
    this.emitter.emit('close', { reason: 'server-closed' });
    this.emitter.clear();
  }

  /** Marks the session over, clears its timers and closes its socket with `close`; false if it
   * was already over. */
  private stop([code, text]: [number, string]): boolean {
    if (this.over) return false;
    this.over = true;
    this.chart.send({ type: 'session.end' });
    this.chart.stop();
    const socket = this.socket;
    this.socket = null;
    this.endpoint.close();
    if (socket) this.host.closeSocket(socket, code, text);
    return true;
  }

  private write(frame: AppData): boolean {
    const socket = this.socket;
    if (socket?.readyState !== 1) return false;
    socket.send(frame);
    return true;
  }

  /**
   * After a received frame: `ackEveryMessages` unacknowledged messages are acknowledged at once
   * (through `ackNow`, after a durable store's write; the chart's pending ack is void), the first
   * one starts the chart's `ackDelay`.
   * One chart event per ack window, never one per message.
   */
  private noteUnacked(): void {
    const stream = this.endpoint.stream;
    const acking = this.chart.getSnapshot().matches({ attached: 'acking' });
    if (stream.ackDueAtMs() === null) {
      // Nothing waits for an ack (a duplicate; or the last ack covered it).
      if (acking) this.chart.send({ type: 'session.acked' });
      return;
    }
    if (this.ackWaiting) return;
    if (stream.unacknowledgedIn >= stream.acks.ackEveryMessages) {
      this.ackNow();
      if (acking) this.chart.send({ type: 'session.acked' });
    } else if (!acking) {
      this.chart.send({ type: 'session.unacked' });
    }
  }

  /** Sends the ack, after the host has written the session if it must: up to the last message
   * the write holds; those received during the write wait for the next one. */
  private ackNow(): void {
    const writtenUpTo = this.endpoint.stream.receivedSeq;
    const written = this.host.beforeAck(this);
    if (!written) {
      this.endpoint.sendAck(this.host.clock.now(), true);
      return;
    }
    this.ackWaiting = true;
    written.then(
      () => {
        this.ackWaiting = false;
        if (this.over) return;
        this.endpoint.sendAck(this.host.clock.now(), true, writtenUpTo);
        this.noteUnacked();
      },
      () => {
        this.ackWaiting = false;
        // Not written (the server reported it as an `error`): no ack, the client keeps its
        // copies; the next ack tries the write again.
      },
    );
  }

  private detach(): void {
    const old = this.socket;
    this.socket = null;
    this.endpoint.close();
    // A newer socket of the same client replaces a half-open one.
    old?.terminate();
  }
}

function toAppData(data: Payload): AppData {
  if (typeof data === 'string') return data;
  const view =
    data instanceof ArrayBuffer
      ? new Uint8Array(data)
      : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  // Kept for replay: a private copy (the application may reuse its buffer once send() returns).
  return view.slice();
}
