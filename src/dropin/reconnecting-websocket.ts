/**
 * ReconnectingWebSocket: a drop-in for partysocket 1.3 and reconnecting-websocket 4.4 that runs on the
 * connection actor. The WHATWG WebSocket surface (readyState and its constants, url, protocol,
 * extensions, binaryType, bufferedAmount, send, close; the EventTarget with its on* handlers is the base
 * class, websocket-event-target.ts), their constructor `(url | urlProvider, protocols | protocolsProvider,
 * options)`, their option names (ws-options.ts) and partysocket's members: `send()`'s boolean,
 * `drainQueuedMessages()`, `reconnect(code, reason)`, `retryCount`, `shouldReconnect`.
 * docs/migration.md lists every difference from either, with its reason; test/dropin/differential/
 * proves the list complete.
 *
 * One "generation" is one link (a root connection actor, as the supervisor runs them), from connect or
 * `reconnect()` to `close()` or failure; its retries are the chart's. `close()` ends the generation (the
 * chart's timers die with its states) and dispatches its close event at once; `reconnect()` starts a new
 * one, so no lock can be left behind. Messages sent while not OPEN wait in this class's own bounded
 * queue, which outlives generations, and are written in order on open, before `open` is dispatched.
 *
 * Events per attempt: open, message…, then [error] close (error first when the socket ended without a close
 * frame, or when its socket fired `error`: at once, as a WebSocket's), then `reconnecting` (extension) or `failed` (extension, no retry). close() and reconnect() dispatch
 * one close event, synchronously, for the generation they end (none when its last close event was already
 * dispatched: backoff wait, failed; none for one reconnect() started in the same turn of the event loop). No Node import reaches this file; `linkvisor/ws` and `linkvisor` (Node)
 * default to the `ws` transport through a subclass (src/entries/ws.ts), which also gives the links their hold
 * on reading (`rws.link.pause()`): none here, as a browser's WebSocket cannot pause.
 */

import type { Reason } from '../../machines/policy/close-reason.js';
import type { Link } from '../runtime/link.js';
import { type HoldFactory, StandaloneLinks } from '../runtime/standalone-links.js';
import {
  assertPayload,
  byteLengthOf,
  copyPayload,
  type Incoming,
  type Payload,
} from '../transports/payload.js';
import { RecordingTransport, type SocketInfo } from '../transports/recording-transport.js';
import type { Transport } from '../transports/transport.js';
import { constructorTransportFor } from '../transports/websocket-constructor-transport.js';
import { asBinaryType } from './binary-type.js';
import { attemptPending, type Generation } from './generation.js';
import { type GenerationSocket, GenerationTap } from './generation-tap.js';
import { flushQueue } from './queue-flush.js';
import { CLOSED, CONNECTING, OPEN } from './ready-state.js';
import { RecordedSocketSurface } from './socket-surface.js';
import { webSocketCloseArgs } from './websocket-close-args.js';
import {
  CloseEvent,
  DroppedEvent,
  ErrorEvent,
  endedWithFrame,
  FailedEvent,
  ReconnectingEvent,
} from './ws-events.js';
import {
  type CheckedOptions,
  checkDropInOptions,
  checkUrlProvider,
  type ProtocolsProvider,
  type ReconnectingWebSocketOptions,
  type UrlProvider,
} from './ws-options.js';

export type { BinaryTypeName } from './binary-type.js';
export type { ReconnectingWebSocketEventMap } from './ws-events.js';
export type { ProtocolsProvider, ReconnectingWebSocketOptions, UrlProvider } from './ws-options.js';

const CLOSED_SEND_WARNING =
  'ReconnectingWebSocket: send() was called after close(); the message is buffered until reconnect() (a stale socket?)';

/** Links started by every ReconnectingWebSocket of the process (their ids: link:ws-1, link:ws-2…). */
let linksStarted = 0;

