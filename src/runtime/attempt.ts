/**
 * One attempt's socket (the connection chart's `attempt` state, through the actions of
 * ./transport-actor.ts): it resolves the per-attempt URL and headers, opens the socket, reports
 * `transport.*`, `handshake.*` and `heartbeat.pong` to the link, runs the chart's commands (flush,
 * ping, handshake, resume, ack, drain) and terminates the socket when disposed. A disposed attempt
 * stays silent: a superseded socket never delivers an event to a newer attempt.
 */
import type { AnyActorRef } from 'xstate';
import type { TransportCommand, TransportReport } from '../../machines/connection.machine.js';
import type { Reason } from '../../machines/policy/close-reason.js';
import { type Incoming, type Payload, type PayloadSite, unwritable } from '../transports/payload.js';
import {
  redactedMessage,
  type TransportConnection,
  type TransportContext,
  type TransportHandlers,
} from '../transports/transport.js';
import type { Clock } from '../util/clock.js';
import type { LinkvisorError } from '../util/errors.js';
import { appPing, isAppPong, PING } from './app-heartbeat.js';
import { openAttempt } from './attempt-open.js';
import { THREW, transportCall, userCall } from './guarded-call.js';
import type { HeldMessages } from './held-messages.js';
import type { LinkWire } from './link-wire.js';
import { report } from './transport-reports.js';
import type { SessionAttempt } from './wire-session.js';

const SOCKET_ERROR: TransportReport = { type: 'transport.error' };

/** How often a closing link checks that its socket has flushed, in ms (bounded by closeTimeoutMs). */
export const DRAIN_POLL_MS = 10;

/**
 * One attempt's socket. It is also the handlers and the context its transport gets, when the
 * transport calls them as methods (the runtime's own transports); any other transport gets
 * plain functions and a plain object (see TransportHandlers).
 */
export class Attempt implements SessionAttempt, TransportHandlers, TransportContext {
  /** Aborted when the attempt ends; made only if someone asks for its signal (a per-attempt
   * function, a handshake): most attempts never do, and an abort() costs a DOMException. */
  private abortController: AbortController | null = null;
  /** Why the attempt ends, the words of its signal's abort reason (set by the transport actions
   * just before they end it, ./transport-actor.ts, in links with the feature ./attempt-abort.ts;
   * undefined: the link itself ended it, stopped or closed). */
  endedBy: string | undefined;
  /** This attempt's socket (null before connect() and once disposed). */
  connection: TransportConnection | null = null;
  disposed = false;
  /** Taking a paused socket's last read as it is terminated (LinkWire.endAttempt): no report. */
  quiet = false;
  private pingSentAt: number | null = null;
  /** When the last ping went out, kept after activity answered it: its own pong, arriving later,
   * still measures the round trip (a pong of an older ping comes measured: `pong(roundTripMs)`). */
  private lastPingSentAt: number | null = null;
  /** A round trip measured that way, reported with the next answer. */
  private lateRttMs: number | null = null;
  private drainTimer: unknown = null;
  /** The close frame a drain under way will write (the last `transport.drain`'s code and reason). */
  private closeFrame: { code: number; reason: string } | null = null;
  /** The chart declared this socket ready at least once (its queue may be flushed). */
  wasReady = false;
  /** Inbound messages held for a running handshake or the session's welcome (./held-messages.ts,
   * which only those link features make: always null in the drop-in's links). */
  held: HeldMessages | null = null;
  /** The running handshake's waiting `next()` calls (src/runtime/run-handshake.ts). */
  reader: { offer(data: Incoming): boolean; abort(message: string): void } | null = null;

  constructor(
    readonly wire: LinkWire,
    readonly attempt: number,
    private readonly link: AnyActorRef,
  ) {}

  /** Reports to the link while this attempt is its current one (a disposed one stays silent). */
  report(event: TransportReport): void {
    if (!this.disposed && !this.quiet) report(this.link, event);
  }

  /** Resolves the target (`lastReason`: why the previous attempt ended, for a per-attempt URL or
   * header function) and opens it (./attempt-open.ts). */
  start(lastReason: Reason | null): void {
    openAttempt(this, lastReason);
  }

