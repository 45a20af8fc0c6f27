/**
 * The application's hold on reading (`Link.pause` until `Link.resume`), a link feature
 * (./link-features.ts): the supervisor, defineLink, the testing entry and the Node drop-in offer it;
 * the drop-in in a browser, whose WebSocket cannot pause, does not, so its bundle leaves this file
 * out (test/size/bundle-size.test.ts). Made on a link's first pause (most links never pause), or
 * when a `message` listener ends or reconnects the link while its socket hands over a read
 * (LinkWire.endAttempt: the rest of the read is taken, delivered or reported): the link's, across
 * its sockets (./link-wire.ts keeps the flag, the chart its `readingPaused`). It tells each socket
 * to stop reading, once per socket, and keeps what was read while paused: delivered on resume, in
 * order, before anything newer. A newer socket's messages wait while an older terminated socket
 * hands over late what it had read (`later`).
 */
import type { Incoming } from '../transports/payload.js';
import type { TransportConnection } from '../transports/transport.js';
import type { LateReader } from '../transports/ws-transport.js';
import { isAppPong } from './app-heartbeat.js';
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
  /** Terminated sockets still handing over what they had read (`takeLastRead`: their numbers),
   * and what waits for them (the link's end: ./link.ts), null when none. */
  private lastReads: { sockets: number[]; waiting: (() => void)[] } | null = null;
  /** Messages of sockets newer than one still handing over late, held until it is done (`lateEnd`),
   * then taken oldest socket first: never before an older socket's, none reported for it. */
  private later: [socket: number, data: Incoming][] = [];
  /** The link is over (`drop`): a late message is reported at once. */
  private over = false;
  /** A session's frames a terminated socket handed over late on a reconnect: the peer replays them
   * once the session resumes (`replayed`); reported if the link ends first (`drop`). */
  private owed: Incoming[] = [];
  /** For a terminated socket still handing over late (its number), the first session exchange
   * after it (`replayed`): resumed, the peer replayed its rest; reset, that rest is lost (reported
   * `reset`). A later exchange decides nothing for it: a reset after a replay lost nothing. */
  private replayOf: Map<number, boolean> | null = null;
  /** The current socket's number (each socket terminated makes the next one current). */
  private current = 1;

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

  /** How many messages the link holds, read and not delivered yet (the `reading` event's
   * `unread`): those kept, and a newer socket's held behind an older socket's late read (`later`). */
  get kept(): number {
    return this.unread.length - this.next + this.later.length;
  }

  /** Whether a message that reaches the link now is kept: paused, or a resume under way has kept
   * messages still to deliver (it goes after them, never before). */
  get keeping(): boolean {
    return this.wire.paused || this.unread.length > this.next;
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

  /** The paused (or mid-read) socket's attempt ends (LinkWire.endAttempt): the socket is terminated now, the
   * attempt quiet, so what Node had read reaches the link while it still listens (kept unread);
   * a session's frames come again, so not with one. What the socket of a ready attempt hands over
   * late (`ws` inflating compressed messages) comes to `lateMessage` until its `lateEnd`, and the
   * link's end waits for that (before ready, a handshake's messages end with their attempt). */
  takeLastRead(attempt: { quiet: boolean; readonly wasReady: boolean }): void {
    const wire = this.wire;
    const connection = wire.connection as (TransportConnection & Partial<LastReadable>) | null;
    if (!connection) return;
    attempt.quiet = true;
    // Its number: what it reads at once as it is terminated (its buffered bytes, up to a
    // compressed message) is its own, before its late messages, and supersedes none.
    const own = this.current;
    const reader: LateReader = {
      lateMessage: (frame) => {
        // A session's frame: its data, taken only if the link ends (its end waits for the last
        // read); on a reconnect the session never counted it, so the peer replays it.
        const session = wire.session;
        const data = session ? session.lateData(frame) : frame;
        if (data === null) return;
        if (session && !(this.over || this.lastReads?.waiting.length)) {
          const replay = this.replayOf?.get(own);
          if (replay === undefined) this.owed.push(data);
          else if (!replay) wire.emit('dropped', { data, reason: 'reset' });
          return;
        }
        // The link ends: what was owed to a replay that will not come goes first, in order.
        if (this.owed.length > 0) this.unread.push(...this.owed.splice(0));
        // An application pong (`heartbeat.mode: 'app'`) is the heartbeat's on every path: its
        // socket is gone, so there is no round trip to take, but never a message nor a drop.
        if (!isAppPong(wire, data)) this.take(data, own);
      },
      lateEnd: () => this.lateEnd(own),
    };
    const late = transportCall(wire, 'terminate()', () =>
      attempt.wasReady && connection.terminateReading
        ? connection.terminateReading(reader)
        : connection.terminate(),
    );
    this.current = own + 1;
    if (late === true) {
      this.lastReads ??= { sockets: [], waiting: [] };
      this.lastReads.sockets.push(own);
    }
  }

  /** A message of the current socket (or of socket number `socket`: ./attempt.ts's handOver)
   * reaches the link (./attempt.ts). */
  read(data: Incoming, socket = this.current): void {
    this.take(data, socket);
  }

  /** The current socket's number (`read`'s `socket`). */
  get socket(): number {
    return this.current;
  }

  /** A message of socket number `socket` (the current one's, or one a terminated socket handed
   * over late): held while an older socket still hands over late; else kept unread (paused, a
   * resume under way, or the link ending: its end waits for the last read) or delivered. */
  private take(data: Incoming, socket: number): void {
    const lastReads = this.lastReads;
    // The link is over (`drop`): a late message is reported at once.
    if (this.over) this.wire.emit('dropped', { data, reason: 'unread' });
    // Numbers of terminated sockets still handing over, oldest first: is one older than this one's?
    else if ((lastReads?.sockets[0] ?? socket) < socket) this.later.push([socket, data]);
    else if (this.keeping || lastReads?.waiting.length) this.unread.push(data);
    else this.wire.deliver(data);
  }

  /** Terminated socket number `socket` handed over its last message: what it held back is taken,
   * oldest socket first; once none is left, what waited for the last one runs. */
  private lateEnd(socket: number): void {
    const lastReads = this.lastReads;
    if (lastReads === null) return;
    const sockets = lastReads.sockets.filter((other) => other !== socket);
    lastReads.sockets = sockets;
    this.replayOf?.delete(socket);
    // What no older socket holds back any more: after a stable sort, in order, oldest socket first.
    const free = this.later.sort((a, b) => a[0] - b[0]).filter(([from]) => !((sockets[0] ?? from) < from));
    this.later.splice(0, free.length);
    for (const [from, data] of free) this.take(data, from);
    // A listener that reconnected meanwhile added its socket (`takeLastRead`): that one's turn.
    if (sockets.length > 0) return;
    this.lastReads = null;
    for (const then of lastReads.waiting) then();
  }

  /** Runs `then` once every terminated socket has handed over what it had read: true, or false
   * (`then` not run) if none is still doing so. */
  afterLastRead(then: () => void): boolean {
    this.lastReads?.waiting.push(then);
    return this.lastReads !== null;
  }

  /** The session's exchange on the current socket is done: resumed, the peer replays what older
   * sockets owed; reset, it cannot (reported `reset`). */
  replayed(resumed: boolean): void {
    for (const socket of this.lastReads?.sockets ?? []) {
      this.replayOf ??= new Map();
      if (!this.replayOf.has(socket)) this.replayOf.set(socket, resumed);
    }
    for (const data of this.owed.splice(0))
      if (!resumed) this.wire.emit('dropped', { data, reason: 'reset' });
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
    // Then what newer sockets had held back (`later`): reported too, after them.
    for (const data of [...this.unread.splice(this.next), ...this.owed.splice(0)])
      wire.emit('dropped', { data, reason: 'unread' });
    for (const [socket, data] of this.later.splice(0)) this.take(data, socket);
  }
}

/** Makes a link's hold on reading (the link feature `hold`). */
export const readingHold = (wire: LinkWire): ReadingHold => new ReadingHold(wire);