export class ReconnectingWebSocket extends RecordedSocketSurface {
  private readonly options: CheckedOptions;
  /** Starts each generation's link. */
  private readonly links: StandaloneLinks;
  /** @internal The links' hold on reading (`rws.link.pause()`): the Node entry's (see the header). */
  protected readingHold?(): HoldFactory;
  /** @internal The readyState (see readyState; the generation tap sets CONNECTING). */
  protected state = CONNECTING;
  /** @internal The current generation (./generation-tap.ts), null before the first. */
  protected generation: Generation | null = null;
  private closeCalled = false;
  /** partysocket's `shouldReconnect`: false after close(), startClosed or giving up. */
  private reconnectable = true;
  /** send() after close() warns once: 'armed' by close(), 'given' once warned, 'off' again after
   * reconnect() (as partysocket's; startClosed does not arm it). */
  private closedSendWarning: 'off' | 'armed' | 'given' = 'off';
  /** The reason whose [error] close was dispatched last. */
  private shownEnd: Reason | null = null;
  /** The reason whose `close` is still to come while its `error` is dispatched: reconnect() in an
   * error listener dispatches that close first (in CLOSED), before the next generation. */
  private closeOwed: Reason | null = null;
  /** The current attempt's socket fired `error` and its `error` event was dispatched then (in
   * CLOSED, as a WebSocket's): its close is still to come, with no second `error`. */
  private errorShown = false;
  /** `close` and `error` events being dispatched (nested: a listener's reconnect() dispatches the
   * close it owes): readyState is CLOSED while any is. */
  private endDispatches = 0;
  /** The generation reconnect() started in this turn of the event loop (see reconnect()). */
  private unseen: Generation | null = null;
  private readonly queue: Payload[] = [];
  private queueBytes = 0;

  constructor(url: UrlProvider, protocols?: ProtocolsProvider, options: ReconnectingWebSocketOptions = {}) {
    super();
    const webSocketUrl = checkUrlProvider(url);
    this.options = checkDropInOptions(options, protocols);
    this.transport = new RecordingTransport(this.selectTransport(this.options.WebSocket), (socket, reason) =>
      this.onSocketError(socket, reason),
    );
    // The link options are built and checked by checkDropInOptions; the URL and they are checked
    // against the transport now, not at the first attempt. Link errors of the inspect observer
    // are reported as the link's error (rws.link.on('error'), and debugLogger).
    this.links = new StandaloneLinks(
      webSocketUrl,
      this.options.link,
      this.transport,
      this.options.inspect,
      !this.options.startClosed,
      this.readingHold?.(),
    );
    if (this.options.startClosed) {
      this.state = CLOSED;
      this.closeCalled = true;
      this.reconnectable = false;
    } else {
      this.startGeneration();
    }
  }

  /** CONNECTING while an attempt is pending, OPEN, CLOSED between attempts (the backoff wait),
   * after close() (at once, as partysocket's) and after failing. Never CLOSING: close() ends the
   * socket in the background. */
  get readyState(): number {
    return this.endDispatches > 0 ? CLOSED : this.state;
  }

  /** Bytes queued while not open plus bytes the socket has not handed to the network yet. */
  get bufferedAmount(): number {
    const link = this.generation?.link;
    const linkQueue = link ? link.status().queue.bytes : 0;
    const socket = this.state === OPEN ? (this.socket?.connection?.bufferedAmount ?? 0) : 0;
    return this.queueBytes + linkQueue + socket;
  }

  /** Retries since the connection was last stable (minUptime). */
  get retryCount(): number {
    const link = this.generation?.link;
    return link ? link.actor.getSnapshot().context.retry.attempt : 0;
  }

  /**
   * Whether this socket is reconnectable now (partysocket): false after close(), with startClosed
   * until reconnect(), and after giving up (shouldReconnectOnClose said stop, a fatal reason,
   * maxRetries ran out); true again after reconnect().
   */
  get shouldReconnect(): boolean {
    return this.reconnectable;
  }

  /** The current generation's link (status(), events, the actor), or null before the first. */
  get link(): Link | null {
    return this.generation?.link ?? null;
  }

  /**
   * Sends now when OPEN and returns true (handed to the socket). Otherwise buffers a copy of it
   * (binary is copied, as a browser's WebSocket does) and returns false, as partysocket's: it goes
   * out on the next open, before `open` is dispatched. Beyond maxEnqueuedMessages the message is
   * dropped (a `dropped` event, reason `overflow`). After close() it warns once (console.warn) that
   * only reconnect() will deliver it. Throws LV_ERR_INVALID_DATA for a type that cannot be sent
   * (Blob included: send `await blob.arrayBuffer()`), a detached buffer, or a message the open
   * socket refuses.
   */
  send(data: string | ArrayBuffer | ArrayBufferView): boolean {
    assertPayload(data);
    const generation = this.generation;
    if (this.state === OPEN && generation && !generation.over) {
      return generation.link.send(data) !== 'dropped';
    }
    if (this.closedSendWarning === 'armed') {
      this.closedSendWarning = 'given';
      this.debug('send after close');
      console.warn(CLOSED_SEND_WARNING);
    }
    if (this.queue.length >= this.options.maxEnqueuedMessages) {
      this.debug('queue full, dropped', this.queue.length);
      this.dispatch(new DroppedEvent({ data, reason: 'overflow' }));
      return false;
    }
    this.queue.push(copyPayload(data));
    this.queueBytes += byteLengthOf(data);
    this.debug('enqueued', this.queue.length);
    return false;
  }

