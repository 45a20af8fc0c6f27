/**
 * The server side of the in-process network (memory-transport.ts): a `mem://` server, its peers,
 * and the fault controls a test drives — refuse, stall, hold attempts, drop peers, stop or hold
 * pongs, hold close handshakes, latency. The client side (the transport links connect through)
 * lives in memory-transport.ts; this file never starts a connection itself.
 */
import type { Reason } from '../../machines/policy/close-reason.js';
import type { Clock } from '../util/clock.js';
import { checkFunction } from '../util/option-checks.js';
import { checkLatency, checkPeerClose, checkPeerReason, checkRefuseWith } from './memory-checks.js';
import { assertPayload, type Incoming, type Payload } from './payload.js';
import type { TransportHandlers, TransportTarget } from './transport.js';

/**
 * How a memory server refuses a connection: a network error, an HTTP status on upgrade, or an
 * accept followed at once by a close code.
 */
export type RefuseWith =
  | { error: string } // e.g. ECONNREFUSED
  | { status: number; retryAfterSeconds?: number } // HTTP status on upgrade
  | { code: number; reason?: string }; // accept, then close at once with this code

/** The server side of one in-memory connection: what it received, and how to answer or end it. */
export interface MemoryPeer {
  readonly id: number;
  readonly url: string;
  readonly protocols: readonly string[];
  readonly headers: Readonly<Record<string, string>>;
  /** Everything the client sent, in order. */
  readonly received: Incoming[];
  readonly open: boolean;
  send(data: Payload): void;
  /** Closes with a code `ws` sends (1000–1003, 1007–1014, 3000–4999; default 1000) and a reason
   * of at most 123 bytes: else LV_ERR_INVALID_OPTION naming `code` or `reason` (ws's `close`
   * throws a TypeError or a RangeError). A reset is `terminate()`. */
  close(code?: number, reason?: string): void;
  /** Drops the connection without a close frame (the client sees 1006). */
  terminate(): void;
  /** Ends the connection; the client sees exactly `reason` (any kind: a replayed trace's). */
  fail(reason: Reason): void;
  /** The client's socket fires `error` and never `close` (a non-conforming WebSocket polyfill):
   * the link ends it itself after its errorCloseGrace (machines/policy/timeouts.ts). */
  errorWithoutClose(): void;
  onMessage(listener: (data: Incoming) => void): void;
}

/**
 * An in-process server on a `mem://` URL with fault controls (refuse, stall, drop, stop answering
 * pings, latency, hold attempts).
 */
export interface MemoryServer {
  readonly url: string;
  /** Open peers. */
  readonly peers: readonly MemoryPeer[];
  /** Messages clients wrote that never reached the server (peer gone or stalled path; not what a
   * client wrote before its polite close, which arrives first, as on a socket). */
  readonly lost: readonly Incoming[];
  /** Connections accepted since the server started. */
  readonly accepted: number;
  /** Connection attempts seen (accepted, refused or stalled). */
  readonly attempts: number;
  onConnection(listener: (peer: MemoryPeer) => void): void;
  refuse(how?: RefuseWith): void;
  accept(): void;
  /** New connections hang; open peers' messages and pings go unanswered. */
  stall(): void;
  unstall(): void;
  /** Closes every open peer with `code` (1006: as if the connection were reset, see `terminate`).
   * Any other code must be one `ws` sends: 1000–1003, 1007–1014 or 3000–4999 (else
   * LV_ERR_INVALID_OPTION naming `code`, where ws's `close(code)` throws a TypeError). */
  dropAll(code?: number, reason?: string): void;
  /** Open peers stop answering pings (the client's heartbeat must notice). */
  stopPongs(): void;
  resumePongs(): void;
  /** Delay of each message in either direction, in ms. */
  setLatency(ms: number): void;
  /** New connection attempts wait in `pending` until the test accepts, refuses or resets each. */
  hold(): void;
  /** Stops holding; attempts already pending stay pending. */
  release(): void;
  /** Connection attempts waiting for a decision (see `hold`), oldest first. */
  readonly pending: readonly PendingConnection[];
  /** Pings wait until `answerPings()` (a slow or silent peer, under the test's control). */
  holdPongs(): void;
  /** Answers the held pings of open peers (oldest first, at most `max`); returns how many. */
  answerPings(max?: number): number;
  /** Pings waiting for an answer (see `holdPongs`). */
  readonly heldPings: number;
  /** Clients' close frames wait for the server's echo until `completeCloses()`. */
  holdCloses(): void;
  /** Echoes the held close frames (of one peer, or all): the clients' close handshakes complete. */
  completeCloses(peer?: MemoryPeer): number;
  /** Close handshakes waiting (see `holdCloses`). */
  readonly heldCloses: number;
  /** Clients read a non-empty send buffer (bufferedAmount 1) until `completeDrains()`: a closing
   * link's close frame waits for its drain, under the test's control. */
  holdDrains(): void;
  /** Empties the send buffers read while held: the waiting drains write their close frames at
   * their next check. Returns how many were released. */
  completeDrains(): number;
  /** Stops listening: open peers are dropped with 1001, attempts held by `hold()` reset
   * (ECONNRESET), new connections refused. */
  close(): void;
}

