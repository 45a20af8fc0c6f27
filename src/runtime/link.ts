/**
 * The Link: what application code holds for one peer link. It sends and receives on the data
 * plane (the wire) and reads its lifecycle from the connection actor (`link.actor`).
 */

import type { Observer } from 'xstate';
import type { ConnectionActorRef, LinkStateName } from '../../machines/connection.machine.js';
import { linkStateName, stateChangeDetails } from '../../machines/connection.machine.js';
import type { Reason } from '../../machines/policy/close-reason.js';
import { type CloseOptions, closeCommand } from '../util/close-args.js';
import type { Listener } from '../util/emitter.js';
import { LinkvisorError } from '../util/errors.js';
import { changeTime, epochMsOf } from './change-time.js';
import type { LinkEvents, SendResult } from './link-events.js';
import { CLOSE_REQUESTED, FINISHED, RELAYING } from './link-flags.js';
import { isWire, type LinkHost, NO_HOST, type WireSource } from './link-host.js';
import { LinkObserver } from './link-observer.js';
import { type ConnectionSnapshot, type LinkStatus, linkStatus } from './link-status.js';
import type { LinkTap, LinkWire } from './link-wire.js';
import { type ReadyWaiters, readySignal, settleWaiters, waitReady } from './ready-waiters.js';

/**
 * One peer link run by a supervisor: its state, `send()`, typed events, `ready()`, `close()`,
 * `status()` and the XState actor of its connection chart (docs/links.md).
 */
export class Link {
  readonly id: string;
  private previous: LinkStateName = 'idle';
  /** The time of the last change of state (./change-time.ts: a small integer, not epoch ms). */
  private lastChange: number;
  /** CLOSE_REQUESTED, RELAYING and FINISHED: one small integer, not three fields a link. */
  private flags = 0;
  /** Resolved when the link has ended, with its resolver (null once ended); made only when someone
   * waits for it (close(), ended()): most links are never waited on. */
  private done: { promise: Promise<void>; resolve: (() => void) | null } | null = null;
  /** The connection actor, once attached (a supervisor starts its links in slices after
   * `connect()` returns; until then the link is `idle`). */
  private actorRef: ConnectionActorRef | null = null;

  /** @internal The wire, or what makes it on first use (WireSource); the supervisor's error scrub reads it. */
  wireOrSource: LinkWire | WireSource;

  /** @internal Links are made by `supervisor.connect()` and `defineLink(...).handle()`. */
  constructor(
    /** The connection actor, or null when it is attached later (see `attach`). */
    actor: ConnectionActorRef | null,
    wire: LinkWire | WireSource,
    private readonly host: LinkHost = NO_HOST,
  ) {
    this.id = wire.linkId;
    this.lastChange = changeTime(this.wallNow());
    this.wireOrSource = wire;
    if (actor) this.attach(actor, false);
  }

  /** @internal The link's data plane (made now if the link was only booked). */
  get wire(): LinkWire {
    const wire = this.wireOrSource;
    if (isWire(wire)) return wire;
    const made = wire.makeWire();
    this.wireOrSource = made;
    return made;
  }

  /** The promise of the link's end (see `done`). */
  private whenDone(): Promise<void> {
    if (!this.done) {
      if (this.flags & FINISHED) this.done = { promise: Promise.resolve(), resolve: null };
      else {
        let resolve!: () => void;
        const promise = new Promise<void>((settle) => {
          resolve = settle;
        });
        this.done = { promise, resolve };
      }
    }
    return this.done.promise;
  }

  /** The connection actor: its snapshot is the link's lifecycle (see linkvisor/machines). Reading
   * it starts a link that is still waiting for its turn. */
  get actor(): ConnectionActorRef {
    if (!this.actorRef) this.host.startLink?.(this);
    if (!this.actorRef) throw new LinkvisorError('LV_ERR_LINK_CLOSED', `link ${this.id} has no actor`);
    return this.actorRef;
  }

  /** Whether the connection actor is attached (false while the link waits for its turn). */
  get attached(): boolean {
    return this.actorRef !== null;
  }

  /** Attaches the connection actor (before it starts) and relays its events. A link `idle` while
   * it waited for its turn reports its first state (`idle → connecting`) when the actor starts.
   * `observer`: how the link observes it (./link-observer.ts; null: in already, ./lean-actor.ts). */
  attach(
    actor: ConnectionActorRef,
    waited = false,
    observer: Observer<ConnectionSnapshot> | null = new LinkObserver(this),
  ): void {
    if (this.actorRef) return;
    this.actorRef = actor;
    const wire = this.wire;
    if (!waited) this.previous = linkStateName(actor.getSnapshot().value);
    wire.overdueTo = this;
    if (wire.listens()) this.relay();
    if (observer) actor.subscribe(observer);
  }

