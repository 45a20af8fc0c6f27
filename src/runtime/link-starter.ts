/**
 * How a supervisor's links get going, from `connect()` to a running actor. `connect()` books a link
 * (its template, checked once for a whole loop of `connect(url)`, and its seed); the booked links
 * start in call order in slices (./start-queue.ts), each slice joining the socket chart in one
 * `peer.add`; the chart's `spawnPeers` then makes each link's actor on the connection chart with
 * the runtime's implementations (./provide-runtime.ts), a child of a shard (./link-shards.ts), and
 * starts them in order. The supervisor (./supervisor.ts) owns the links and the socket actor; this
 * owns the queue, the chart the links run and the shards they join.
 */
import { type AnyActorRef, createActor } from 'xstate';
import type { ConnectionInput } from '../../machines/connection.machine.js';
import { groupOf, peerInput, type SocketEvent } from '../../machines/socket.machine.js';
import { type StartLeaf, startedChart, startLeafOf } from '../../machines/started-chart.js';
import { stepMachine } from '../stepper/stepped-machine.js';
import type { Transport } from '../transports/transport.js';
import type { Clock } from '../util/clock.js';
// Node only: the browser bundles' is ./lean-actor.browser.ts (scripts/browser-bundles.mjs).
import { leanActor } from './lean-actor.js';
import type { Link } from './link.js';
import { LINK_FEATURES } from './link-features.js';
import { FinalStateLinkObserver } from './link-observer.js';
import { buildLinkParts, type LinkBooking, sharedShapeInput } from './link-parts.js';
import { SupervisorShards } from './link-shards.js';
import { type LinkTemplate, linkTemplate, type UrlInput } from './link-template.js';
import { type LinkOptions, mergeLinkOptions } from './options.js';
import { provideRuntime, type RuntimeMachine } from './provide-runtime.js';
import { StartQueue } from './start-queue.js';
import type { SocketActor } from './supervisor-socket.js';
import type { SupervisorOptions } from './supervisor-types.js';

/** connect() without options. */
export const NO_OPTIONS: LinkOptions = Object.freeze({});

/** Each supervisor's live links, by its socket actor: the `parent` input of every link it starts
 * (link ids repeat across supervisors; a supervisor gone, its entry goes with it). */
const linksBySocket = new WeakMap<AnyActorRef, ReadonlyMap<string, Link>>();

/** The connection chart with the runtime's implementations, made once in the process (on the first
 * supervisor) and shared by every supervisor's links: a provided chart is a copy of the chart's
 * whole state-node tree (~100 KB and ~1.5 ms of CPU, BENCHMARKS.md round 20), so not one a
 * supervisor. A link's wire is found through its parent, the socket actor of its supervisor. It and
 * its started charts step through the stepper (../stepper/stepped-machine.ts, round 43). */
let supervisedMachine: RuntimeMachine | null = null;
/** The supervised chart's started charts (machines/started-chart.ts), made once each, by leaf. */
const supervisedStarts: Partial<Record<StartLeaf, RuntimeMachine>> = {};
/** The chart a link runs, by its policy (the shared frozen object, ../../machines/connection-context.ts):
 * the chart's start depends on the policy alone (idle has no entry action and its guards read only
 * the policy: test/machines/started-chart.test.ts pins it), so it is worked out once a policy (a
 * whole XState start, machines/started-chart.ts `startLeafOf`); the entry goes with the policy. */
const machineByPolicy = new WeakMap<object, RuntimeMachine>();

/** The chart a link with `input` runs: an autoConnect link's starts in the attempt leaf `idle`'s
 * `always` would take it to (machines/started-chart.ts: no microstep, no snapshot in idle). */
function linkMachine(input: ConnectionInput): RuntimeMachine {
  supervisedMachine ??= stepMachine(
    provideRuntime((linkId, parent) =>
      parent === undefined ? undefined : linksBySocket.get(parent)?.get(linkId)?.wire,
    ),
  );
  // A shared-shape input (./link-parts.ts) has its policy resolved.
  const policy = input.policy as object;
  let machine = machineByPolicy.get(policy);
  if (!machine) {
    const leaf = startLeafOf(supervisedMachine, input);
    if (leaf) supervisedStarts[leaf] ??= stepMachine(startedChart(supervisedMachine, leaf));
    machine = leaf ? (supervisedStarts[leaf] as RuntimeMachine) : supervisedMachine;
    machineByPolicy.set(policy, machine);
  }
  return machine;
}

/**
 * Books and starts a supervisor's links: the template of each, the start queue, the `peer.add` of
 * each slice and the link actors, children of shards.
 */
