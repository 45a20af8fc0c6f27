/**
 * The supervisor: runs the socket chart (machines/socket.machine.ts) and supplies its effects
 * (./supervisor-socket.ts), run after the socket's step (./after-step.ts): each link's actor is
 * created with a shard as its XState parent (machines/shard.machine.ts; see the socket chart's header
 * for why not a child of the socket), sharing the shard's system, the supervisor's clock and
 * inspector, and reporting to the socket actor. It creates links and groups of links
 * (./supervisor-links.ts; their ids: ./link-ids.ts; booked, then started in slices, each link's
 * template and actor: ./link-starter.ts), reports first-up / last-down, toggles reconnecting for all
 * links, raises network signals (./network-signals.ts), holds health watchers (./start-watcher.ts),
 * adds inspection observers (./supervisor-inspection.ts), reports status (./supervisor-status.ts),
 * hears its links' ends (./supervisor-link-host.ts), and closes everything with a drain. The charts are provided with the runtime's implementations once in the
 * process (on first use), not once per supervisor nor per link: their implementations find the
 * supervisor through the actor they run in (./supervisor-socket.ts, ./link-starter.ts; a supervisor's
 * start ~0.2 ms and ~10 KB, BENCHMARKS.md round 20 (start-up)).
 */
// First, out of order: esbuild emits modules in import order; this puts the socket chart before the
// connection chart, as before the split (linkvisor/react −279 B gzip; BENCHMARKS.md round 15 (bytes)).
import { LinkStarter } from './link-starter.js';

// The rest, sorted (a detached comment starts biome's next group of imports).

import type { SocketEvent } from '../../machines/socket.machine.js';
import { wsTransport } from '../transports/ws-transport.js';
import { type Clock, systemClock } from '../util/clock.js';
import { Emitter, type Listener, reportListenerError } from '../util/emitter.js';
import { LinkvisorError, optionError } from '../util/errors.js';
import { checkString } from '../util/option-checks.js';
import { safeInspect } from '../util/safe-inspect.js';
import { AfterStep } from './after-step.js';
import type { InspectObserver } from './combine-inspectors.js';
import type { Link } from './link.js';
import type { LinkGroup } from './link-group.js';
import type { LinkHost } from './link-host.js';
import type { UrlInput } from './link-template.js';
import { checkNetworkSignal, NetworkSignals } from './network-signals.js';
import type { LinkOptions } from './options.js';
import { RECORDING_HOST, type RecordingHost, supervisorRecordingHost } from './recording-host.js';
import { startWatcher } from './start-watcher.js';
import { linkInspector, type ObserverSlot, observeSystems } from './supervisor-inspection.js';
import { supervisorLinkHost } from './supervisor-link-host.js';
import { SupervisorLinks } from './supervisor-links.js';
import { checkSupervisorOptions } from './supervisor-options.js';
import { SupervisorSecrets } from './supervisor-secrets.js';
import { createSocketActor, type SocketActor } from './supervisor-socket.js';
import { supervisorStatus } from './supervisor-status.js';
import {
  type GroupOptions,
  type NetworkSignal,
  SUPERVISOR_EVENTS,
  type SupervisorEvents,
  type SupervisorOptions,
  type SupervisorStatus,
} from './supervisor-types.js';
import { UpWaiters } from './supervisor-up.js';
import type { Watcher, WatcherOptions } from './watcher.js';

/**
 * Holds many links and health watchers and tells about them as a whole: first up / last down,
 * groups, the reconnect switch, status, and a close that drains every link (docs/supervisor.md).
 */
