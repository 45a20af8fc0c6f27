/**
 * The supervisor: runs the socket chart (machines/socket.machine.ts) and supplies its effects:
 * each link's actor is created with a shard as its XState parent (machines/shard.machine.ts; see
 * the socket chart's header for why not a child of the socket), sharing the shard's system, the
 * supervisor's clock and inspector, and reporting to the socket actor. It creates links and
 * groups of links, reports first-up / last-down, toggles reconnecting for all links, holds health watchers, reports status, and closes
 * everything with a drain. The charts are provided with the runtime's implementations once per
 * supervisor, not once per link.
 */
import { type AnyActorRef, createActor, type InspectionEvent, type Observer } from 'xstate';
import type { ConnectionInput } from '../../machines/connection.machine.js';
import { WAKE_COALESCE_MS } from '../../machines/policy/network.js';
import { peerInput, type SocketEvent } from '../../machines/socket.machine.js';
import type { Transport } from '../transports/transport.js';
import { wsTransport } from '../transports/ws-transport.js';
import { type Clock, systemClock } from '../util/clock.js';
import { describe } from '../util/describe.js';
import { Emitter, reportListenerError } from '../util/emitter.js';
import { LinkvisorError, optionError } from '../util/errors.js';
import { safeInspect } from '../util/safe-inspect.js';
import { combineInspectors } from './combine-inspectors.js';
import { Link } from './link.js';
import { LINK_FEATURES } from './link-features.js';
import { LinkGroup } from './link-group.js';
import { hooksOf } from './link-hooks.js';
import type { LinkHost } from './link-host.js';
import { FinalStateLinkObserver } from './link-observer.js';
import { buildLinkParts, LinkBooking, randomSeed, sharedShapeInput } from './link-parts.js';
import { LinkShards } from './link-shards.js';
import { type LinkTemplate, linkTemplate, type UrlInput } from './link-template.js';
import { checkLinkOptions, type LinkOptions, mergeLinkOptions } from './options.js';
import { provideRuntime } from './provide-runtime.js';
import { RECORDING_HOST, type RecordingHost } from './recording-host.js';
import { StartQueue } from './start-queue.js';
import { checkGroupOptions, checkSupervisorOptions } from './supervisor-options.js';
import { createSocketActor, type SocketActor } from './supervisor-socket.js';
import type {
  GroupOptions,
  NetworkSignal,
  SupervisorEvents,
  SupervisorOptions,
  SupervisorStatus,
} from './supervisor-types.js';
import { createWatcher, type Watcher, type WatcherOptions } from './watcher.js';

export type {
  GroupOptions,
  NetworkSignal,
  SupervisorEvents,
  SupervisorOptions,
  SupervisorStatus,
} from './supervisor-types.js';

/** connect() without options. */
const NO_OPTIONS: LinkOptions = Object.freeze({});

/**
 * Holds many links and health watchers and tells about them as a whole: first up / last down,
 * groups, the reconnect switch, status, and a close that drains every link (docs/supervisor.md).
 */
export class Supervisor {
  /** Live links by id (a link's wire is `link.wire`: one map entry a link, not two). */
  private readonly links = new Map<string, Link>();
  private readonly watchers = new Map<string, Watcher>();
  private readonly groups = new Map<string, LinkGroup>();
  private readonly emitter: Emitter<SupervisorEvents> = new Emitter<SupervisorEvents>((error, event) =>
    reportListenerError(this.emitter, error, event),
  );
  private readonly socket: SocketActor;
  private readonly transport: Transport;
  private readonly clock: Clock;
  private readonly inspect: SupervisorOptions['inspect'];
  private readonly defaults: LinkOptions;
  private readonly seed: number | undefined;
  private counter = 0;
  /** Links booked by connect() and not started yet (src/runtime/start-queue.ts). */
  private readonly starts = new StartQueue<LinkBooking>((bookings) => this.startQueuedLinks(bookings));
  private readonly effects: (() => void)[] = [];
  private effectsScheduled = false;
  /** The connection chart with the runtime's implementations, shared by every link. */
  private readonly linkMachine = provideRuntime((linkId) => this.links.get(linkId)?.wire);
  private closing: Promise<void> | null = null;
  private readonly socketDone: Promise<void>;
  /** Observers added with observe(): they see every link created meanwhile. */
  private readonly observers = new Set<Observer<InspectionEvent>>();
  /** The shards the links join (./link-shards.ts); made in the constructor (needs the clock). */
  private readonly shards: LinkShards;

