/**
 * The data plane of one link: outbound queue, listeners, the current connection, and the cheap
 * liveness notes the heartbeat needs. Messages go from socket to listeners and from queue to
 * socket here, without an actor event per message; the chart (control plane) only tells the
 * wire when it may write (`transport.flush`) and when to ping. What it emits: ./link-events.ts;
 * the config its template shares: ./wire-config.ts; its resumable session: ./wire-session.ts.
 */
import type { AnyActorRef } from 'xstate';
import type { TransportCommand } from '../../machines/connection.machine.js';
import { assertPayload, type Incoming, type Payload, SEND_DATA, unwritable } from '../transports/payload.js';
import type { TransportConnection } from '../transports/transport.js';
import { Emitter } from '../util/emitter.js';
import { LinkvisorError } from '../util/errors.js';
import { SecretSet } from '../util/redact.js';
import { redactedCause } from '../util/redacted-cause.js';
import { LINK_EVENTS, type LinkEvents, type SendResult } from './link-events.js';
import type { AttemptInfo, PerAttempt } from './options.js';
import { OutboundQueue } from './outbound-queue.js';
import { checkOverdue } from './overdue-check.js';
import type { ReadingHold } from './reading-hold.js';
import type { WireConfig, WireParts } from './wire-config.js';
import type { WireSession } from './wire-session.js';

/** A queued message on its way out (the flush). */
const QUEUED = { call: 'flushing a queued message', option: 'data' };

/**
 * @internal One observer of every event a link emits, told before the link's listeners and
 * without a listener function per event: the drop-in ReconnectingWebSocket's generation
 * (src/dropin/reconnecting-websocket.ts). What it throws is reported as a listener's error.
 */
export interface LinkTap {
  linkEvent<K extends keyof LinkEvents & string>(event: K, payload: LinkEvents[K]): void;
}

/**
 * One link's wire: the data path out (`send`, the queue's `flush`) and in (`deliver`), its
 * listeners, the current attempt and connection, and the heartbeat's liveness notes.
 */
export class LinkWire {
  readonly linkId: string;
  readonly config: WireConfig;
  private readonly forwardTo: AnyActorRef | undefined;
  /** Made on first use, as the queue: a link nobody listens to and that never queues (an idle
   * link of a large fleet) has neither (~0.1 KB). */
  private emitterRef: Emitter<LinkEvents> | null = null;
  private queueRef: OutboundQueue | null = null;

  /** The link's tap (see LinkTap), null for none. */
  private tapRef: LinkTap | null = null;

  /** The link's listeners (`link.on`). With a tap, a listener that throws is reported to the tap
   * as well (the `error` event goes through `emit`). */
  get emitter(): Emitter<LinkEvents> {
    // Its listeners' errors go through emit(): their cause is redacted there.
    this.emitterRef ??= new Emitter<LinkEvents>(LINK_EVENTS, (error, event) =>
      this.listenerThrew(error, String(event)),
    );
    return this.emitterRef;
  }

  /** Sets the link's tap (once, before any listener: the drop-in's generation). */
  set tap(tap: LinkTap) {
    this.tapRef = tap;
  }

  /** Tells the link's tap and its listeners, if it has any (the tap first). An error's `cause`
   * (an `error` event's, a `dropped` message's) is replaced by a redacted copy first
   * (../util/redacted-cause.ts): what was thrown (by a listener, a function of the application's,
   * a transport) may quote any link's secret (`redactUser`). */
  emit<K extends keyof LinkEvents & string>(event: K, payload: LinkEvents[K]): void {
    const error = (
      event === 'error' ? payload : event === 'dropped' && (payload as LinkEvents['dropped']).error
    ) as LinkvisorError | false;
    if (error) error.cause &&= redactedCause(error.cause, this.redactUser);
    const tap = this.tapRef;
    if (tap !== null) {
      try {
        tap.linkEvent(event, payload);
      } catch (error) {
        this.listenerThrew(error, event);
      }
    }
    this.emitterRef?.emit(event, payload);
  }