  /**
   * Relays the lifecycle events the chart emits to `link.on` listeners, once the step is over,
   * after its `state` event: listeners see state → ready, state → closed, in that order. Started
   * by the link's first listener (on attach, or by `on()` later), not for every link: XState's
   * `actor.on` keeps a set, a bound copy of the handler and its closure per actor (~0.3 KB a link,
   * heap snapshots), and a link nobody listens to has nobody to tell (`ready()` reads the state).
   */
  private relay(): void {
    const actor = this.actorRef;
    if (this.flags & RELAYING || !actor) return;
    this.flags |= RELAYING;
    actor.on('*', (event) => {
      const { type, linkId: _linkId, ...payload } = event;
      this.pending ??= [];
      this.pending.push(type, payload);
    });
  }

  /** The current lifecycle state: idle, connecting, handshaking, ready, closing, reconnecting,
   * failed or closed. */
  get state(): LinkStateName {
    const actor = this.actorRef;
    if (!actor) return 'idle';
    // Snapshots are immutable: the name of the last one the link saw is `previous` (send() reads
    // the state per call).
    const snapshot = actor.getSnapshot();
    if (snapshot === this.seen) return this.previous;
    return snapshot.status === 'error' ? 'failed' : linkStateName(snapshot.value);
  }

  /** The last snapshot the link has seen (see onSnapshot): `previous` is its state's name. */
  private seen: unknown = null;

  /**
   * Sends now if ready, otherwise queues (bounded; see `queue` options; binary is copied into the
   * queue, so the caller may reuse its buffer at once). Returns what happened.
   * Throws LV_ERR_INVALID_DATA for an unsupported type, LV_ERR_QUEUE_FULL under the `reject`
   * policy, LV_ERR_LINK_CLOSED / LV_ERR_LINK_FAILED once the link is over.
   */
  send(data: string | ArrayBuffer | ArrayBufferView): SendResult {
    const state = this.state;
    if (this.flags & CLOSE_REQUESTED || state === 'closed' || state === 'closing' || state === 'failed') {
      throw this.sendError(state);
    }
    return this.wire.send(data);
  }

  /** Why send() refuses: the link failed (LV_ERR_LINK_FAILED) or was closed. */
  private sendError(state: LinkStateName): LinkvisorError {
    const failed = state === 'failed';
    const why = failed ? `failed: ${this.failureMessage()}` : 'is closed';
    return new LinkvisorError(
      failed ? 'LV_ERR_LINK_FAILED' : 'LV_ERR_LINK_CLOSED',
      `send(): link ${this.id} ${why}`,
    );
  }

  /** Stops delivering messages until `resume()` (backpressure; ws's `pause()` underneath): the
   * hold is the link's, in any state and across reconnects; the heartbeat judges no pong meanwhile
   * but writes a probe ping each interval, so a dead socket still ends. Told by a `reading` event.
   * If it ends first, what was read and not delivered is reported `dropped` (`unread`; `close()`
   * reads on until answered). False once over, or if the transport cannot pause (docs/links.md). */
  pause(): boolean {
    if (this.flags & CLOSE_REQUESTED) return false;
    // A link still waiting for its turn starts now (as reading `actor` does): the chart holds it.
    if (!this.actorRef) this.host.startLink?.(this);
    const actor = this.actorRef;
    if (actor?.getSnapshot().status !== 'active') return false;
    if (this.wire.paused) return true;
    if (!this.wire.holdReading()) return false;
    actor.send({ type: 'link.pause' });
    this.wire.emit('reading', { paused: true, unread: this.wire.reading?.kept ?? 0 });
    return true;
  }

  /** Delivers again after `pause()` (what was read meanwhile first), the heartbeat with a whole
   * window; false if it was not paused. */
  resume(): boolean {
    return this.wire.reading?.release(() => this.actorRef?.send({ type: 'link.resume' })) ?? false;
  }

  /** Starts connecting a link created with `autoConnect: false` (no effect otherwise). */
  connect(): void {
    this.actor.send({ type: 'link.connect' });
  }

  /** Adds a listener; returns the function that removes this registration alone, once. Throws
   * LV_ERR_UNKNOWN_OPTION (option `event`) for a name the link never emits (with a "did you
   * mean"), LV_ERR_INVALID_OPTION for a listener that is no function. */
  on<K extends keyof LinkEvents & string>(event: K, listener: Listener<LinkEvents[K]>): () => void {
    const off = this.wire.emitter.on(event, listener);
    this.relay();
    return off;
  }