  constructor(options: SupervisorOptions = {}) {
    this.defaults = checkSupervisorOptions(options);
    const { transport, clock, inspect, seed, lingerMs, degradedShare, networkSignals } = options;
    this.networkSignals = networkSignals !== false;
    this.transport = transport ?? wsTransport;
    this.clock = clock ?? systemClock;
    this.shards = new LinkShards(this.clock, () => this.linkInspect());
    // Reported after the step it broke (a listener may act on the supervisor).
    this.inspect = safeInspect(inspect, (error) => this.defer(() => this.emitter.emit('error', error)));
    this.seed = seed;

    this.socket = createSocketActor(
      this.links,
      this.groups,
      this.emitter,
      (effect) => this.defer(effect),
      (inputs) => this.startLinks(inputs),
      { lingerMs, degradedShare, clock: this.clock, inspect: this.inspect },
    );
    this.socketDone = new Promise((resolve) => {
      this.socket.subscribe({ complete: () => resolve(), error: () => resolve() });
    });
    this.socket.start();
    // The platform's network events (a browser page), unless the application raises signals itself.
    if (this.networkSignals && this.transport.watchNetwork) {
      try {
        this.unwatchNetwork = this.transport.watchNetwork((kind) => {
          if (!this.closing) this.signal(kind);
        });
      } catch (error) {
        this.defer(() =>
          this.emitter.emit(
            'error',
            new LinkvisorError('LV_ERR_LISTENER', 'transport.watchNetwork() threw', { cause: error }),
          ),
        );
      }
    }
  }

  /** Unwires the platform's network events (close, terminate). */
  private unwatchNetwork: () => void = () => {};

  /**
   * Creates a link and starts connecting. `url` may be a function (sync or async) called on
   * every attempt, e.g. to put a fresh token in it. Throws at once on bad input.
   */
  connect(url: UrlInput, options?: LinkOptions): Link {
    this.assertOpen('connect');
    // No options: nothing to check (a loop of connect(url) is the common large case).
    const own = options === undefined ? NO_OPTIONS : checkLinkOptions(options);
    let linkId = `link:${own.id ?? this.counter + 1}`;
    if (own.id === undefined) {
      // Automatic ids skip the ones taken by explicit ids (`{ id: '2' }` is link:2 too).
      for (let n = this.counter + 1; this.links.has(linkId); n++) {
        this.counter = n;
        linkId = `link:${n + 1}`;
      }
    } else if (this.links.has(linkId) || this.groups.has(own.id)) {
      throw new LinkvisorError('LV_ERR_DUPLICATE_ID', `connect(): a link with id '${own.id}' exists`, {
        option: 'id',
      });
    }
    return this.addLink(linkId, url, own);
  }

  /**
   * Several endpoints of one logical service: one link each (`link:<id>/0`, `link:<id>/1`…),
   * with first-up / last-down across them (`group.on('up' | 'down')`, `group.ready()`). `strategy`
   * (after OTP) says what happens when a ready member is lost: `one-for-one` (default) only it
   * reconnects; `one-for-all` every other member restarts too and the group is up only while all
   * are ready; `rest-for-one` the members after it (in the order given) restart with it.
   */
  connectGroup(urls: readonly UrlInput[], options: GroupOptions): LinkGroup {
    this.assertOpen('connectGroup');
    const { strategy, own, id } = checkGroupOptions(urls, options);
    const taken = (i: number) => this.links.has(`link:${id}/${i}`);
    if (this.groups.has(id) || this.links.has(`link:${id}`) || urls.some((_, i) => taken(i))) {
      throw new LinkvisorError('LV_ERR_DUPLICATE_ID', `connectGroup(): id '${id}' exists`, { option: 'id' });
    }
    // Validate every URL before creating any link: all or nothing.
    for (const [i, url] of urls.entries()) {
      buildLinkParts(`link:${id}/${i}`, url, mergeLinkOptions(this.defaults, own), {
        transport: this.transport,
        clock: this.clock,
        seed: 0,
        ...LINK_FEATURES,
      });
    }
    const group = new LinkGroup(id, strategy, () => this.groups.delete(id));
    this.groups.set(id, group);
    this.tell({ type: 'group.add', group: id, strategy, size: urls.length });
    for (const [i, url] of urls.entries()) {
      group.add(this.addLink(`link:${id}/${i}`, url, { ...own, id: `${id}/${i}` }));
    }
    return group;
  }