export class Supervisor {
  /** Live links by id (a link's wire is `link.wire`: one map entry a link, not two). */
  private readonly links = new Map<string, Link>();
  /** Live health watchers by name (./start-watcher.ts). */
  private readonly watchers = new Map<string, Watcher>();
  private readonly groups = new Map<string, LinkGroup>();
  /** Its links' secrets, which its own `error` events are scrubbed of (./supervisor-secrets.ts). */
  private readonly secrets = new SupervisorSecrets(this.links);
  private readonly emitter: Emitter<SupervisorEvents> = new Emitter(
    SUPERVISOR_EVENTS,
    (error, event) => reportListenerError(this.emitter, error, event),
    this.secrets.redact,
  );
  private readonly socket: SocketActor;
  private readonly clock: Clock;
  private readonly inspect: SupervisorOptions['inspect'];
  private readonly defaults: LinkOptions;
  private readonly seed: number | undefined;
  /** The socket chart's effects, run after its step (./after-step.ts). */
  private readonly afterStep = new AfterStep();
  /** Books and starts the links (./link-starter.ts); made in the constructor (needs the socket). */
  private readonly starter: LinkStarter;
  /** Makes the links of connect() and connectGroup() (./supervisor-links.ts). */
  private readonly making: SupervisorLinks;
  private closing: Promise<void> | null = null;
  private readonly socketDone: Promise<void>;
  /** Observers added with observe(): they see every link created meanwhile. */
  private readonly observers = new Set<ObserverSlot>();
  /** The whenUp() calls waiting (./supervisor-up.ts). */
  private readonly upWaiters = new UpWaiters(
    (listener) => this.on('up', () => this.closing || listener()), // told after close(): none resolves
    () => this.closedError('whenUp'),
  );
  /** The signals raised by the supervisor itself (./network-signals.ts). */
  private readonly network: NetworkSignals;

  constructor(options: SupervisorOptions = {}) {
    this.defaults = checkSupervisorOptions(options, wsTransport);
    const { transport, clock, inspect, seed, lingerMs, degradedShare, networkSignals } = options;
    this.networkSignals = networkSignals !== false;
    const linkTransport = transport ?? wsTransport;
    this.clock = clock ?? systemClock;
    this.network = new NetworkSignals(this.clock, (effect) => this.defer(effect));
    // Reported after the step it broke (a listener may act on the supervisor).
    this.inspect = safeInspect(inspect, (error) => this.defer(() => this.emitter.emit('error', error)));
    this.seed = seed;

    this.socket = createSocketActor(
      this.links,
      this.groups,
      this.emitter,
      (effect) => this.defer(effect),
      (inputs) => this.starter.startLinks(inputs),
      { lingerMs, degradedShare, clock: this.clock, inspect: this.inspect, end: () => this.terminate() },
    );
    this.starter = new LinkStarter(
      this.links,
      this.socket,
      (event) => this.tell(event),
      // The inspection observer a new link gets: the user's, plus any added with observe().
      () => linkInspector(this.inspect, this.observers),
      linkTransport,
      this.clock,
      this.defaults,
      this.secrets.redact,
    );
    this.making = new SupervisorLinks(this.links, this.groups, this.starter, this.linkHost, seed);
    this.socketDone = new Promise<void>((resolve) => {
      this.socket.subscribe({ complete: () => resolve(), error: () => resolve() });
    }).then(() => this.upWaiters.failAll());
    this.socket.start();
    // The platform's network events (a browser page), unless the application raises signals itself.
    const raise = (kind: NetworkSignal) => this.closing || this.signal(kind);
    if (this.networkSignals) this.network.watch(linkTransport, raise, (e) => this.reportError(e));
  }

  /** Creates a link and starts connecting. `url` may be a function (sync or async) called on every
   * attempt, e.g. to put a fresh token in it. Throws at once on bad input. */
  connect(url: UrlInput, options?: LinkOptions): Link {
    this.assertOpen('connect');
    const link = this.making.connect(url, options);
    // Before it starts: a listener sees the link's whole life (it may close it; connect() returns it).
    this.emitter.emit('link', link);
    return link;
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
    const group = this.making.group(
      urls,
      options,
      (event) => this.tell(event),
      () => this.closed,
      () => this.secrets.hold(),
    );
    for (const link of group.links) this.emitter.emit('link', link);
    return group;
  }

  /** Starts a health watcher for a service without a socket (see docs/supervisor.md, "Health watchers"). */
  watch(options: WatcherOptions): Watcher {
    this.assertOpen('watch');
    const watcher = startWatcher(this.watchers, options, this.clock, this.inspect, (e) =>
      this.reportError(e),
    );
    // Its first probe ran inside (before close() could see it): one that closed us stops it too.
    if (this.closing) void watcher.stop();
    return watcher;
  }

