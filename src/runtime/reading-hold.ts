/**
 * The application's hold on reading (`Link.pause` until `Link.resume`), a link feature
 * (./link-features.ts): the supervisor, defineLink, the testing entry and the Node drop-in offer it;
 * the drop-in in a browser, whose WebSocket cannot pause, does not, so its bundle leaves this file
 * out (test/size/bundle-size.test.ts). Made on a link's first pause (most links never pause): the
 * link's, across its sockets (./link-wire.ts keeps the flag, the chart its `readingPaused`). It
 * tells each socket to stop reading, once per socket, and keeps what was read while paused:
 * delivered on resume, in order, before anything newer.
 */
import type { Incoming } from '../transports/payload.js';
import type { TransportConnection } from '../transports/transport.js';
import type { LateReader } from '../transports/ws-transport.js';
import { transportCall } from './guarded-call.js';
import type { LinkWire } from './link-wire.js';

/** A socket that can hand over late what it had read when terminated (the `ws` transport's). */
type LastReadable = { terminateReading(reader: LateReader): boolean };

/** A link's hold on reading: the socket it paused, and what was read while paused. */
export class ReadingHold {
  /** Messages read while paused and not delivered yet, oldest first (but the first `next`). */
  unread: Incoming[] = [];
  /** How many of `unread`'s first messages a resume under way delivered already (0 between
   * resumes): a listener that resumes again goes on from there, one that ends the link has only
   * the rest reported. */
  private next = 0;
  /** The socket told to pause (null: none): a new socket of a paused link is not it yet. */
  private held: TransportConnection | null = null;
  /** Terminated sockets still handing over what they had read (`takeLastRead`), and what waits
   * for them (the link's end: ./link.ts), null when none. */
  private lastReads: { sockets: number; waiting: (() => void)[] } | null = null;
  /** The link is over (`drop`): a late message is reported at once. */
  private over = false;
  /** The current socket's number (each socket terminated makes the next one current). */
  private current = 1;
  /** The number of the newest socket a message of which reached the link (read, `fresh`, or handed
   * over late and kept): a terminated socket's late message that comes after one of a newer
   * socket's is reported, never delivered after it (also when the newer one's came late too). */
  private seen = 0;

  constructor(private readonly wire: LinkWire) {}

  /** Holds reading (`Link.pause`): the current socket's once it has been ready (a handshake or a
   * resume exchange reads first; a ws socket cannot pause before its open), every later socket's
   * from its open or its ready (./attempt.ts). False if the transport cannot pause: the current
   * socket has no flow control, or between sockets the transport does not declare its sockets
   * have it (`Transport.pausable`). */
  hold(): boolean {
    const wire = this.wire;
    const connection = wire.connection;
    if (!(connection ? connection.pause !== undefined : wire.config.transport.pausable === true))
      return false;
    wire.paused = true;
    if (wire.attempt?.wasReady) this.holdSocket();
    return true;
  }

  /** How many messages are kept, not delivered yet. */
  get kept(): number {
    return this.unread.length - this.next;
  }

  /** Whether a message that reaches the link now is kept: paused, or a resume under way has kept
   * messages still to deliver (it goes after them, never before). */
  get keeping(): boolean {
    return this.wire.paused || this.kept > 0;
  }

  /** Whether the current socket is still told to pause: also during a resume, until its kept
   * messages are delivered, so a socket terminated then has its last read taken (`takeLastRead`). */
  get holding(): boolean {
    return this.held !== null && this.held === this.wire.connection;
  }

  /** Tells the current socket to stop reading while the link is paused, unless it was told
   * already or cannot pause. */
  holdSocket(): void {
    const { paused, connection } = this.wire;
    if (!paused || !connection?.pause || this.held === connection) return;
    this.held = connection;
    transportCall(this.wire, 'pause()', () => connection.pause?.());
  }