  /** Starts a health watcher for a service without a socket (see docs/supervisor.md, "Health watchers"). */
  watch(options: WatcherOptions): Watcher {
    this.assertOpen('watch');
    const name = (options as { name?: unknown } | undefined)?.name;
    if (typeof name === 'string' && this.watchers.has(name)) {
      throw new LinkvisorError('LV_ERR_DUPLICATE_ID', `watch(): a watcher named '${name}' exists`, {
        option: 'name',
      });
    }
    const watcher = createWatcher(options, {
      clock: this.clock,
      inspect: this.inspect,
      onEnd: (ended) => {
        if (this.watchers.get(ended.name) === ended) this.watchers.delete(ended.name);
      },
    });
    this.watchers.set(watcher.name, watcher);
    return watcher;
  }

  /** The live link with this id (`link:<id>` or `<id>`). */
  get(id: string): Link | undefined {
    return this.links.get(id) ?? this.links.get(`link:${id}`);
  }

  /** Live links (ended ones are removed). */
  list(): Link[] {
    return [...this.links.values()];
  }

  /** The watcher with this name. */
  watcher(name: string): Watcher | undefined {
    return this.watchers.get(name);
  }

  /** Whether at least one link is ready. */
  get up(): boolean {
    return this.socket.getSnapshot().context.ready > 0;
  }

  /** Whether more than `degradedShare` of the live links are escalated (restart intensity). */
  get degraded(): boolean {
    return this.socket.getSnapshot().context.degraded;
  }

  /** `up` (first link ready), `down` (last ready link lost), `degraded` / `recovered` (restart
   * intensity: the share of escalated links crossed `degradedShare`), `link` (a link was created), `error`. */
  on<K extends keyof SupervisorEvents & string>(event: K, listener: (payload: SupervisorEvents[K]) => void) {
    return this.emitter.on(event, listener);
  }

  /** Resolves when at least one link is ready (at once if one is); rejects once closed. */
  whenUp(): Promise<void> {
    if (this.up) return Promise.resolve();
    if (this.closing) return Promise.reject(this.closedError('whenUp'));
    return new Promise((resolve, reject) => {
      const offUp = this.on('up', () => {
        offUp();
        resolve();
      });
      void this.socketDone.then(() => {
        offUp();
        reject(this.closedError('whenUp'));
      });
    });
  }

  /** Stops (or allows again) reconnecting for every link, e.g. while the application is offline.
   * Ready links stay up; links that go down wait in `suspended` until enabled again. */
  setReconnect(enabled: boolean): void {
    if (typeof enabled !== 'boolean') throw optionError('enabled', 'must be a boolean');
    this.tell({ type: enabled ? 'reconnect.enable' : 'reconnect.disable' });
  }

  /**
   * Tells every link what the network did (the browser build wires `online`/`offline`, page
   * visibility and freeze/resume to it; Node wires nothing; a heartbeat that sees time jump raises
   * `wake`):
   * - `offline`: no attempts (links that go down wait in `suspended`); ready links are checked now.
   * - `online`, `wake`: links waiting for a retry attempt within a short jittered delay
   *   (`rejoinDelay`, 0–1 s), skipping the rest of their backoff; ready links are checked now.
   *   (Not while `setReconnect(false)` is in force; a cool-down is not cut short.)
   */
  signal(kind: NetworkSignal): void {
    if (kind !== 'offline' && kind !== 'online' && kind !== 'wake') {
      throw optionError('signal', `must be 'offline', 'online' or 'wake', got ${describe(kind)}`);
    }
    if (kind === 'wake') this.lastWakeAt = this.clock.now();
    this.tell({ type: `network.${kind}` });
  }

  /** Whether the last network signal said the network is up (true until an `offline`). */
  get online(): boolean {
    return this.socket.getSnapshot().context.online;
  }

  private lastWakeAt = Number.NEGATIVE_INFINITY;
  /** Raise signals by itself (option `networkSignals`). */
  readonly networkSignals: boolean;

  /** A link's heartbeat saw time jump (sleep): one `wake` for all links, not one per link (the
   * links tell it through their host). */
  private readonly timeJumped = (): void => {
    if (this.clock.now() - this.lastWakeAt < WAKE_COALESCE_MS) return;
    this.defer(() => this.signal('wake'));
  };

  /** What every link of this supervisor reports to and asks of it: one object, not closures per link. */
  private readonly linkHost: LinkHost = {
    // A link's actor is a child of its shard: it stops itself in its final state (or failing).
    ownsActor: false,
    linkEnded: (ended, lastState) => this.onLinkEnd(ended, lastState),
    // link.close() removes the peer through the socket chart (peer.remove → closePeer).
    closeLink: (link, { code, reason }) => this.tell({ type: 'peer.remove', linkId: link.id, code, reason }),
    startLink: (link) => this.starts.startThrough(link.id),
    timeJumped: () => {
      if (this.networkSignals) this.timeJumped();
    },
  };