  /** A listener (or the tap) threw: an `error` event (LV_ERR_LISTENER), as the emitter reports its
   * listeners' errors (../util/emitter.ts's reportListenerError); a throwing `error` listener has
   * nowhere left to report. */
  private listenerThrew(error: unknown, event: string): void {
    if (event === 'error') return;
    this.emit(
      'error',
      new LinkvisorError('LV_ERR_LISTENER', `a '${event}' listener threw`, { cause: error }),
    );
  }

  /** Whether the link has a listener of `event` (absent: of any event); a tap hears every event. */
  listens(event?: keyof LinkEvents & string): boolean {
    if (this.tapRef !== null) return true;
    const emitter = this.emitterRef;
    if (emitter === null) return false;
    return event === undefined ? emitter.count() > 0 : emitter.has(event);
  }

  /** The outbound queue (see `queue` options). */
  get queue(): OutboundQueue {
    this.queueRef ??= new OutboundQueue(this.config.queue);
    return this.queueRef;
  }

  /** What is queued, for `status()`. */
  queued(): { messages: number; bytes: number } {
    const queue = this.queueRef;
    return queue === null ? { messages: 0, bytes: 0 } : { messages: queue.length, bytes: queue.bytes };
  }

  /** Nothing is queued. */
  private get queueEmpty(): boolean {
    return this.queueRef === null || this.queueRef.length === 0;
  }
  /** The chart said ready and the queue was flushed: sends go straight to the socket. */
  writable = false;
  /** The current attempt (src/runtime/attempt.ts), null between attempts. */
  attempt: {
    command(command: TransportCommand): void;
    dispose(): void;
    quiet: boolean; // reports nothing: a paused socket's last read is being taken (ReadingHold)
    /** The chart declared its socket ready at least once. */
    readonly wasReady: boolean;
    /** Hands over what it held behind the handshake and has not delivered yet. */
    handOverHeld(): void;
  } | null = null;
  /** The current attempt's connection (null between attempts). */
  connection: TransportConnection | null = null;
  /** A ping is out: the next inbound message or pong proves the peer alive. */
  awaitingPong = false;
  /** When the last ping was sent or the link became ready (clock ms): overdue detection. */
  lastPingAt = 0;
  /** The peer has answered a ping (on any socket of this link). */
  pongSeen = false;
  /** An end that terminates the socket was asked for (`supervisor.terminate()`), set before the
   * chart hears it (./supervisor-socket.ts): a running chart action may still deliver (./attempt.ts). */
  ending = false;
  /** The application holds reading paused (`Link.pause` until `Link.resume`): the link's hold,
   * across its sockets, as the chart's `readingPaused`. */
  paused = false;
  /** The hold's socket and what was read while paused (./reading-hold.ts), made on the first pause
   * by the link feature `hold`; null for a link without it (the drop-in in a browser). */
  reading: ReadingHold | null = null;

  /** Holds reading (`Link.pause`, ./reading-hold.ts); false if the link or its transport cannot. */
  holdReading(): boolean {
    const make = this.config.hold;
    if (make === null) return false;
    this.reading ??= make(this);
    return this.reading.hold();
  }

  /** Secrets seen in URLs and headers (in every form), scrubbed from every message text; made
   * when the first one comes (most links have none: see `addSecrets`). Read by the supervisor's
   * emitter (./supervisor-secrets.ts). */
  secretSet: SecretSet | null = null;

  get secrets(): SecretSet {
    this.secretSet ??= new SecretSet();
    return this.secretSet;
  }

  /** Notes an attempt's URL and headers and the secrets found in them (see SecretSet.addFrom). */
  addSecrets(url: string, headers: Record<string, string>, found: readonly string[]): void {
    // No secret, and none before: nothing to keep (what SecretSet.addFrom would conclude).
    if (found.length === 0 && this.secretSet === null) return;
    this.secrets.addFrom(url, headers, found);
  }
  /** Redacted URL of the last attempt. */
  lastUrl: string | null = null;
  /** Told when timers were suspended: the link, which tells its connection actor
   * (`heartbeat.overdue`) and its maker (the supervisor's time-jump signal); set when the link
   * attaches its actor. */
  overdueTo: { overdue(): void } | null = null;
  /** The resumable session (null without the `resume` option). */
  readonly session: WireSession | null;

