/**
 * Inbound messages an attempt holds behind the application handshake (src/runtime/run-handshake.ts)
 * or the resumable session's welcome (src/runtime/resume-session.ts), delivered right after the
 * step that made the link ready. Only those two link features hold (./link-features.ts); the
 * drop-in's links never do, so its bundle leaves this file out (test/size/bundle-size.test.ts)
 * and an attempt's `held` stays null there.
 */
import type { Incoming } from '../transports/payload.js';
import type { LinkWire } from './link-wire.js';

/** What the held messages see of their attempt (src/runtime/attempt.ts). */
export interface HoldingAttempt {
  readonly wire: LinkWire;
  /** The messages it holds (null: it holds none). */
  held: HeldMessages | null;
}

/** An attempt's inbound messages held until the link is ready (`attempt.held = new
 * HeldMessages(attempt)`: the handshake's run, the session's start). */
export class HeldMessages {
  /** The messages held, oldest first; the first `next` are taken (left undefined: not kept). */
  readonly messages: (Incoming | undefined)[] = [];
  /** How many of `messages`' first ones are taken (the handshake's `next()`, release()): an index,
   * not shift(), which copies the rest of an array too long for V8 to trim in place (100,000 held
   * messages took ~10 s to release: test/runtime/held-messages-many.test.ts). */
  private next = 0;
  /** release()'s loop under way (null: none), and the number of the socket its messages came on
   * once a listener ended the attempt with its last read taken (handOver). */
  private releasing: { socket?: number } | null = null;

  constructor(private readonly attempt: HoldingAttempt) {}

  /** The oldest message not taken yet (undefined: none). */
  take(): Incoming | undefined {
    const messages = this.messages;
    if (this.next === messages.length) return undefined;
    const data = messages[this.next];
    messages[this.next++] = undefined;
    return data;
  }

  /** The chart declared the socket ready: what is held goes after this step; nothing held, the
   * attempt holds no more. */
  ready(): void {
    const attempt = this.attempt;
    if (this.messages.length > this.next) queueMicrotask(() => attempt.held?.release());
    else attempt.held = null;
  }

  /** Delivers what was held behind the handshake (or the welcome), after the ready step. Until
   * the last is out the rest stays held (a message read meanwhile waits behind it). An attempt that
   * ends before hands the rest over (handOver); one a listener here ends lets this loop go on. */
  private release(): void {
    const releasing: { socket?: number } = {};
    this.releasing = releasing;
    for (let data = this.take(); data !== undefined; data = this.take()) this.deliver(data, releasing.socket);
    this.releasing = null;
    if (this.attempt.held === this) this.attempt.held = null;
  }

  /** The attempt ends after the ready step (LinkWire.endAttempt, before the socket's last read:
   * it came after them; then dispose): messages held behind the handshake, not all delivered yet. */
  handOver(): void {
    const attempt = this.attempt;
    const releasing = this.releasing;
    // A listener of release()'s loop reconnects: the loop goes on once it returns (never a message
    // inside another's listeners), the socket's last read (taken next) behind, as this socket's.
    // A terminating end reports them now, before the link's `closed`.
    if (releasing && !attempt.wire.ending) {
      releasing.socket ??= attempt.wire.reading?.socket;
      return;
    }
    attempt.held = null;
    // Taken out: a loop of release() under way (a terminating listener) has none left to hand over.
    for (const data of this.messages.splice(this.next)) this.deliver(data as Incoming);
  }

  /** One message held after the ready step (`socket`: the number of the socket it came on, when a
   * listener reconnected meanwhile: ./reading-hold.ts). A paused link keeps it (a listener may pause
   * in the middle): delivered on resume. A link ending by terminating its socket
   * (`supervisor.terminate()`) reports it, as a terminated socket's: kept unread by its hold, it is
   * reported with the link's end (LinkWire.dropQueued), after its `state` event, not inside the
   * terminating step before it (test/race/terminate-held-order.test.ts). */
  private deliver(data: Incoming, socket?: number): void {
    const wire = this.attempt.wire;
    if (wire.ending) wire.reading ??= wire.config.hold?.(wire) ?? null;
    const reading = wire.reading;
    if (wire.ending && reading) reading.unread.push(data);
    else if (wire.ending) wire.emit('dropped', { data, reason: 'unread' });
    else reading ? reading.read(data, socket) : wire.deliver(data);
  }
}