  status(): SupervisorStatus {
    const context = this.socket.getSnapshot().context;
    return {
      closed: this.closing !== null,
      up: context.ready > 0,
      degraded: context.degraded,
      reconnectEnabled: context.reconnectEnabled,
      online: context.online,
      links: this.list().map((link) => link.status()),
      groups: [...this.groups.values()].map(({ id, strategy, up, degraded }) => ({
        id,
        strategy,
        up,
        degraded,
      })),
      watchers: [...this.watchers.values()].map((watcher) => watcher.status()),
    };
  }

  /**
   * Closes everything: every link drains and closes (bounded by `lingerMs`, then ended), every
   * watcher stops; no new links are accepted. Resolves when nothing is left open. Idempotent.
   */
  close(): Promise<void> {
    if (!this.closing) {
      // Links still waiting for their turn start now, so that each closes through its chart.
      this.starts.startThrough();
      this.tell({ type: 'socket.close' });
      this.closing = this.settle();
    }
    return this.closing;
  }

  /** Ends everything at once: no drain, sockets terminated. Resolves when nothing is left. */
  terminate(): Promise<void> {
    this.starts.startThrough();
    this.tell({ type: 'socket.terminate' });
    if (!this.closing) this.closing = this.settle();
    return this.closing;
  }

  /**
   * Adds an XState inspection observer for the socket actor and every link actor, those there now
   * and those created later, until `unsubscribe()` (a session recorder, see `recordSession` in
   * linkvisor/trace, or a metrics bridge). The `inspect` option does the same for the whole life.
   */
  observe(observer: Observer<InspectionEvent>): { unsubscribe(): void } {
    // The links of a shard share its system: one subscription a system.
    const systems = new Set([this.socket.system, ...this.shards.systems()]);
    for (const link of this.list()) systems.add(link.actor.system);
    const subscriptions = [...systems].map((system) => system.inspect(observer));
    this.observers.add(observer);
    return {
      unsubscribe: () => {
        for (const subscription of subscriptions) subscription.unsubscribe();
        this.observers.delete(observer);
      },
    };
  }

  /** @internal What a session recorder needs of this supervisor (linkvisor/trace). */
  [RECORDING_HOST](): RecordingHost {
    return {
      clock: this.clock,
      options: { ...this.defaults, lingerMs: this.socket.getSnapshot().context.lingerMs },
      seed: this.seed,
      secretsOf: (id) => this.links.get(id)?.wire.secrets.list() ?? [],
      hooksOf: (id) => hooksOf(this.links.get(id)?.wire.config),
      actors: () => [this.socket as AnyActorRef, ...this.list().map((link) => link.actor as AnyActorRef)],
    };
  }

  /** The inspection observer a new link gets: the user's, plus any added with observe(). */
  private linkInspect(): SupervisorOptions['inspect'] {
    if (this.observers.size === 0) return this.inspect;
    return combineInspectors(this.inspect, ...this.observers);
  }

  private async settle(): Promise<void> {
    try {
      this.unwatchNetwork();
    } catch {
      // A custom transport's unwiring: nothing of ours is left to release.
    }
    const watchers = [...this.watchers.values()].map((watcher) => watcher.stop());
    await this.socketDone;
    await Promise.all([...this.list().map((link) => link.ended()), ...watchers]);
    // Shards with room left take no more links: every link has ended, they are over.
    this.shards.stopAll();
    this.socket.stop();
  }

  private addLink(linkId: string, url: UrlInput, own: LinkOptions): Link {
    const template = this.templateFor(linkId, url, own);
    const n = ++this.counter;
    const seed = own.seed ?? (this.seed === undefined ? randomSeed() : this.seed + n);
    // O(1) here: the link is booked (its template and seed); its wire, chart input and actor are
    // made later, in call order, in slices that never hold the event loop long (a loop of 10,000
    // connect() calls returns at once). send(), on() and status() before then make the wire.
    const booking = new LinkBooking(linkId, template, seed);
    const link = new Link(null, booking, this.linkHost);
    this.links.set(linkId, link);
    this.starts.push(booking);
    // Before it starts: a listener attached here sees the link's whole life (it may also close it
    // at once; connect() still returns it).
    this.emitter.emit('link', link);
    return link;
  }