/** A connection attempt held by `server.hold()`. */
export interface PendingConnection {
  readonly url: string;
  /** Completes the upgrade: the client sees the socket open. */
  accept(): MemoryPeer | null;
  /** Rejects it: an error (e.g. ECONNREFUSED), an HTTP status, or accept-then-close with a code. */
  refuse(how?: RefuseWith): void;
  /** Resets the TCP connection mid-handshake (the client sees ECONNRESET). */
  reset(): void;
  /** Ends the attempt; the client sees exactly `reason` (any kind: a replayed trace's). */
  fail(reason: Reason): void;
}

function bytesToIncoming(data: Payload): Incoming {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data.slice(0));
  return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
}

export class ServerImpl implements MemoryServer {
  readonly peers: PeerImpl[] = [];
  accepted = 0;
  attempts = 0;
  refused: RefuseWith | null = null;
  stalled = false;
  pongs = true;
  latencyMs = 0;
  listening = true;
  held = false;
  pending: PendingConnection[] = [];
  pongsHeld = false;
  closesHeld = false;
  drainsHeld = false;
  /** Releases of the connections whose buffer was read while drains are held. */
  readonly drainsWaiting = new Set<() => void>();
  lost: Incoming[] = [];
  closeQueue: { peer: MemoryPeer; echo: () => void }[] = [];
  pingQueue: (() => boolean)[] = [];
  private readonly listeners: ((peer: MemoryPeer) => void)[] = [];
  private nextId = 1;

  constructor(
    readonly url: string,
    readonly clock: Clock,
    private readonly onClose: () => void,
  ) {}

  onConnection(listener: (peer: MemoryPeer) => void) {
    checkFunction(listener, 'listener');
    this.listeners.push(listener);
  }
  refuse(how: RefuseWith = { error: 'ECONNREFUSED' }) {
    this.refused = checkRefuseWith(how);
  }
  accept() {
    this.refused = null;
  }
  stall() {
    this.stalled = true;
  }
  unstall() {
    this.stalled = false;
  }
  stopPongs() {
    this.pongs = false;
  }
  resumePongs() {
    this.pongs = true;
  }
  setLatency(ms: number) {
    this.latencyMs = checkLatency(ms);
  }
  hold() {
    this.held = true;
  }
  release() {
    this.held = false;
  }
  holdPongs() {
    this.pongsHeld = true;
  }
  holdCloses() {
    this.closesHeld = true;
  }
  completeCloses(peer?: MemoryPeer): number {
    const done = this.closeQueue.filter((c) => !peer || c.peer === peer);
    this.closeQueue = this.closeQueue.filter((c) => !done.includes(c));
    for (const { echo } of done) this.later(echo);
    return done.length;
  }
  holdDrains() {
    this.drainsHeld = true;
  }
  completeDrains(): number {
    const released = [...this.drainsWaiting];
    this.drainsWaiting.clear();
    for (const release of released) release();
    return released.length;
  }
  get heldCloses(): number {
    return this.closeQueue.length;
  }
  answerPings(max = Number.POSITIVE_INFINITY): number {
    let answered = 0;
    while (answered < max && this.pingQueue.length > 0) {
      const answer = this.pingQueue.shift() as () => boolean;
      if (answer()) answered++;
    }
    return answered;
  }
  get heldPings(): number {
    return this.pingQueue.length;
  }
  dropAll(code = 1006, reason = '') {
    // 1006 is no close frame but a reset (terminate): any other code is one `ws` sends.
    if (code !== 1006) checkPeerClose(code, reason);
    else if (typeof reason !== 'string') checkPeerClose(1000, reason);
    for (const peer of [...this.peers]) {
      if (code === 1006) peer.terminate();
      else peer.close(code, reason);
    }
  }
  close() {
    this.listening = false;
    // Attempts it held die with it (reset, as a closing server's half-open connections), not at
    // their link's connect timeout.
    for (const pending of [...this.pending]) pending.reset();
    this.dropAll(1001, 'server closing');
    this.onClose();
  }