  constructor(parts: WireParts) {
    const config = parts.config;
    this.linkId = parts.linkId;
    this.config = config;
    this.forwardTo = parts.forwardTo;
    const resume = config.resume;
    this.session = resume ? resume.create(resume.options, this) : null;
  }

  /** Scrubs the link's secrets out of a text, then (where links have headers: not the drop-in's)
   * credentials it was never given, by shape: a function, which may be passed on (made when
   * asked for, not kept: a link asks when an attempt fails, and most links never do). */
  get redact(): (text: string) => string {
    const scrub = this.config.headerSupport?.scrub ?? String;
    return (text) => scrub(this.secretSet ? this.secretSet.redact(text) : text);
  }

  /** `redact` for a text of the application's (a listener's, a function's or a custom transport's
   * throw: code the links share may quote any link's secret), after every secret the link's maker
   * knows (WireConfig.scrub: a supervisor's links', ./supervisor-secrets.ts); a standalone link's
   * is `redact`. Asked for only when such a text is shown (never on a drop's or a message's path). */
  get redactUser(): (text: string) => string {
    const all = this.config.scrub ?? String;
    return (text) => this.redact(all(text));
  }

  /**
   * The data path out: straight to the socket when ready and nothing is queued before it,
   * otherwise into the queue (bounded; the overflow policy decides).
   */
  send(data: unknown): SendResult {
    assertPayload(data);
    const overdueAfterMs = this.config.overdueAfterMs;
    if (this.writable && overdueAfterMs !== null) checkOverdue(this, overdueAfterMs);
    const session = this.session;
    if (session) {
      if (this.writable && this.queueEmpty && this.connection) {
        const result = session.send(data);
        if (result) return result;
        this.writable = false;
      }
    } else if (this.writable && this.queueEmpty && this.connection) {
      // `through`, inlined (the hot path): a socket that throws (a custom transport or WebSocket
      // class refusing the value) is the caller's LV_ERR_INVALID_DATA, never an exception of its own.
      const connection = this.connection;
      let refused: LinkvisorError | null = null;
      let written = false;
      this.sending++;
      try {
        written = !!connection.send(data);
      } catch (error) {
        refused = unwritable(error, SEND_DATA, this.redactUser);
      }
      // The link ended inside that send(): 'sent' if the transport took the message (said true),
      // 'dropped' if not (reported with the link's end).
      this.sending--;
      if (this.endSteps !== null) return this.ended(data, written) ? 'sent' : 'dropped';
      if (refused !== null) throw refused;
      if (written) return 'sent';
    }
    const result = this.queue.push(data);
    for (const item of result.dropped) this.emit('dropped', { data: item.data, reason: 'overflow' });
    return result.outcome;
  }

  /** Writes a queued message through the transport: what its send() returned, the refusal if it
   * threw, null if the link ended inside that send() (see `ended`). */
  private through(connection: TransportConnection, data: Payload): boolean | LinkvisorError | null {
    this.sending++;
    let written: boolean | LinkvisorError;
    try {
      // Truthy: written (a JavaScript transport may return anything, null too).
      written = !!connection.send(data);
    } catch (error) {
      written = unwritable(error, QUEUED, this.redactUser);
    }
    this.sending--;
    if (this.endSteps === null) return written;
    this.ended(data, written === true);
    return null;
  }

  /** Sends in flight: the transport's send() has not returned (more than one when a send() closed
   * the link and its drain flushed the queue inside it). */
  private sending = 0;
  /** The link's end, asked while a send() was in flight (`afterWrite`; empty: it could not wait,
   * `dropQueued` ran already); null: none, the usual case. */
  private endSteps: (() => void)[] | null = null;

  /** The link ended inside a transport's send() that returned (`took`: it wrote `data`, returned).
   * A message it did not take goes back in front of the queue, reported first with the rest
   * (`dropped`, `closed`, in order) once the outermost send() has returned and the end runs. */
  private ended(data: Payload, took: boolean): boolean {
    const steps = this.endSteps as (() => void)[];
    if (!took) this.queue.unshift({ data, bytes: 0 });
    if (this.sending === 0) {
      this.endSteps = null;
      if (steps.length === 0) this.dropQueued();
      for (const step of steps) step();
    }
    return took;
  }

