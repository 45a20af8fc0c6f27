/**
 * The events `ReconnectingWebSocket` dispatches. `CloseEvent` and `ErrorEvent` have the WHATWG
 * fields (and the names partysocket exports) plus `detail`, linkvisor's full `Reason`; a close
 * event also carries `status`, the HTTP status of a rejected upgrade when the transport knows it.
 * `ReconnectingEvent` and `FailedEvent` are extensions: "retrying in N ms" and "gave up".
 */
import type { Reason } from '../../machines/policy/close-reason.js';
import type { Payload } from '../transports/payload.js';
import type { LinkvisorError } from '../util/errors.js';

/** No close frame: the connection failed, was refused, timed out or was torn down. */
export const ABNORMAL_CLOSURE = 1006;

/** The TLS handshake failed (a browser's close event says so): no close frame either. */
const TLS_HANDSHAKE = 1015;

/** Whether an attempt ended with a close frame from the peer (the only clean ending): never with
 * 1006 or 1015, which no frame carries (RFC 6455 §7.4.1; a WebSocket fires `error` first). */
export function endedWithFrame(reason: Reason): boolean {
  const code = reason.code ?? 1005;
  return (
    (reason.kind === 'close' || reason.kind === 'user') && code !== ABNORMAL_CLOSURE && code !== TLS_HANDSHAKE
  );
}

/** The close code a WebSocket would show for `reason`. */
export function closeCodeOf(reason: Reason): number {
  if (reason.kind === 'close' || reason.kind === 'user') return reason.code ?? 1005;
  return ABNORMAL_CLOSURE;
}

/** The peer's close reason text (transports format it as "closed with code N: text"). */
export function closeTextOf(reason: Reason): string {
  if (reason.kind !== 'close') return '';
  const match = /^closed with code \d+: ([\s\S]*)$/.exec(reason.message);
  return match?.[1] ?? '';
}

/** What the drop-in builds its close events from. */
export interface CloseEventInit {
  code: number;
  reason: string;
  wasClean: boolean;
  detail: Reason;
}

/**
 * The drop-in's `close` event: the socket's own code and reason, `wasClean`, the HTTP `status` of a
 * rejected upgrade, and `detail`, the link's reason (`kind`, `code`, `status`, `errorCode`,
 * `message`).
 */
export class CloseEvent extends Event {
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;
  /** HTTP status of a rejected upgrade (with the `ws` transport; browsers cannot see it). */
  readonly status: number | undefined;
  /** Why the connection ended, as linkvisor classifies it (kind, code, status, errorCode…). */
  readonly detail: Reason;

  /** From a `CloseEventInit`, or as theirs: `new CloseEvent(code = 1000, reason = '', target)`, clean,
   * `detail` a `user` reason (the target is the one it is dispatched at). */
  constructor(init: CloseEventInit | number = 1000, reason = '', _target?: unknown) {
    super('close');
    if (typeof init === 'number') {
      init = { code: init, reason, wasClean: true, detail: { kind: 'user', code: init, message: reason } };
    }
    this.code = init.code;
    this.reason = init.reason;
    this.wasClean = init.wasClean;
    this.status = init.detail.status;
    this.detail = init.detail;
  }

  static fromReason(reason: Reason): CloseEvent {
    return new CloseEvent({
      code: closeCodeOf(reason),
      reason: closeTextOf(reason),
      wasClean: endedWithFrame(reason),
      detail: reason,
    });
  }
}

/**
 * The drop-in's `error` event, dispatched before `close` when a connection ended without a close
 * frame (refused, network error, HTTP rejection, timeout, heartbeat loss); `detail` is the link's
 * reason.
 */
export class ErrorEvent extends Event {
  readonly message: string;
  readonly error: Error;
  readonly detail: Reason;

  /** From the link's reason, or as theirs: `new ErrorEvent(error, target)` (`detail` an `error`
   * reason with its message; the target is the one it is dispatched at). */
  constructor(detail: Reason | Error, _target?: unknown) {
    super('error');
    const error = detail instanceof Error ? detail : null;
    if (error) detail = { kind: 'error', message: error.message };
    this.message = detail.message;
    this.error = error ?? new Error(detail.message, { cause: detail });
    this.detail = detail as Reason;
  }
}

/** After a close: the next attempt starts in `delayMs` (retry number `attempt`, 1-based). */
export class ReconnectingEvent extends Event {
  readonly attempt: number;
  readonly delayMs: number;
  readonly detail: Reason;

  constructor(init: { attempt: number; delayMs: number; reason: Reason }) {
    super('reconnecting');
    this.attempt = init.attempt;
    this.delayMs = init.delayMs;
    this.detail = init.reason;
  }
}

/** No further attempt: a fatal reason (auth, policy, protocol) or `maxRetries` ran out. */
export class FailedEvent extends Event {
  readonly detail: Reason;

  constructor(reason: Reason) {
    super('failed');
    this.detail = reason;
  }
}

/**
 * A message that send() accepted (true) but that will never be written: the socket refused it
 * when the queue was flushed (`invalid`, with the `error`), or the connection ended while it
 * waited in the link (`closed`). Never a WebSocket `error` event: that one means the connection
 * failed, and is followed by `close`. Extension.
 */
export class DroppedEvent extends Event {
  readonly data: Payload;
  readonly reason: 'invalid' | 'closed' | 'overflow';
  readonly error: LinkvisorError | undefined;

  constructor(init: { data: Payload; reason: 'invalid' | 'closed' | 'overflow'; error?: LinkvisorError }) {
    super('dropped');
    this.data = init.data;
    this.reason = init.reason;
    this.error = init.error;
  }
}

/**
 * The events of a `ReconnectingWebSocket`, by name: the WebSocket's four, and `reconnecting`,
 * `failed` and `dropped` of linkvisor's own.
 */
export interface ReconnectingWebSocketEventMap {
  open: Event;
  message: MessageEvent;
  close: CloseEvent;
  error: ErrorEvent;
  reconnecting: ReconnectingEvent;
  failed: FailedEvent;
  dropped: DroppedEvent;
}
