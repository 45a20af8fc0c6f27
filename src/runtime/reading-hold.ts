/**
 * The application's hold on reading (`Link.pause` until `Link.resume`), made on a link's first
 * pause (most links never pause): the link's, across its sockets (./link-wire.ts keeps the flag,
 * the chart its `readingPaused`). It tells each socket to stop reading, once per socket, and keeps
 * what was read while paused: delivered on resume, in order, before anything newer.
 */
import type { Incoming } from '../transports/payload.js';
import type { TransportConnection } from '../transports/transport.js';
import { transportCall } from './guarded-call.js';
import type { LinkWire } from './link-wire.js';

/** A link's hold on reading: the socket it paused, and what was read while paused. */
export class ReadingHold {
  /** Messages read while paused and not delivered yet, oldest first. */
  unread: Incoming[] = [];
  /** The socket told to pause (null: none): a new socket of a paused link is not it yet. */
  private held: TransportConnection | null = null;

  constructor(private readonly wire: LinkWire) {}

  /** Tells `connection` to stop reading, unless it was told already or cannot pause. */
  holdSocket(connection: TransportConnection | null): void {
    if (!connection?.pause || this.held === connection) return;
    this.held = connection;
    transportCall(this.wire, 'pause()', () => connection.pause?.());
  }

  /** The link closes: `connection` reads again, so the peer's answer to the close frame is read and
   * every message it sent before that is kept (the link stays paused: reported dropped, `unread`,
   * unless `resume()` comes first). A socket that never reads ends only at the close timeout. */
  readToClose(connection: TransportConnection | null): void {
    if (!connection || this.held !== connection) return;
    this.held = null;
    transportCall(this.wire, 'resume()', () => connection.resume?.());
  }

  /** The link reads again: what was read while paused first, until a listener pauses again; then
   * the current socket, if it was told to pause. */
  release(): void {
    const wire = this.wire;
    let delivered = 0;
    while (delivered < this.unread.length && !wire.paused) wire.deliver(this.unread[delivered++] as Incoming);
    this.unread.splice(0, delivered);
    if (wire.paused) return;
    const socket = this.held;
    this.held = null;
    if (socket && socket === wire.connection) transportCall(wire, 'resume()', () => socket.resume?.());
  }
}