  command(command: TransportCommand): void {
    if (this.disposed) return;
    switch (command.type) {
      case 'transport.flush':
        this.makeWritable();
        return;
      case 'transport.ping':
        this.ping();
        return;
      case 'transport.drain':
        this.drain(command.code, command.reason);
        return;
      default:
        // The link features' (handshake, resume: ./feature-commands.ts), which only links with
        // them get from their chart.
        this.wire.config.commands?.(this, command);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.abortController?.abort(this.abortReason());
    this.handOverHeld();
    this.held = null;
    const wire = this.wire;
    if (wire.attempt === this) wire.attempt = null;
    if (wire.connection === this.connection) {
      wire.connection = null;
      wire.writable = false;
      wire.awaitingPong = false;
      wire.session?.pause();
    }
    this.reader?.abort('the attempt ended');
    const connection = this.connection;
    this.connection = null;
    if (connection) transportCall(this.wire, 'terminate()', () => connection.terminate());
    // After the socket went: a clock whose clearTimeout throws reports, and leaves nothing open.
    const timer = this.drainTimer;
    if (timer !== null) userCall(wire, 'clock', () => wire.config.clock.clearTimeout(timer));
  }

  // ── what the transport calls (TransportHandlers) and reads (TransportContext) ──

  open(info: { protocol: string; extensions: string }): void {
    if (this.disposed) return;
    // A paused link's new socket reads nothing (ws reads after open), unless a handshake reads first.
    if (!this.wire.config.handshake && !this.wire.session) this.wire.reading?.holdSocket();
    // Not the selected subprotocol: it is one the link offered, a secret like every one
    // (src/runtime/attempt-headers.ts), and inspection and traces see this event.
    this.report({ type: 'transport.open', extensions: info.extensions });
  }

  /** A pong; with a number, a pong of an older ping (see TransportHandlers.pong): the peer speaks
   * ping, and that round trip is reported with the next answer; it answers nothing itself. */
  pong(staleRoundTripMs?: number): void {
    if (staleRoundTripMs === undefined) this.onPong('pong');
    else {
      this.wire.pongSeen = true;
      this.lateRttMs = staleRoundTripMs;
    }
  }

  closed(reason: Reason): void {
    this.fail(reason);
  }

  /** The socket fired `error`: the chart waits errorCloseGrace for its close (a disposed attempt
   * stays silent). */
  error(): void {
    this.report(SOCKET_ERROR);
  }

  get clock(): Clock {
    return this.wire.config.clock;
  }

  get connectTimeoutMs(): number {
    return this.wire.config.connectTimeoutMs;
  }

  get maxPayloadBytes(): number {
    return this.wire.config.maxPayloadBytes;
  }

  /** Scrubs the link's secrets (a function: a transport may pass it on). */
  get redact(): (text: string) => string {
    return this.wire.redact;
  }

  fail(reason: Reason): void {
    if (this.disposed) return;
    // Whatever a transport put in its message (a custom one may quote the URL), no secret of this
    // link goes further than here.
    reason = { ...reason, message: redactedMessage(reason, this.wire) };
    // A close code the application marks as a credentials rejection (verdict `refresh`).
    if (
      reason.kind === 'close' &&
      reason.code !== undefined &&
      this.wire.config.authCloseCodes.includes(reason.code)
    )
      reason.auth = true;
    if (this.wire.connection === this.connection) {
      this.wire.writable = false;
      this.wire.session?.pause();
    }
    this.reader?.abort(reason.message);
    this.report({ type: 'transport.closed', reason });
  }

  // ── data and heartbeat ──

  message(data: Incoming): void {
    if (this.disposed) return;
    const session = this.wire.session;
    if (session) session.receive(this, data);
    else this.deliver(data);
  }

  /** An application message (from the socket, or from the session's frames). */
  deliver(data: Incoming): void {
    const wire = this.wire;
    if (isAppPong(wire, data)) {
      this.onPong('pong');
      return;
    }
    if (wire.awaitingPong) this.onPong('activity');
    const held = this.held;
    if (held) {
      if (!this.reader?.offer(data)) held.messages.push(data);
      return;
    }
    // Read while the link is paused (read before the pause took hold), while a resume has kept
    // messages still to deliver (its socket terminated by a listener), or while an older socket
    // hands over late what it had read: after them (./reading-hold.ts).
    wire.reading ? wire.reading.read(data) : wire.deliver(data);
  }

  // ── the session layer (src/runtime/resume-session.ts) ──

  get holding(): boolean {
    return this.held !== null;
  }

  activity(): void {
    this.onPong('activity');
  }

  private onPong(proof: 'pong' | 'activity'): void {
    const wire = this.wire;
    const now = wire.config.clock.now();
    if (proof === 'pong') {
      wire.pongSeen = true;
      if (this.pingSentAt === null && this.lastPingSentAt !== null) {
        // Activity already answered this ping; its pong still tells the round trip.
        this.lateRttMs = now - this.lastPingSentAt;
        this.lastPingSentAt = null;
      }
    }
    if (this.pingSentAt === null) return;
    const rttMs = proof === 'pong' ? now - this.pingSentAt : this.lateRttMs;
    if (proof === 'pong') this.lastPingSentAt = null;
    this.lateRttMs = null;
    this.pingSentAt = null;
    wire.awaitingPong = false;
    // Once the peer has answered a ping on this link, activity answers for it as a pong would:
    // on a busy link inbound messages always beat the pong, and a chart that never learnt that the
    // peer speaks ping would tolerate its silence forever (a blackholed link staying ready).
    this.report({ type: 'heartbeat.pong', rttMs, proof: wire.pongSeen ? 'pong' : proof });
  }

  private ping(): void {
    const wire = this.wire;
    const connection = this.connection;
    if (!connection) return;
    this.pingSentAt = wire.config.clock.now();
    this.lastPingSentAt = this.pingSentAt;
    wire.lastPingAt = this.pingSentAt;
    wire.awaitingPong = true;
    // A ping that cannot go out is reported and counts as sent: a missing ping is a missed pong.
    const ping = wire.config.ping;
    if (wire.config.heartbeat.mode === 'app' && ping) {
      const payload = appPing(wire, ping);
      if (payload !== null) this.write(payload, PING, connection);
    } else {
      transportCall(this.wire, 'ping()', () => connection.ping());
    }
  }

  /** Writes a message of the runtime's own (a ping, a session's hello); a socket that throws is
   * reported. */
  write(data: Payload, site: PayloadSite, connection = this.connection): boolean {
    if (!connection) return false;
    try {
      return connection.send(data);
    } catch (error) {
      this.wire.reportError(unwritable(error, site, this.wire.redactUser));
      return false;
    }
  }

  private makeWritable(): void {
    const wire = this.wire;
    this.wasReady = true;
    wire.lastPingAt = wire.config.clock.now();
    // Messages that arrived after the handshake's last read are the application's: delivered
    // after this step, once the link said it is ready (its `state` and `ready` events, emitted
    // after the step: a WebSocket's `open` comes before any `message`); held until then.
    this.reader = null;
    this.held?.ready();
    wire.reading?.holdSocket();
    wire.flush(true);
  }

  /** The attempt ends (LinkWire.endAttempt, then dispose): messages held behind the handshake,
   * not all delivered yet after the ready step, are handed over (./held-messages.ts). */
  handOverHeld(): void {
    if (this.wasReady) this.held?.handOver();
  }

  /** The attempt's abort signal (already aborted if the attempt is over). */
  get signal(): AbortSignal {
    if (!this.abortController) {
      this.abortController = new AbortController();
      if (this.disposed) this.abortController.abort(this.abortReason());
    }
    return this.abortController.signal;
  }

  /** What the signal's `reason` is: LV_ERR_ABORTED saying why, in links with the feature
   * (./attempt-abort.ts); undefined, the platform's AbortError, in the drop-in's, whose providers
   * get no signal. */
  private abortReason(): LinkvisorError | undefined {
    return this.wire.config.abort?.reason(this.attempt, this.endedBy);
  }

  // ── closing ──

  /**
   * Flushes what is queued (only if the link got to ready: a handshake that never finished must
   * not see application messages), waits until the socket has handed everything to the network,
   * then starts the close handshake. The chart's closeTimeout bounds all of it.
   */
  private drain(code: number, reason: string): void {
    const wire = this.wire;
    const connection = this.connection;
    if (!connection) {
      // In-process, ready before a per-attempt URL resolved: no socket to drain or close, so the
      // close is over now (what is queued is reported dropped), not after closeTimeoutMs.
      this.report({
        type: 'transport.closed',
        reason: { kind: 'close', code, message: 'closed before its socket opened' },
      });
      return;
    }
    // A drain under way (the link's own close after its supervisor's): the frame gets this code.
    const draining = this.closeFrame !== null;
    this.closeFrame = { code, reason };
    if (draining) return;
    wire.writable = false;
    // A paused socket reads again (into the unread list) so that its close handshake can end.
    if (wire.paused) wire.reading?.readToClose();
    if (this.wasReady) wire.flush(false);
    // The peer learns what arrived before the close, and frees its replay buffer.
    wire.session?.ack();
    const check = () => {
      this.drainTimer = null;
      if (this.disposed) return;
      const buffered = transportCall(this.wire, 'bufferedAmount', () => connection.bufferedAmount);
      if (typeof buffered === 'number' && buffered > 0) {
        // Polls run in the clock's own callback, outside the link's actor: a clock that cannot
        // count the next one is reported (LV_ERR_LISTENER, option `clock`), and the drain waits no
        // longer (the close frame goes behind what is buffered; closeTimeoutMs still bounds it).
        const timer = userCall(wire, 'clock', () => wire.config.clock.setTimeout(check, DRAIN_POLL_MS));
        if (timer !== THREW) {
          this.drainTimer = timer;
          return;
        }
      }
      const frame = this.closeFrame as { code: number; reason: string };
      // The code is final now: the chart's closing leaves draining (a later close only waits).
      // Reported first, so the link hears it before whatever the close itself reports.
      this.report({ type: 'transport.drained' });
      transportCall(this.wire, 'close()', () => connection.close(frame.code, frame.reason));
    };
    check();
  }
}
