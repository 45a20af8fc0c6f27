/**
 * The seam between a link's data plane and its resumable session (the `resume` option,
 * ./resume-session.ts): what the wire (./link-wire.ts) and its attempts (./attempt.ts) call on a
 * session and what a session sees of the attempt whose socket it runs on (the factory a link
 * template holds, `SessionFactory`, is in ./wire-config.ts). Types only.
 */
import type { TransportReport } from '../../machines/connection.machine.js';
import type { Reason } from '../../machines/policy/close-reason.js';
import type { Incoming, Payload, PayloadSite } from '../transports/payload.js';
import type { HeldMessages } from './held-messages.js';
import type { SendResult } from './link-events.js';
import type { LinkStatus } from './link-status.js';
import type { LinkWire } from './link-wire.js';

/**
 * A session layer between the wire and the socket (the `resume` option: src/runtime/resume-session.ts).
 * The wire and its attempts call it only when the link has one, so a bundle that never makes one
 * (the drop-in class) leaves its code out.
 */
export interface WireSession {
  /** A send while writable with nothing queued: its result, or null to queue it (no room). */
  send(data: Payload): SendResult | null;
  /** Writes the queue into the session (the wire's flush). */
  flush(open: boolean): void;
  /** Sends the application heartbeat's ping as one of the session's data frames (never a raw
   * frame: the peer would number it); null: nothing is left to write. */
  ping(data: Payload): null;
  /** The chart entered `resuming` on this attempt's open socket. */
  start(attempt: SessionAttempt): void;
  /** A message from the socket. */
  receive(attempt: SessionAttempt, data: Incoming): void;
  /** A frame a terminated socket handed over late (ReadingHold.takeLastRead): its application
   * data, or null for a control frame. The session does not count it (a reconnect's peer replays it). */
  lateData(data: Incoming): Incoming | null;
  /** Acknowledges what arrived, now (the chart's ack timer fired, or the link drains). */
  ack(): void;
  /** The socket is gone or closing. */
  pause(): void;
  /** The link ended: reports what will never be acknowledged. */
  end(): void;
  status(): Pick<LinkStatus, 'resume'>;
}

/** What a session sees of the attempt whose socket it runs on (src/runtime/attempt.ts). */
export interface SessionAttempt {
  /** The chart declared this socket ready at least once. */
  readonly wasReady: boolean;
  /** Inbound messages are held for a handshake or the session's welcome. */
  readonly holding: boolean;
  /** The messages it holds until the link is ready (./held-messages.ts). */
  held: HeldMessages | null;
  readonly wire: LinkWire;
  report(event: TransportReport): void;
  fail(reason: Reason): void;
  /** An application message, as if the socket had delivered it. */
  deliver(data: Incoming): void;
  /** Inbound activity that answers an outstanding ping. */
  activity(): void;
  /** Writes a message of the runtime's own; false (reported) if it did not go out. */
  write(data: Payload, site: PayloadSite): boolean;
}