  /**
   * Removes and returns the messages buffered while not OPEN (copies, in send order), as
   * partysocket's: to hand them to a replacement socket instead of losing them with this one.
   */
  drainQueuedMessages(): Payload[] {
    const drained = this.queue.splice(0);
    this.queueBytes = 0;
    this.debug('drained', drained.length);
    return drained;
  }

  /**
   * Closes the socket or the pending attempt and stops reconnecting; every timer goes with it.
   * `code`: 1000 or 3000–4999, `reason` ≤ 123 bytes (else a DOMException, as a WebSocket's:
   * InvalidAccessError, SyntaxError; ./websocket-close-args.ts). As partysocket's, the `close` event (this code and reason, clean) is
   * dispatched before close() returns, in readyState CLOSED, exactly once: also while CONNECTING;
   * not when the last close was already dispatched (during the backoff wait, after failing, or
   * by a reconnect() in the same turn of the event loop: test/dropin/reconnect-twice);
   * closing again does nothing. The socket itself closes in the background (drain, close frame).
   */
  close(code = 1000, reason = ''): void {
    [code, reason] = webSocketCloseArgs(code, reason);
    this.closeCalled = true;
    this.reconnectable = false;
    if (this.closedSendWarning === 'off') this.closedSendWarning = 'armed';
    this.endGeneration(code, reason);
  }

  /**
   * Closes the current socket or attempt (dispatching its close event synchronously, as close()
   * does, unless it was already dispatched) and connects again at once, with the retry schedule
   * reset. Works in every state: after close(), after failing, after maxRetries ran out, after
   * shouldReconnectOnClose said stop. Messages sent meanwhile go out on the next open.
   */
  reconnect(code = 1000, reason = ''): void {
    [code, reason] = webSocketCloseArgs(code, reason);
    this.closeCalled = false;
    this.reconnectable = true;
    this.closedSendWarning = 'off';
    const previous = this.generation;
    // Its close event, or, called in an `error` listener, that attempt's close (in CLOSED; then no
    // `reconnecting` or `failed` of it follows: onAttemptEnded, onFailed). A close listener may
    // have called close() or reconnect() itself.
    if (
      (this.endGeneration(code, reason, 'reconnect requested') || this.dispatchOwedClose()) &&
      (this.closeCalled || this.generation !== previous)
    )
      return;
    this.startGeneration();
    // Unseen until this turn of the event loop ends: a reconnect() or close() before then ends
    // it without a close event (the listeners' last was this one's; partysocket's makes no socket yet).
    const unseen = this.generation;
    this.unseen = unseen;
    queueMicrotask(() => {
      if (this.unseen === unseen) this.unseen = null;
    });
  }

  /** Ends the current generation, if it runs, with the close of `code` and `reason`; dispatches its
   * close event (clean, `detail` a `user` reason with `message`) unless the last was dispatched
   * already (CLOSED). Whether it dispatched one. */
  private endGeneration(code: number, reason: string, message?: string): boolean {
    const generation = this.generation;
    if (!generation || generation.over) return false;
    const from = this.state;
    generation.over = true; // its link's events are no longer ours (it may still be closing)
    this.state = CLOSED;
    this.debug('close', code, reason);
    void generation.link.close({ code, reason });
    if ((from === CLOSED && !this.errorShown) || generation === this.unseen) return false;
    this.errorShown = false;
    message ??=
      from === CONNECTING ? 'closed before the connection was established' : 'closed by the application';
    this.dispatch(new CloseEvent({ code, reason, wasClean: true, detail: { kind: 'user', code, message } }));
    return true;
  }

  /** The transport for the `WebSocket` option; the Node entry overrides it to prefer `ws`. */
  protected selectTransport(WebSocketImpl: unknown): Transport {
    return constructorTransportFor(WebSocketImpl);
  }

  // ── generations ──

  /** @internal Starts the next generation's link (the Node entry's keeps a pause across it). */
  protected startGeneration(): void {
    this.closeCalled = false;
    this.errorShown = false;
    // Numbered in the process, not per instance: the links share one registry (standalone-links.ts).
    const link = this.links.start(`link:ws-${++linksStarted}`);
    const generation = new GenerationTap(link, this as unknown as GenerationSocket);
    this.generation = generation;
    this.state = CONNECTING;
    this.debug('connect', link.id);
    link.tap(generation);
  }