  /** @internal Hands every event of the link to `tap`, before its listeners (see LinkTap). */
  tap(tap: LinkTap): void {
    this.wire.tap = tap;
    this.relay();
  }

  /** Removes a listener (none subscribed: nothing to do; added more than once: the most recently
   * added registration, as Node's EventEmitter); an unknown `event` throws as `on`'s. */
  off<K extends keyof LinkEvents & string>(event: K, listener: Listener<LinkEvents[K]>): void {
    this.wire.emitter.off(event, listener);
  }

  /** Resolves when the link is ready (at once if it is); rejects if it fails or is closed first,
   * or `signal` aborts (null: none, as fetch's): LV_ERR_ABORTED, its `cause` the signal's `reason`.
   * A signal aborted already rejects the call at once, whatever the link's state (as `fetch` and
   * `events.once`). Throws LV_ERR_INVALID_OPTION for options that are no object or a `signal` that
   * is no AbortSignal, LV_ERR_UNKNOWN_OPTION for a literal's other key. */
  ready(options: { signal?: AbortSignal | null } = {}): Promise<void> {
    const signal = readySignal(options);
    // Settled by the link's own steps (onSnapshot, finish), not through listeners; at once if it
    // is ready or has ended, after a look at the signal.
    this.waiters ??= new Set();
    return waitReady(
      this.waiters,
      this.id,
      signal,
      () => this.overError(),
      () => {
        this.waiters = null;
      },
      // A close requested and not yet taken by the chart (close() in the link's own listener, its
      // actor mid-step; its supervisor's, told a microtask later) reads `ready` still: that call rejects.
      this.overError() ? 'ended' : this.state === 'ready' ? 'ready' : null,
    );
  }

  /**
   * Closes the link for good: drains the queue (if ready) within closeTimeoutMs, sends the close
   * frame, then ends. Idempotent: every call returns the same promise, effects happen once.
   * What could not be sent is reported through `dropped` events before the promise resolves.
   * A supervisor's link keeps its own code unless its close frame is already written:
   * `supervisor.close()` reached it and its drain ended (while it drains, this code replaces the
   * supervisor's 1000: ./supervisor-link-host.ts, the chart's `closing.draining`). A literal's
   * key other than `code` and `reason` throws LV_ERR_UNKNOWN_OPTION; a close event is read for them.
   */
  close(options: CloseOptions = {}): Promise<void> {
    if (!(this.flags & CLOSE_REQUESTED)) {
      const command = closeCommand(options);
      this.flags |= CLOSE_REQUESTED;
      if (this.host.closeLink) this.host.closeLink(this, command);
      else this.actor.send({ type: 'link.close', ...command });
    }
    return this.whenDone();
  }

  /** Resolves when the link has ended (closed or failed) and released everything. */
  ended(): Promise<void> {
    return this.whenDone();
  }

  /** Reading it does not start a link waiting for its turn: that link is `idle`, as its chart
   * starts (a health check during a mass open would start every booked link in one run). */
  status(): LinkStatus {
    const lastChange = epochMsOf(this.lastChange);
    const readyAt = this.previous === 'ready' ? lastChange : null;
    return linkStatus(this.id, this.actorRef?.getSnapshot(), this.wire, this.actorFailure, {
      readyAt,
      lastChange,
      now: () => this.wallNow(),
    });
  }

  /** Epoch ms through the host's clock (status()'s timestamps). */
  private wallNow(): number {
    return this.host.wallNow ? this.host.wallNow() : Date.now();
  }

  private failureMessage(): string {
    return (this.actor.getSnapshot().context.failure ?? this.actorFailure)?.message ?? 'unknown reason';
  }

  /** Why the actor itself failed (see onActorError), or null. */
  private actorFailure: Reason | null = null;

  /**
   * The actor failed: a bug, or a user-supplied piece the runtime cannot guard (a clock whose
   * setTimeout throws). The link is over like a failed one: its socket is closed at once (nothing
   * is left open for close() to wait on), listeners hear state → failed, dropped…, failed, and
   * send() and ready() say LV_ERR_LINK_FAILED.
   * @internal
   */
  onActorError(error: unknown): void {
    if (this.flags & FINISHED) return;
    const shown = this.wire.redactUser(error instanceof Error ? error.message : String(error));
    const reason: Reason = { kind: 'invalid', message: `the link actor failed: ${shown}` };
    this.actorFailure = reason;
    this.wire.abandon();
    // A transport's send() in flight (the actor failed inside it) says first whether it wrote its
    // message: one it did not take is reported with the rest, before failed (LinkWire.afterWrite).
    const fail = () => {
      if (!this.wire.afterWrite(() => this.failActor(reason, error))) this.failActor(reason, error);
    };
    // Its paused socket, terminated just now, may hand over late what it had read: reported
    // (dropped, unread) before failed, nothing after (./reading-hold.ts).
    if (this.wire.reading?.afterLastRead(fail)) return;
    fail();
  }

