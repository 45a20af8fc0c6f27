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
  /** The messages held, oldest first. */
  readonly messages: Incoming[] = [];
  /** release()'s loop under way (null: none): the index of its next message, and the number of
   * the socket they came on once a listener ended the attempt with its last read taken (handOver). */
  private releasing: { next: number; socket?: number } | null = null;

  constructor(private readonly attempt: HoldingAttempt) {}

  /** The chart declared the socket ready: what is held goes after this step; nothing held, the
   * attempt holds no more. */
  ready(): void {
    const attempt = this.attempt;
    if (this.messages.length) queueMicrotask(() => attempt.held?.release());
    else attempt.held = null;
  }

  /** Delivers what was held behind the handshake (or the welcome), after the ready step. Until
   * the last is out the rest stays held (a message read meanwhile waits behind it). An attempt that
   * ends before hands the rest over (handOver); one a listener here ends lets this loop go on. */
  private release(): void {
    const held = this.messages;
    const releasing: { next: number; socket?: number } = { next: 0 };
    this.releasing = releasing;
    // An index: held.shift() copies the rest of a large array (quadratic; BENCHMARKS.md Round 28 (tests)).
    while (releasing.next < held.length) this.deliver(held[releasing.next++] as Incoming, releasing.socket);
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
    // Taken out (from the loop's next one): a loop of release() under way (a terminating listener)
    // has none left to hand over.
    for (const data of this.messages.splice(releasing ? releasing.next : 0)) this.deliver(data);
  }

  /** One message held after the ready step (`socket`: the number of the socket it came on, when a
   * listener reconnected meanwhile: ./reading-hold.ts). A paused link keeps it (a listener may pause
   * in the middle): delivered on resume. A link ending by terminating its socket
   * (`supervisor.terminate()`) reports it, as a terminated socket's. */
  private deliver(data: Incoming, socket?: number): void {
    const wire = this.attempt.wire;
    if (wire.ending && !wire.reading?.keeping) wire.emit('dropped', { data, reason: 'unread' });
    else wire.reading ? wire.reading.read(data, socket) : wire.deliver(data);
  }
}