  /** The URL and options checked and resolved; a loop of connect(url) with only the
   * supervisor's defaults (an id or a seed aside) checks them once. */
  private templateFor(linkId: string, url: UrlInput, own: LinkOptions): LinkTemplate {
    const reusable =
      typeof url === 'string' &&
      (own === NO_OPTIONS || Object.keys(own).every((key) => key === 'id' || key === 'seed'));
    const last = this.lastTemplate;
    if (reusable && last?.url === url) return last.template;
    const env = { transport: this.transport, clock: this.clock, ...LINK_FEATURES };
    const template = linkTemplate(url, mergeLinkOptions(this.defaults, own), env, linkId);
    if (reusable) this.lastTemplate = { url: url as string, template };
    return template;
  }

  private lastTemplate: { url: string; template: LinkTemplate } | null = null;

  /** A slice of booked links joins the socket chart in one `peer.add` (one step of the socket's
   * however many links), which starts them in order. */
  private startQueuedLinks(bookings: readonly LinkBooking[]): void {
    const inputs: ConnectionInput[] = [];
    // Not the links closed, or of a supervisor closed, before their turn.
    for (const booking of bookings)
      if (this.links.get(booking.linkId)?.attached === false)
        inputs.push(booking.input(this.socket as AnyActorRef));
    if (inputs.length === 0) return;
    this.tell({ type: 'peer.add', inputs });
    // Called while the socket is mid-step (from a link's listener, say), peer.add is only queued:
    // start the links now; the socket's spawnPeers, when it comes, finds them started.
    const late = inputs.filter((input) => this.links.get(input.linkId)?.attached === false);
    const context = late.length > 0 ? this.socket.getSnapshot().context : null;
    if (context) this.startLinks(late.map((input) => peerInput(context, input)));
  }

  /** Sends an event to the socket actor, then runs the effects its step asked for. */
  private tell(event: SocketEvent): void {
    // The socket actor stops once everything has ended: later calls (terminate() after close(),
    // setReconnect()) have nothing left to act on.
    if (this.socket.getSnapshot().status !== 'active') return;
    this.socket.send(event);
    this.runEffects();
  }

  /** Queues an effect of the socket chart; runs after the current step (at the latest, on a
   * microtask: steps caused by link reports or the linger timer have no caller to flush). */
  private defer(effect: () => void): void {
    this.effects.push(effect);
    if (!this.effectsScheduled) {
      this.effectsScheduled = true;
      queueMicrotask(() => this.runEffects());
    }
  }

  private runEffects(): void {
    this.effectsScheduled = false;
    while (this.effects.length > 0) {
      const effects = this.effects.splice(0);
      for (const effect of effects) effect();
    }
  }

  /** The socket chart's `spawnPeers` effect: each link's actor (a child of the current shard, see
   * machines/shard.machine.ts), attached to its facade, then all started in order (a listener of
   * one may read a later one's actor: it is there, and starts with its turn; events sent to it
   * meanwhile wait for it). */
  private startLinks(inputs: readonly ConnectionInput[]): void {
    const actors: AnyActorRef[] = [];
    for (const input of inputs) {
      const link = this.links.get(input.linkId);
      if (!link || link.attached) continue;
      const actor = createActor(this.linkMachine, {
        id: input.linkId,
        input: sharedShapeInput(input),
        parent: this.shards.next(),
      });
      // A shard's child ends only in its final state or failing (nothing stops it from outside).
      link.attach(actor, true, new FinalStateLinkObserver(link));
      actors.push(actor);
    }
    this.shards.counted();
    for (const actor of actors) actor.start();
  }

  private onLinkEnd(ended: Link, lastState: string): void {
    if (this.links.get(ended.id) === ended) this.links.delete(ended.id);
    // A link actor that errored (a bug, not a lifecycle) reported nothing: keep the socket's
    // counts true so that close() still completes.
    if (ended.attached && ended.actor.getSnapshot().status === 'error') {
      if (lastState === 'ready') this.tell({ type: 'link.unready', linkId: ended.id });
      if (ended.actor.getSnapshot().context.intensity?.sick)
        this.tell({ type: 'link.healed', linkId: ended.id });
      this.tell({ type: 'link.closed', linkId: ended.id, reason: null });
    }
  }

  private assertOpen(what: string): void {
    if (this.closing) throw this.closedError(what);
  }

  private closedError(what: string): LinkvisorError {
    return new LinkvisorError('LV_ERR_SUPERVISOR_CLOSED', `${what}(): the supervisor is closed`);
  }
}

/**
 * Creates a supervisor; `options` are defaults for every link it connects. Close it with `await
 * supervisor.close()`.
 */
export function createSupervisor(options: SupervisorOptions = {}): Supervisor {
  return new Supervisor(options);
}
