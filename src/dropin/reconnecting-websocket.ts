/**
 * ReconnectingWebSocket: a drop-in for reconnecting-websocket and partysocket that runs on the
 * connection actor. The WHATWG WebSocket surface (EventTarget, on* handlers, readyState and its
 * constants, url, protocol, extensions, binaryType, bufferedAmount, send, close), their
 * constructor `(url | urlProvider, protocols | protocolsProvider, options)`, their option names
 * (ws-options.ts), `reconnect(code, reason)` and `retryCount`.
 *
 * One "generation" is one link (a root connection actor, as the supervisor runs them), from
 * connect or `reconnect()` to `close()` or failure; its retries are the chart's. `close()` ends
 * the generation (the chart's timers die with its states); `reconnect()` starts a new one, so no
 * lock can be left behind. Messages sent while not OPEN wait in this class's own bounded queue, which outlives
 * generations, and are written in order on open, before `open` is dispatched.
 *
 * Events per attempt: open, message…, then [error] close (error first when the socket ended
 * without a close frame), then `reconnecting` (extension) or `failed` (extension, no retry).
 * No Node import reaches this file; `linkvisor/ws` and `linkvisor` (Node) default to the `ws`
 * transport through a subclass (src/entries/ws.ts).
 */

import { createActor } from 'xstate';
import type { Reason } from '../../machines/policy/close-reason.js';
import { TIMEOUT_DEFAULTS } from '../../machines/policy/timeouts.js';
import { Link } from '../runtime/link.js';
import { buildLinkParts, provideRuntime, type RuntimeMachine, randomSeed } from '../runtime/link-runtime.js';
import { LinkWire } from '../runtime/link-wire.js';
import { checkLinkOptions, type LinkOptions } from '../runtime/options.js';
import {
  assertPayload,
  byteLengthOf,
  copyPayload,
  type Incoming,
  type Payload,
} from '../transports/payload.js';
import { recordingTransport, type SocketInfo } from '../transports/recording-transport.js';
import type { Transport } from '../transports/transport.js';
import { createConstructorTransport } from '../transports/websocket-constructor-transport.js';
import { systemClock } from '../util/clock.js';
import { LinkvisorError, optionError } from '../util/errors.js';
import { safeInspect } from '../util/safe-inspect.js';
import { asBinaryType, BINARY_TYPES, type BinaryTypeName } from './binary-type.js';
import {
  ABNORMAL_CLOSURE,
  CloseEvent,
  closeCodeOf,
  closeTextOf,
  DroppedEvent,
  ErrorEvent,
  endedWithFrame,
  FailedEvent,
  ReconnectingEvent,
  type ReconnectingWebSocketEventMap,
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

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

type Handler<E> = ((this: ReconnectingWebSocket, event: E) => unknown) | null;

/** One link, from connect (or reconnect()) to close() or failure. */
interface Generation {
  link: Link;
  offs: (() => void)[];
  /** readyState when close() was called on it; null while not closed by us. */
  closedFrom: number | null;
  closeCode: number;
  /** Closed, failed or superseded: its events are no longer ours. */
  over: boolean;
}

function checkCloseArgs(code: number | undefined, reason: string | undefined): void {
  if (code !== undefined && !(code === 1000 || (Number.isInteger(code) && code >= 3000 && code <= 4999))) {
    throw optionError('code', `must be 1000 or 3000–4999, got ${String(code)}`);
  }
  if (reason !== undefined && new TextEncoder().encode(String(reason)).length > 123) {
    throw optionError('reason', 'must be at most 123 bytes of UTF-8');
  }
}

export class ReconnectingWebSocket extends EventTarget {
  static readonly CONNECTING = CONNECTING;
  static readonly OPEN = OPEN;
  static readonly CLOSING = CLOSING;
  static readonly CLOSED = CLOSED;

  onopen: Handler<Event> = null;
  onmessage: Handler<MessageEvent> = null;
  onclose: Handler<CloseEvent> = null;
  onerror: Handler<ErrorEvent> = null;

  private readonly urlProvider: UrlProvider;
  private readonly options: CheckedOptions;
  private readonly transport: Transport;
  private readonly linkOptions: LinkOptions;
  /** The connection chart provided with the runtime, shared by this instance's links. */
  private readonly machine: RuntimeMachine;
  private readonly wires = new Map<string, LinkWire>();
  private state = CONNECTING;
  private binary: BinaryTypeName = 'blob';
  private generation: Generation | null = null;
  private generations = 0;
  private closeCalled = false;
  private socket: SocketInfo | null = null;
  private readonly queue: Payload[] = [];
  private queueBytes = 0;

  constructor(url: UrlProvider, protocols?: ProtocolsProvider, options: ReconnectingWebSocketOptions = {}) {
    super();
    checkUrlProvider(url);
    this.urlProvider = url;
    this.options = checkDropInOptions(options, protocols);
    this.transport = recordingTransport(this.selectTransport(this.options.WebSocket), (socket) => {
      this.socket = socket;
    });
    this.linkOptions = checkLinkOptions(this.options.link);
    // Validate the URL and the options against the transport now, not at the first attempt.
    buildLinkParts('link:check', url, this.linkOptions, {
      transport: this.transport,
      clock: systemClock,
      seed: 0,
    });
    this.machine = provideRuntime((linkId) => this.wires.get(linkId));
    for (const type of ['open', 'message', 'close', 'error'] as const) {
      // Registered first, so `on<type>` runs before listeners added later (as theirs does).
      super.addEventListener(type, (event) => {
        const handler = this[`on${type}`] as Handler<Event>;
        if (typeof handler === 'function') handler.call(this, event);
      });
    }
    if (this.options.startClosed) {
      this.state = CLOSED;
      this.closeCalled = true;
    } else {
      this.startGeneration();
    }
  }

  get CONNECTING(): 0 {
    return CONNECTING;
  }
  get OPEN(): 1 {
    return OPEN;
  }
  get CLOSING(): 2 {
    return CLOSING;
  }
  get CLOSED(): 3 {
    return CLOSED;
  }

  /** CONNECTING while an attempt is pending, OPEN, CLOSING after close(), CLOSED between
   * attempts (the backoff wait), after close() and after failing. */
  get readyState(): number {
    return this.state;
  }

  /** The URL of the current (or last) attempt, as resolved; before any attempt, the URL given. */
  get url(): string {
    if (this.socket) return this.socket.url;
    return typeof this.urlProvider === 'function' ? '' : String(this.urlProvider);
  }

  /** Subprotocol the server selected on the current (or last) socket. */
  get protocol(): string {
    return this.socket?.protocol ?? '';
  }

  get extensions(): string {
    return this.socket?.extensions ?? '';
  }

  /** How binary messages are delivered: 'blob' (default), 'arraybuffer' or, in Node, 'nodebuffer'. */
  get binaryType(): BinaryTypeName {
    return this.binary;
  }

  set binaryType(value: BinaryTypeName) {
    if (BINARY_TYPES.includes(value)) this.binary = value; // others are ignored, as browsers do
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

  /** The current generation's link (status(), events, the actor), or null before the first. */
  get link(): Link | null {
    return this.generation?.link ?? null;
  }

  /**
   * Sends now when OPEN; otherwise queues a copy of it (binary is copied, as a browser's WebSocket
   * does; up to maxEnqueuedMessages, beyond it the message is dropped and false returned). Throws
   * LV_ERR_INVALID_DATA for a type that cannot be sent (Blob included: send
   * `await blob.arrayBuffer()`), a detached buffer, or a message the open socket refuses.
   */
  send(data: string | ArrayBuffer | ArrayBufferView): boolean {
    assertPayload(data);
    const generation = this.generation;
    if (this.state === OPEN && generation && !generation.over) {
      return generation.link.send(data) !== 'dropped';
    }
    if (this.queue.length >= this.options.maxEnqueuedMessages) {
      this.debug('queue full, dropped', this.queue.length);
      return false;
    }
    this.queue.push(copyPayload(data));
    this.queueBytes += byteLengthOf(data);
    this.debug('enqueued', this.queue.length);
    return true;
  }

  /**
   * Closes the socket or the pending attempt and stops reconnecting; every timer goes with it.
   * `code`: 1000 or 3000–4999. Closing again, or while CLOSED, does nothing.
   */
  close(code = 1000, reason = ''): void {
    checkCloseArgs(code, reason);
    this.closeCalled = true;
    const generation = this.generation;
    if (!generation || generation.over || generation.closedFrom !== null) return;
    generation.closedFrom = this.state;
    generation.closeCode = code;
    this.state = this.state === CLOSED ? CLOSED : CLOSING;
    this.debug('close', code, reason);
    void generation.link.close({ code, reason });
  }

  /**
   * Closes the current socket (dispatching its close event) and connects again at once, with the
   * retry schedule reset. Works in every state, also after close() and after failing.
   */
  reconnect(code?: number, reason?: string): void {
    checkCloseArgs(code, reason);
    this.closeCalled = false;
    const previous = this.generation;
    if (previous && !previous.over) {
      const from = previous.closedFrom ?? this.state;
      previous.over = true;
      for (const off of previous.offs) off();
      if (previous.closedFrom === null)
        void previous.link.close({ code: code ?? 1000, reason: reason ?? '' });
      this.state = CLOSED;
      if (from !== CLOSED) {
        const closeCode = code ?? (previous.closedFrom === null ? 1000 : previous.closeCode);
        const detail: Reason = { kind: 'user', code: closeCode, message: 'reconnect requested' };
        const wasClean = from !== CONNECTING;
        this.dispatch(
          new CloseEvent({
            code: wasClean ? closeCode : ABNORMAL_CLOSURE,
            reason: reason ?? '',
            wasClean,
            detail,
          }),
        );
      }
      // A close event listener may have called close() or reconnect() itself.
      if (this.closeCalled || this.generation !== previous) return;
    }
    this.startGeneration();
  }

  override addEventListener<K extends keyof ReconnectingWebSocketEventMap>(
    type: K,
    listener: ((this: ReconnectingWebSocket, event: ReconnectingWebSocketEventMap[K]) => unknown) | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  override addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  override addEventListener(
    type: string,
    listener: unknown,
    options?: boolean | AddEventListenerOptions,
  ): void {
    super.addEventListener(type, listener as EventListenerOrEventListenerObject | null, options);
  }

  override removeEventListener<K extends keyof ReconnectingWebSocketEventMap>(
    type: K,
    listener: ((this: ReconnectingWebSocket, event: ReconnectingWebSocketEventMap[K]) => unknown) | null,
    options?: boolean | EventListenerOptions,
  ): void;
  override removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ): void;
  override removeEventListener(
    type: string,
    listener: unknown,
    options?: boolean | EventListenerOptions,
  ): void {
    super.removeEventListener(type, listener as EventListenerOrEventListenerObject | null, options);
  }

  /** The transport for the `WebSocket` option; the Node entry overrides it to prefer `ws`. */
  protected selectTransport(WebSocketImpl: unknown): Transport {
    const impl = WebSocketImpl ?? (globalThis as { WebSocket?: unknown }).WebSocket;
    if (impl === undefined) {
      throw new LinkvisorError(
        'LV_ERR_UNSUPPORTED',
        'no WebSocket implementation: pass options.WebSocket (in Node, import from linkvisor or linkvisor/ws)',
        { option: 'WebSocket' },
      );
    }
    return createConstructorTransport(impl);
  }

  // ── generations ──

  private startGeneration(): void {
    this.closeCalled = false;
    const link = this.startLink(`link:ws-${++this.generations}`);
    const generation: Generation = {
      link,
      offs: [],
      closedFrom: null,
      closeCode: 1000,
      over: false,
    };
    this.generation = generation;
    this.state = CONNECTING;
    this.debug('connect', link.id);
    const mine = () => this.generation === generation && !generation.over;
    generation.offs.push(
      link.on('ready', () => mine() && this.onReady(generation)),
      link.on('message', (data) => mine() && this.onMessage(data)),
      link.on('state', ({ to }) => {
        if (mine() && generation.closedFrom === null && (to === 'connecting' || to === 'handshaking')) {
          this.state = CONNECTING;
        }
      }),
      link.on('reconnecting', (event) => mine() && this.onAttemptEnded(generation, event)),
      link.on('failed', ({ reason }) => mine() && this.onFailed(generation, reason)),
      link.on('closed', () => mine() && this.onClosed(generation)),
      link.on('error', (error) => this.debug('error', error.message)),
    );
    // Messages the link accepted and could not write are ours to report, whatever generation.
    link.on('dropped', ({ data, reason, error }) => {
      this.debug('dropped', reason, error?.message ?? '');
      this.dispatch(new DroppedEvent({ data, reason, ...(error ? { error } : {}) }));
    });
  }

  /** One link as a root actor of its own, as the supervisor starts them. */
  private startLink(linkId: string): Link {
    const parts = buildLinkParts(linkId, this.urlProvider, this.linkOptions, {
      transport: this.transport,
      clock: systemClock,
      seed: randomSeed(),
    });
    const wire = new LinkWire(parts.wire);
    this.wires.set(linkId, wire);
    // Reported as the link's error (rws.link.on('error'), and debugLogger), after the step it broke.
    const inspect = safeInspect(this.options.inspect, (error) =>
      queueMicrotask(() => wire.reportError(error)),
    );
    const actor = createActor(this.machine, {
      id: linkId,
      input: parts.input,
      clock: systemClock,
      ...(inspect ? { inspect } : {}),
    });
    const link = new Link(actor, wire, () => this.wires.delete(linkId), true);
    actor.start();
    return link;
  }

  private onReady(generation: Generation): void {
    // Theirs: queued messages go out before `open` is dispatched. One the socket refuses is
    // reported and skipped: it never keeps the others, or the state, from going on.
    const queued = this.queue.splice(0);
    this.queueBytes = 0;
    const refused: DroppedEvent[] = [];
    for (const data of queued) {
      try {
        generation.link.send(data);
      } catch (error) {
        const reason = error as LinkvisorError;
        this.debug('dropped a queued message', reason.code, reason.message);
        refused.push(new DroppedEvent({ data, reason: 'invalid', error: reason }));
      }
    }
    // OPEN before the reports: a `dropped` listener that sends again writes straight to the socket
    // (and meets its refusal itself) instead of queueing behind an open that already happened.
    this.state = OPEN;
    for (const event of refused) this.dispatch(event);
    // A `dropped` listener may have called close() or reconnect().
    if (this.generation !== generation || generation.over || generation.closedFrom !== null) return;
    this.debug('open', queued.length > 0 ? `(flushed ${queued.length})` : '');
    this.dispatch(new Event('open'));
  }

  private onMessage(data: Incoming): void {
    this.dispatch(new MessageEvent('message', { data: asBinaryType(data, this.binary) }));
  }

  private onAttemptEnded(
    generation: Generation,
    event: { attempt: number; delayMs: number; reason: Reason },
  ): void {
    this.state = CLOSED;
    this.dispatchEnd(event.reason);
    if (this.generation !== generation || generation.over || generation.closedFrom !== null) return;
    this.debug('reconnecting in', event.delayMs, 'ms, retry', event.attempt);
    this.dispatch(new ReconnectingEvent(event));
  }

  private onFailed(generation: Generation, failure: Reason): void {
    generation.over = true;
    this.state = CLOSED;
    // A "gave up" failure says why; the close event shows how the last attempt ended.
    const last = generation.link.actor.getSnapshot().context.reason ?? failure;
    this.dispatchEnd(last);
    this.debug('failed', failure.message);
    this.dispatch(new FailedEvent(failure));
  }

  private onClosed(generation: Generation): void {
    generation.over = true;
    const from = generation.closedFrom;
    const ended = this.socket?.ended ?? null;
    // As a WebSocket: CLOSING until the close event is dispatched (never from inside close()
    // itself, so a listener added right after close() still hears it), then CLOSED.
    if (from === CLOSED || from === null) this.state = CLOSED;
    queueMicrotask(() => {
      if (this.generation === generation) this.state = CLOSED;
      if (from === OPEN || from === CLOSING) this.dispatchClosedByUs(generation, ended);
      else if (from === CONNECTING) {
        // As a WebSocket closed while connecting: the connection fails (error, then close 1006).
        this.dispatchEnd({
          kind: 'user',
          code: ABNORMAL_CLOSURE,
          message: 'closed before the connection was established',
        });
      }
    });
  }

  /**
   * The close event of close() on an open socket: clean with the peer's close frame, or (WHATWG)
   * 1006 and not clean when none came back (the close timeout ended it, or the socket broke).
   */
  private dispatchClosedByUs(generation: Generation, ended: Reason | null): void {
    const code = generation.closeCode;
    if (ended && endedWithFrame(ended)) {
      const detail: Reason = { kind: 'user', code, message: 'closed by the application' };
      this.dispatch(
        new CloseEvent({ code: closeCodeOf(ended), reason: closeTextOf(ended), wasClean: true, detail }),
      );
      return;
    }
    const timeoutMs = this.linkOptions.closeTimeoutMs ?? TIMEOUT_DEFAULTS.closeTimeoutMs;
    const detail: Reason = ended ?? {
      kind: 'timeout',
      phase: 'close',
      message: `closed by the application; the peer did not answer the close frame within ${timeoutMs} ms`,
    };
    this.dispatch(new CloseEvent({ code: ABNORMAL_CLOSURE, reason: '', wasClean: false, detail }));
  }

  /** [error] then close, for an attempt that ended for `reason`. */
  private dispatchEnd(reason: Reason): void {
    if (!endedWithFrame(reason)) this.dispatch(new ErrorEvent(reason));
    this.dispatch(CloseEvent.fromReason(reason));
  }

  private dispatch(event: Event): void {
    this.debug('event', event.type);
    this.dispatchEvent(event);
  }

  private debug(...args: unknown[]): void {
    if (this.options.debug) this.options.debugLogger('RWS>', ...args);
  }
}