  /** The rest of onActorError, once the last read is in: failed, reported. */
  private failActor(reason: Reason, error: unknown): void {
    const last = this.previous;
    this.previous = 'failed';
    this.lastChange = changeTime(this.wallNow());
    this.wire.reportError(new LinkvisorError('LV_ERR_LISTENER', reason.message, { cause: error }));
    this.wire.emit('state', { from: last, to: 'failed' });
    this.wire.dropQueued();
    this.wire.emit('failed', { reason });
    this.finish(last);
  }

  /** The error for waiting on a link that will never be ready, or null if it still may be. */
  private overError(): LinkvisorError | null {
    const state = this.state;
    if (state === 'failed') {
      return new LinkvisorError('LV_ERR_LINK_FAILED', `link ${this.id} failed: ${this.failureMessage()}`, {
        cause: this.actor.getSnapshot().context.failure,
      });
    }
    if (state === 'closed' || state === 'closing' || this.flags & CLOSE_REQUESTED || this.host.closing?.()) {
      return new LinkvisorError('LV_ERR_LINK_CLOSED', `link ${this.id} was closed`);
    }
    return null;
  }

  /** @internal */
  onSnapshot(snapshot: ConnectionSnapshot): void {
    const { status, context } = snapshot;
    const to = linkStateName(snapshot.value);
    const from = this.previous;
    const changed = to !== from;
    this.previous = to;
    this.seen = snapshot;
    // Waiting `ready()` calls settle with the step that made the link ready, before its listeners
    // run (one that aborts their signal is too late: they resolve), or when it ends (finish).
    if (changed && to === 'ready') settleWaiters(this.waiters, 'ready');
    if (changed) {
      this.lastChange = changeTime(this.wallNow());
      // Self-sufficient: the reason, attempt and delay of THIS transition (the events that follow
      // in the same step say the same), computed only for a listener (most links have none).
      const wire = this.wire;
      if (wire.listens('state')) wire.emit('state', { from, to, ...stateChangeDetails(context, to) });
    }
    // A link that ended reports what it could not send before its closed/failed event, once its
    // paused socket has handed over all it had read (./reading-hold.ts): this step again then.
    if (status === 'done' && this.wire.reading?.afterLastRead(() => this.onSnapshot(snapshot))) return;
    // …and once a transport's send() that ended it has said whether it wrote (LinkWire.afterWrite).
    if (status === 'done' && this.wire.afterWrite(() => this.onSnapshot(snapshot))) return;
    if (status === 'done') this.wire.dropQueued();
    const pending = this.pending;
    if (pending) {
      this.pending = null;
      for (let i = 0; i < pending.length; i += 2) this.wire.emit(pending[i] as never, pending[i + 1]);
    }
    if (status === 'done') this.finish();
  }

  /** Lifecycle events of the current step after its `state` event (null: none): flat type, payload. */
  private pending: unknown[] | null = null;

  /** `ready()` calls waiting (made on first use, dropped when the last one settles). */
  private waiters: ReadyWaiters | null = null;

  /** @internal Timers were suspended (the wire's overdue check): the chart checks the peer, the maker hears. */
  overdue(): void {
    this.actorRef?.send({ type: 'heartbeat.overdue' });
    this.host.timeJumped?.();
  }

  /** @internal */
  finish(lastState: LinkStateName = this.previous): void {
    if (this.flags & FINISHED) return;
    // A stopped actor runs no exit action: its attempt (socket) ends here, and the end waits for
    // what its paused socket hands over late (./reading-hold.ts), as it does when its actor
    // completed (LinkObserver) while its final step waits for the last read.
    this.wire.endAttempt();
    if (this.wire.reading?.afterLastRead(() => this.finish(lastState))) return;
    if (this.wire.afterWrite(() => this.finish(lastState))) return;
    this.flags |= FINISHED | CLOSE_REQUESTED;
    this.wire.dropQueued();
    // A root actor is stopped here (idempotent); a spawned one belongs to its parent.
    if (this.host.ownsActor) this.actorRef?.stop();
    this.host.linkEnded(this, lastState);
    this.done?.resolve?.();
    settleWaiters(this.waiters, 'ended');
  }
}