  /**
   * Runs `step` (the link's end: its `dropped` reports, then `closed` or `failed`) once no send()
   * is in flight: true, or false (`step` not run) if none is. A transport's send() that ends the
   * link has not said yet whether it wrote its message: a message it took is `sent`, never
   * `dropped`; one it did not is reported first, in order, before what was still queued.
   */
  afterWrite(step: () => void): boolean {
    if (this.sending === 0) return false;
    this.endSteps ??= [];
    this.endSteps.push(step);
    return true;
  }

  /**
   * Writes the queue in order; stops (keeping the rest) if the socket will not take more. A
   * message the socket refuses (it throws) is skipped and the rest go on: one bad message never
   * stops a link. Then sends may go straight to the socket again (`open`, once the queue is
   * empty), and only then are the refused messages reported (`dropped` as invalid, and an
   * `error`): a listener that sends one again meets the socket's refusal itself, it cannot keep
   * this loop going for ever.
   */
  flush(open: boolean): void {
    if (this.session) {
      this.session.flush(open);
      return;
    }
    const queue = this.queueRef;
    if (queue === null) {
      this.writable = open;
      return;
    }
    const refused: { data: Payload; error: LinkvisorError }[] = [];
    const connection = this.connection;
    for (let item = connection ? queue.shift() : undefined; item; item = queue.shift()) {
      const written = this.through(connection as TransportConnection, item.data);
      // The link ended inside that send(): nothing is left to write (see `ended`).
      if (written === null) break;
      if (written instanceof LinkvisorError) refused.push({ data: item.data, error: written });
      else if (!written) {
        queue.unshift(item);
        break;
      }
    }
    this.writable = open && queue.length === 0;
    for (const { data, error } of refused) {
      this.emit('dropped', { data, reason: 'invalid', error });
      this.emit('error', error);
    }
  }

  /** The data path in. */
  deliver(data: Incoming): void {
    this.emit('message', data);
    const parent = this.forwardTo;
    if (parent) parent.send({ type: 'link.message', linkId: this.linkId, data });
  }

  /** Reports everything still queued as dropped (the link ended). */
  dropQueued(): void {
    this.session?.end();
    // The link is over: nothing to resume. Read while paused, never delivered: reported.
    this.reading?.drop();
    const left = this.queueRef?.takeAll() ?? [];
    // Still in a send() (an end that could not wait): what it did not write is reported when it returns.
    if (this.sending > 0) this.endSteps ??= [];
    for (const item of left) this.emit('dropped', { data: item.data, reason: 'closed' });
  }

  /** Ends the current attempt, if any: its socket is terminated and it reports nothing more. */
  endAttempt(): void {
    const attempt = this.attempt;
    this.attempt = null;
    // A paused socket's last read (kept unread) reaches the attempt before it goes; also one a
    // resume under way has not told to read again yet (a listener reconnects or ends the link),
    // and the rest of a read a `message` listener interrupted (the socket is `midRead`: the hold,
    // made now if the link has the feature, takes it, delivered or reported: ./reading-hold.ts).
    const midRead = (this.connection as { midRead?: boolean } | null)?.midRead && this.config.hold;
    if (midRead) this.reading ??= midRead(this);
    // Messages held behind the handshake, still to deliver after the ready step (a `ready`
    // listener ends or reconnects the link): they came before that last read, so they go first.
    attempt?.handOverHeld();
    if (attempt && (midRead || this.paused || this.reading?.holding)) this.reading?.takeLastRead(attempt);
    attempt?.dispose();
  }

  /** The link is over without its attempt's teardown (its actor failed): the socket goes now. */
  abandon(): void {
    this.endAttempt();
    const connection = this.connection;
    this.connection = null;
    this.writable = false;
    try {
      connection?.terminate();
    } catch {
      // A custom transport's terminate() that throws: nothing more can be done for this socket.
    }
  }

  reportError(error: LinkvisorError): void {
    this.emit('error', error);
  }

  /** The per-attempt value of an option that may be a function. */
  static async resolve<T>(value: PerAttempt<T>, info: AttemptInfo): Promise<T> {
    return typeof value === 'function' ? await (value as (i: AttemptInfo) => T | Promise<T>)(info) : value;
  }
}