  /** The live link with id `link:<id>` or `<id>` (a finite number as its string); else LV_ERR_INVALID_OPTION. */
  get(id: string): Link | undefined {
    const key = typeof id === 'number' && Number.isFinite(id) ? String(id) : checkString(id, 'id');
    return this.links.get(key) ?? this.links.get(`link:${key}`);
  }

  /** Live links (ended ones are removed). */
  list(): Link[] {
    return [...this.links.values()];
  }

  /** The watcher with this name. A name that is no string: LV_ERR_INVALID_OPTION. */
  watcher(name: string): Watcher | undefined {
    return this.watchers.get(checkString(name, 'name'));
  }

  /** @internal Live watchers, reading no link (the inspector's poll: ../inspector/status-poll.ts). */
  liveWatchers(): Iterable<Watcher> {
    return this.watchers.values();
  }

  /** Whether close() or terminate() was called (closing, then closed), as `status().closed`; reads no link. */
  get closed(): boolean {
    return this.closing !== null;
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

  /** Removes a listener added with `on()`, as `link.off()`: one not added is a no-op, an unknown `event` throws as `on`'s. */
  off<K extends keyof SupervisorEvents & string>(event: K, listener: Listener<SupervisorEvents[K]>): void {
    this.emitter.off(event, listener);
  }

  /** Resolves when at least one link is ready (at once if one is); rejects once closed (from the first close()
   * or terminate() on, as `closed`), or when `signal` aborts: LV_ERR_ABORTED, as `link.ready({ signal })`. */
  whenUp(options: { signal?: AbortSignal | null } = {}): Promise<void> {
    return this.upWaiters.wait(options, this.closing ? 'closed' : this.up ? 'up' : null);
  }

  /** Stops (or allows again) reconnecting for every link, e.g. while the application is offline.
   * Ready links stay up; links that go down wait in `suspended` until enabled again. */
  setReconnect(enabled: boolean): void {
    if (typeof enabled !== 'boolean') throw optionError('enabled', 'must be a boolean');
    this.tell({ type: enabled ? 'reconnect.enable' : 'reconnect.disable' });
  }

  /**
   * Tells every link what the network did (the browser build wires `online`/`offline`, visibility
   * and freeze/resume to it; Node nothing; a heartbeat that sees time jump raises `wake`):
   * - `offline`: no attempts (links that go down wait in `suspended`); ready links are checked now.
   * - `online`, `wake`: links waiting for a retry attempt within a short jittered delay (`rejoinDelay`,
   *   0–1 s), skipping the rest of their backoff; ready links are checked now. (Not while
   *   `setReconnect(false)` is in force; a cool-down is not cut short.)
   */
  signal(kind: NetworkSignal): void {
    checkNetworkSignal(kind);
    if (kind === 'wake') this.network.woke();
    this.tell({ type: `network.${kind}` });
  }

  /** Whether the last network signal said the network is up (true until an `offline`). */
  get online(): boolean {
    return this.socket.getSnapshot().context.online;
  }

  /** Raise signals by itself (option `networkSignals`). */
  readonly networkSignals: boolean;

  /** What its links report to and ask of it, and whose close code wins (./supervisor-link-host.ts). */
  private readonly linkHost: LinkHost = supervisorLinkHost({
    links: this.links,
    ended: (link) => this.secrets.linkEnded(link),
    tell: (event) => this.tell(event),
    closing: () => this.closing !== null,
    startThrough: (linkId) => this.starter.starts.startThrough(linkId),
    // A link's heartbeat saw time jump (sleep): one `wake` for all links, not one per link.
    timeJumped: () => this.networkSignals && this.network.timeJumped(() => this.signal('wake')),
    clock: () => this.clock,
  });

  /** Whether it is closed, up, degraded, reconnecting and online, and the status of every live
   * link, group and watcher (./supervisor-status.ts). */
  status(): SupervisorStatus {
    const { links, groups, watchers } = this;
    return supervisorStatus(this.socket.getSnapshot().context, this.closed, links, groups, watchers);
  }

  /** Closes everything: every link drains and closes (bounded by `lingerMs`, then ended), every watcher
   * stops; no new links are accepted. Resolves when nothing is left open. Idempotent. */
  close(): Promise<void> {
    return (
      this.closing ??
      this.shut(() => {
        // Links still waiting for their turn start now, so that each closes through its chart.
        this.starter.starts.startThrough();
        // Links are told after this job (./after-step.ts's microtask): a link.close({ code }) made
        // meanwhile reaches its link first and decides its close frame (./supervisor-link-host.ts).
        this.socket.send({ type: 'socket.close' });
      })
    );
  }

  /** Ends everything at once: no drain, sockets terminated. Resolves when nothing is left. */
  terminate(): Promise<void> {
    const end = () => {
      this.starter.starts.startThrough();
      this.tell({ type: 'socket.terminate' });
    };
    if (!this.closing) return this.shut(end);
    end();
    return this.closing;
  }

  /** The first close() or terminate(): closed (and a close() made meanwhile joins it) from its very
   * start, as `begin` runs listeners (booked links start, ready ones end); then the settling. */
  private shut(begin: () => void): Promise<void> {
    let settled!: (done: Promise<void>) => void;
    const release = this.secrets.hold();
    this.closing = new Promise<void>((resolve) => {
      settled = resolve;
    });
    try {
      begin();
    } finally {
      settled(this.settle().finally(release));
    }
    return this.closing;
  }

  /** Adds an XState inspection observer for the socket actor and every link actor, those there now and
   * those created later, until `unsubscribe()` (a session recorder, see `recordSession` in
   * linkvisor/trace, or a metrics bridge). The `inspect` option does the same for the whole life.
   * An observer that is neither a function nor an object with a `next` function: LV_ERR_INVALID_OPTION. */
  observe(observer: InspectObserver): { unsubscribe(): void } {
    // The links of a shard share its system: one subscription a system. A link waiting for its
    // turn joins a shard when it starts (reading its actor would start it).
    const systems = new Set([this.socket.system, ...this.starter.shards.systems()]);
    for (const link of this.list()) if (link.attached) systems.add(link.actor.system);
    // What it throws is reported after the step it broke, as the `inspect` option's.
    return observeSystems(systems, observer, this.observers, (error) =>
      this.defer(() => this.emitter.emit('error', error)),
    );
  }

  /** @internal What a session recorder needs of this supervisor (linkvisor/trace). */
  [RECORDING_HOST](): RecordingHost {
    return supervisorRecordingHost(this.clock, this.defaults, this.seed, this.socket, this.links);
  }

  private async settle(): Promise<void> {
    this.network.stop();
    const watchers = [...this.watchers.values()].map((watcher) => watcher.stop());
    await this.socketDone;
    await Promise.all([...this.list().map((link) => link.ended()), ...watchers]);
    // Shards with room left take no more links: every link has ended, they are over.
    this.starter.shards.stopAll();
    this.socket.stop();
    this.emitter.emit('closed', undefined);
  }

  /** @internal The clock its timers go through (a health endpoint's `authorizeTimeoutMs` too). */
  timerClock(): Clock {
    return this.clock;
  }

  /** @internal Reports a failure of something attached to the supervisor (a watcher's callback,
   * linkvisor/otel's meter) on its `error` event. */
  reportError(error: LinkvisorError): void {
    this.emitter.emit('error', error);
  }

  /** Sends an event to the socket actor, then runs the effects its step asked for. */
  private tell(event: SocketEvent): void {
    // Stopped once everything has ended: later calls (terminate() after close(), setReconnect()) have nothing to act on.
    if (this.socket.getSnapshot().status !== 'active') return;
    this.socket.send(event);
    this.afterStep.run();
  }

  /** Queues an effect of the socket chart (./after-step.ts). */
  private defer(effect: () => void): void {
    this.afterStep.add(effect);
  }

  private assertOpen(what: string): void {
    if (this.closing) throw this.closedError(what);
  }

  private closedError(what: string): LinkvisorError {
    return new LinkvisorError('LV_ERR_SUPERVISOR_CLOSED', `${what}(): the supervisor is closed`);
  }
}

/** Creates a supervisor; `options` are defaults for every link it connects. Close it with `await supervisor.close()`. */
export function createSupervisor(options: SupervisorOptions = {}): Supervisor {
  return new Supervisor(options);
}