  /** @internal The generation's link is ready: the queue goes out, then `open`. */
  protected onReady(generation: Generation): void {
    const queued = this.queue.splice(0);
    this.queueBytes = 0;
    const refused = flushQueue(generation.link, queued, (...args) => this.debug(...args));
    // OPEN before the reports: a `dropped` listener that sends again writes straight to the socket
    // (and meets its refusal itself) instead of queueing behind an open that already happened.
    this.state = OPEN;
    for (const event of refused) this.dispatch(event);
    // A `dropped` listener may have called close() or reconnect().
    if (this.generation !== generation || generation.over) return;
    this.debug('open', queued.length > 0 ? `(flushed ${queued.length})` : '');
    this.dispatch(new Event('open'));
  }

  /** @internal */
  protected onMessage(data: Incoming): void {
    const origin = this.socket?.origin ?? ''; // as a WebSocket's message events carry it
    this.dispatch(new MessageEvent('message', { data: asBinaryType(data, this.binaryType), origin }));
  }

  /** @internal An attempt of the generation ended and the link retries: [error] close, `reconnecting`. */
  protected onAttemptEnded(
    generation: Generation,
    event: { attempt: number; delayMs: number; reason: Reason },
  ): void {
    this.state = CLOSED;
    this.dispatchEnd(event.reason);
    if (this.generation !== generation || generation.over) return;
    this.debug('reconnecting in', event.delayMs, 'ms, retry', event.attempt);
    this.dispatch(new ReconnectingEvent(event));
    // Retried at once: the next attempt is pending already.
    if (!generation.over && attemptPending(generation.link)) this.state = CONNECTING;
  }

  /** @internal The generation's link failed: [error] close, `failed`. */
  protected onFailed(generation: Generation, failure: Reason): void {
    generation.over = true; // its link's events are no longer ours
    this.state = CLOSED;
    this.reconnectable = false;
    // A "gave up" failure says why; the close event shows how the last attempt ended.
    const last = generation.link.actor.getSnapshot().context.reason ?? failure;
    this.dispatchEnd(last);
    // An error or close listener's reconnect() started the next generation: it did not fail;
    // its close() made that close the last event, as a retried close's (onAttemptEnded).
    if (this.generation !== generation || this.closeCalled) return;
    this.debug('failed', failure.message);
    this.dispatch(new FailedEvent(failure));
  }

  /** The current attempt's socket fired `error`: the `error` event now, in CLOSED, as a WebSocket
   * dispatches it (its close follows when the socket's close comes, or the chart's errorCloseGrace
   * ends it), not when the attempt ends: a polyfill that never closes would delay it. */
  private onSocketError(socket: SocketInfo, reason?: Reason): void {
    const generation = this.generation;
    if (socket !== this.transport.socket || !generation || generation.over) return;
    if (this.state === CLOSED || this.errorShown) return;
    this.errorShown = true;
    this.state = CLOSED;
    this.dispatch(new ErrorEvent(reason ?? { kind: 'error', message: 'the socket fired an error event' }));
  }

  /** [error] then close, for an attempt that ended for `reason` (once: `failed` may follow). */
  private dispatchEnd(reason: Reason): void {
    if (reason === this.shownEnd) return;
    this.shownEnd = reason;
    this.closeOwed = reason;
    const shown = this.errorShown;
    this.errorShown = false;
    if (!shown && !endedWithFrame(reason)) this.dispatch(new ErrorEvent(reason));
    // Unless an error listener's reconnect() dispatched it already.
    this.dispatchOwedClose();
  }

  /** The close event of the attempt whose end is being dispatched, if still owed; whether it was. */
  private dispatchOwedClose(): boolean {
    const owed = this.closeOwed;
    if (!owed) return false;
    this.closeOwed = null;
    this.dispatch(CloseEvent.fromReason(owed)); // in CLOSED: the attempt ended, or endGeneration
    return true;
  }

  /** @internal `close` and `error` are dispatched in CLOSED; every listener of one sees CLOSED,
   * also after a listener before it called reconnect() (its CONNECTING shows once the dispatch is
   * over, as partysocket's, whose next socket is made later). */
  protected dispatch(event: Event): void {
    this.debug('event', event.type);
    const end = event.type === 'close' || event.type === 'error' ? 1 : 0;
    this.endDispatches += end;
    this.dispatchEvent(event); // a listener's throw is reported, not thrown (EventTarget)
    this.endDispatches -= end;
  }

  /** @internal */
  protected debug(...args: unknown[]): void {
    if (this.options.debug) this.options.debugLogger('RWS>', ...args);
  }
}