  /**
   * Reads again (`Link.resume`): `tellChart` first (a listener may pause again, and the chart must
   * hear it after the resume), then what was read while paused, in order, and then the current
   * socket, if it was told to pause, unless a listener paused again meanwhile. False if reading
   * was not held.
   */
  release(tellChart: () => void): boolean {
    const wire = this.wire;
    if (!wire.paused) return false;
    wire.paused = false;
    // A long pause is no sign of suspended timers: the overdue check counts from here.
    wire.lastPingAt = wire.config.clock.now();
    tellChart();
    wire.emit('reading', { paused: false, unread: this.kept });
    while (this.next < this.unread.length && !wire.paused) wire.deliver(this.unread[this.next++] as Incoming);
    this.unread.splice(0, this.next);
    this.next = 0;
    if (wire.paused) return true;
    const socket = this.held;
    this.held = null;
    if (socket && socket === wire.connection) transportCall(wire, 'resume()', () => socket.resume?.());
    return true;
  }

  /** The link closes: the current socket reads again, so the peer's answer to the close frame is
   * read and every message it sent before that is kept (the link stays paused: reported dropped,
   * `unread`, unless `resume()` comes first). A socket that never reads ends only at the close timeout. */
  readToClose(): void {
    const connection = this.wire.connection;
    if (!connection || this.held !== connection) return;
    this.held = null;
    transportCall(this.wire, 'resume()', () => connection.resume?.());
  }

  /** The paused socket's attempt ends (LinkWire.endAttempt): the socket is terminated now, the
   * attempt quiet, so what Node had read reaches the link while it still listens (kept unread);
   * a session's frames come again, so not with one. What the socket of a ready attempt hands over
   * late (`ws` inflating compressed messages) comes to `lateMessage` until its `lateEnd`, and the
   * link's end waits for that (before ready, a handshake's messages end with their attempt). */
  takeLastRead(attempt: { quiet: boolean; readonly wasReady: boolean }): void {
    const wire = this.wire;
    const connection = wire.connection as (TransportConnection & Partial<LastReadable>) | null;
    if (!connection || wire.session) return;
    attempt.quiet = true;
    // Its number: what it reads at once as it is terminated (its buffered bytes, up to a
    // compressed message) is its own, before its late messages, and supersedes none.
    const own = this.current;
    const reader: LateReader = {
      lateMessage: (data) => this.lateMessage(data, own),
      lateEnd: () => this.lateEnd(),
    };
    const late = transportCall(wire, 'terminate()', () =>
      attempt.wasReady && connection.terminateReading
        ? connection.terminateReading(reader)
        : connection.terminate(),
    );
    this.current = own + 1;
    if (late === true) {
      this.lastReads ??= { sockets: 0, waiting: [] };
      this.lastReads.sockets++;
    }
  }

  /** A message of the current socket reaches the link (./attempt.ts): kept unread or delivered. */
  fresh(): void {
    this.seen = this.current;
  }

  /** A message terminated socket number `socket` handed over late: kept unread (delivered if the
   * link was resumed meanwhile), or reported if the link is over or a newer socket's message
   * reached it first. */
  private lateMessage(data: Incoming, socket: number): void {
    const wire = this.wire;
    if (this.over || this.seen > socket) {
      wire.emit('dropped', { data, reason: 'unread' });
      return;
    }
    this.seen = socket;
    // The link's end waits for it (it is ending): kept, reported with the rest as it ends.
    if (this.keeping || this.lastReads?.waiting.length) this.unread.push(data);
    else wire.deliver(data);
  }

  /** A terminated socket handed over its last message: what waited for the last one runs. */
  private lateEnd(): void {
    const lastReads = this.lastReads;
    if (lastReads === null || --lastReads.sockets > 0) return;
    this.lastReads = null;
    for (const then of lastReads.waiting) then();
  }

  /** Runs `then` once every terminated socket has handed over what it had read: true, or false
   * (`then` not run) if none is still doing so. */
  afterLastRead(then: () => void): boolean {
    this.lastReads?.waiting.push(then);
    return this.lastReads !== null;
  }

  /** Paused (ready.paused): a ping no pong is awaited for; a socket whose peer is gone fails it. */
  probe(): void {
    const connection = this.wire.connection;
    if (connection) transportCall(this.wire, 'ping()', () => connection.ping());
  }

  /** The link is over: nothing to resume; what was read while paused, never delivered, is
   * reported (`dropped`, reason `unread`). */
  drop(): void {
    const wire = this.wire;
    wire.paused = false;
    this.over = true;
    for (const data of this.unread.splice(this.next)) wire.emit('dropped', { data, reason: 'unread' });
  }
}

/** Makes a link's hold on reading (the link feature `hold`). */
export const readingHold = (wire: LinkWire): ReadingHold => new ReadingHold(wire);