  /** Delivers after the configured latency, or on a microtask. */
  later(fn: () => void) {
    if (this.latencyMs > 0) this.clock.setTimeout(fn, this.latencyMs);
    else queueMicrotask(fn);
  }

  attach(target: TransportTarget, handlers: TransportHandlers): PeerImpl {
    const peer = new PeerImpl(this.nextId++, this, target, handlers);
    this.peers.push(peer);
    this.accepted++;
    for (const listener of this.listeners) listener(peer);
    return peer;
  }

  detach(peer: PeerImpl) {
    const index = this.peers.indexOf(peer);
    if (index >= 0) this.peers.splice(index, 1);
  }
}

export class PeerImpl implements MemoryPeer {
  readonly received: Incoming[] = [];
  open = true;
  /** The close code the client sent, once it closed politely. */
  closeCode: number | null = null;
  private readonly listeners: ((data: Incoming) => void)[] = [];

  constructor(
    readonly id: number,
    private readonly server: ServerImpl,
    private readonly target: TransportTarget,
    readonly client: TransportHandlers,
  ) {}

  get url() {
    return this.target.url;
  }
  get protocols() {
    return this.target.protocols;
  }
  get headers() {
    return this.target.headers;
  }
  onMessage(listener: (data: Incoming) => void) {
    checkFunction(listener, 'listener');
    this.listeners.push(listener);
  }
  /** Messages the client wrote, and how many of them it wrote before its close frame (a polite
   * close: those arrive before it, as on a socket; a terminate loses what was still on its way). */
  private written = 0;
  private writtenBeforeClose = 0;
  /** From the client. */
  deliver(data: Payload) {
    const copy = bytesToIncoming(data);
    const rank = ++this.written;
    this.server.later(() => {
      if ((!this.open && rank > this.writtenBeforeClose) || this.server.stalled) {
        // Written by the client, lost on the way (peer gone, or a blackholed path).
        this.server.lost.push(copy);
        return;
      }
      this.received.push(copy);
      for (const listener of this.listeners) listener(copy);
    });
  }
  /** A ping from the client. */
  ping() {
    this.server.later(() => {
      if (!this.open || this.server.stalled || !this.server.pongs) return;
      const answer = () => {
        if (!this.open) return false;
        this.server.later(() => {
          if (this.open) this.client.pong();
        });
        return true;
      };
      if (this.server.pongsHeld) this.server.pingQueue.push(answer);
      else answer();
    });
  }
  send(data: Payload) {
    assertPayload(data);
    if (!this.open) return;
    const copy = bytesToIncoming(data);
    this.server.later(() => {
      if (this.open) this.client.message(copy);
    });
  }
  close(code = 1000, reason = '') {
    checkPeerClose(code, reason);
    this.end({ kind: 'close', code, message: `closed with code ${code}${reason ? `: ${reason}` : ''}` });
  }
  terminate() {
    this.end({ kind: 'close', code: 1006, message: 'closed with code 1006: connection reset' });
  }
  fail(reason: Reason) {
    checkPeerReason(reason);
    this.end(reason);
  }
  errorWithoutClose() {
    this.server.later(() => {
      if (this.open) this.client.error?.();
    });
  }
  /** The client closed politely: what it wrote before still arrives (then it goes, see gone()). */
  closedByClient() {
    this.writtenBeforeClose = this.written;
    this.gone();
  }
  /** The client went away. */
  gone() {
    this.open = false;
    this.server.detach(this);
  }
  private end(reason: Reason) {
    if (!this.open) return;
    this.gone();
    this.server.later(() => this.client.closed(reason));
  }
}