export class LinkStarter {
  /** Links booked by connect() and not started yet (./start-queue.ts): `push` books one,
   * `startThrough` starts them now. */
  readonly starts = new StartQueue<LinkBooking>(
    (bookings) => this.startQueuedLinks(bookings),
    // Links started and not ready: a booking waits for the next turn while many are.
    () => {
      const { peers, ready } = this.socket.getSnapshot().context;
      return peers - ready;
    },
  );
  /** The shards the links join (./link-shards.ts). */
  readonly shards: SupervisorShards;
  /** The supervisor's groups by id (./supervisor-links.ts fills them and hands them over). */
  private groups: ReadonlyMap<string, unknown> = new Map();
  private lastTemplate: { url: string; template: LinkTemplate } | null = null;

  constructor(
    /** The supervisor's live links by id (its own map: this class only reads it). */
    private readonly links: ReadonlyMap<string, Link>,
    /** The socket actor the links join and report to. */
    private readonly socket: SocketActor,
    /** Sends an event to the socket actor, then runs the effects its step asked for. */
    private readonly tell: (event: SocketEvent) => void,
    /** The inspection observer a new shard's system gets (read when the shard opens). */
    linkInspect: () => SupervisorOptions['inspect'],
    private readonly transport: Transport,
    private readonly clock: Clock,
    /** The supervisor's defaults for every link (checked). */
    private readonly defaults: LinkOptions,
    /** Scrubs every secret of the supervisor's links (./supervisor-secrets.ts): a link's error
     * whose text is the application's is scrubbed of them too (LinkWire.redactUser). */
    private readonly scrub: (text: string) => string,
  ) {
    this.shards = new SupervisorShards(clock, linkInspect);
    linksBySocket.set(socket, links);
  }

  /** The supervisor's groups, updated at connectGroup() and when a group ends, before the socket
   * chart hears it (`group.add` / `group.remove` may be queued behind its current step). */
  useGroups(groups: ReadonlyMap<string, unknown>): void {
    this.groups = groups;
  }

  /** Whether `linkId` is a member of a group of the supervisor (a single link's id never names a
   * live group: ./link-ids.ts). */
  private isMember(linkId: string): boolean {
    const group = groupOf(linkId);
    return group !== null && this.groups.has(group);
  }

  /** The URL and options checked and resolved; a loop of connect(url) with only the
   * supervisor's defaults (an id or a seed aside) checks them once. */
  templateFor(linkId: string, url: UrlInput, own: LinkOptions): LinkTemplate {
    const reusable =
      typeof url === 'string' &&
      (own === NO_OPTIONS || Object.keys(own).every((key) => key === 'id' || key === 'seed'));
    const last = this.lastTemplate;
    if (reusable && last?.url === url) return last.template;
    const env = { transport: this.transport, clock: this.clock, ...LINK_FEATURES };
    const template = linkTemplate(url, mergeLinkOptions(this.defaults, own), env, linkId);
    // Set here, not by linkTemplate: the drop-in's bundle carries no byte of it.
    template.wire.scrub = this.scrub;
    if (reusable) this.lastTemplate = { url: url as string, template };
    return template;
  }

  /** Checks every URL of a group (ids `link:<id>/<n>`) with the group's options; throws at the
   * first bad one, before any link is made. */
  checkGroup(id: string, urls: readonly UrlInput[], own: LinkOptions): void {
    for (const [i, url] of urls.entries()) {
      buildLinkParts(`link:${id}/${i}`, url, mergeLinkOptions(this.defaults, own), {
        transport: this.transport,
        clock: this.clock,
        seed: 0,
        ...LINK_FEATURES,
      });
    }
  }

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
    // Called while the socket is mid-step (from the supervisor's inspect observer, say), peer.add is only queued:
    // start the links now; the socket's spawnPeers, when it comes, finds them started.
    const late = inputs.filter((input) => this.links.get(input.linkId)?.attached === false);
    // The chart may not have taken a group.add queued too (connectGroup() in that same step): a
    // link is a member when the supervisor has its group (test/groups/group-connected-mid-step.test.ts).
    const context = late.length > 0 ? this.socket.getSnapshot().context : null;
    if (context) this.startLinks(late.map((input) => peerInput(context, input, this.isMember(input.linkId))));
  }

  /** The socket chart's `spawnPeers` effect: each link's actor (a child of the current shard, see
   * machines/shard.machine.ts), attached to its facade, then all started in order (a listener of
   * one may read a later one's actor: it is there, and starts with its turn; events sent to it
   * meanwhile wait for it). */
  startLinks(inputs: readonly ConnectionInput[]): void {
    const actors: AnyActorRef[] = [];
    for (const input of inputs) {
      const link = this.links.get(input.linkId);
      if (!link || link.attached) continue;
      const shared = sharedShapeInput(input);
      const actor = createActor(linkMachine(shared), {
        id: input.linkId,
        input: shared,
        parent: this.shards.next(),
      });
      // A shard's child ends only in its final state or failing (nothing stops it from outside):
      // no `complete`. Observed straight from XState's set where the actor is as expected.
      const direct = leanActor(actor, link);
      link.attach(actor, true, direct ? null : new FinalStateLinkObserver(link));
      actors.push(actor);
    }
    this.shards.counted();
    for (const actor of actors) actor.start();
  }
}
