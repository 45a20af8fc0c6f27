/**
 * Links without a supervisor (the drop-in ReconnectingWebSocket starts one per generation): the
 * connection chart provided with the runtime once in the process and shared by every link started
 * here (a provided machine is a copy of the chart's whole state-node tree, ~80 KB: one per drop-in
 * made each ReconnectingWebSocket weigh ~100 KB; BENCHMARKS.md round 17 (drop-in heap)), each link
 * on the given transport with a wire of its own, found by its id (ids are unique in the process:
 * the caller's to keep so) and forgotten when it ends.
 *
 * Where its actor runs: a link without an inspection observer joins the process's standalone
 * shards (./link-shards.ts, machines/shard.machine.ts), as a supervisor's links do: a child of a
 * shard actor, sharing that shard's XState system (its scheduler, maps and closures, ~1.5 KB that
 * a root actor pays for a system of its own: machines/socket.machine.ts's header, BENCHMARKS.md
 * round 18 (drop-in heap)) with up to LINKS_PER_SHARD others; the first shard is made on first
 * use, and a full shard whose links have all ended is over (its system released). Such a link ends in its chart's final state (its timers go with it)
 * or by failing, which its shard counts; an error in one link's step fails that link alone. A link
 * with an inspection observer (the drop-in's `inspect` option) is the root actor of a system of
 * its own, so its observer sees that link only (XState gives a system one set of observers).
 *
 * Made, the starter checks the URL and the options against the transport at once, not at the first
 * attempt; a static URL's template (./link-template.ts) is made then and shared by every link of
 * the starter. No link feature (resume, application handshake, headers) is reached from here, so a
 * bundle of the drop-in leaves them out (./link-features.ts); the hold on reading (`Link.pause`) only
 * when the maker passes it (the Node drop-in: src/entries/ws.ts).
 */
import { createActor } from 'xstate';
import { connectionChart, type connectionMachine } from '../../machines/connection.machine.js';
import type { IntensityOptions } from '../../machines/policy/intensity.js';
import type { Transport } from '../transports/transport.js';
import { systemClock } from '../util/clock.js';
import { type InspectOption, safeInspect } from '../util/safe-inspect.js';
import { Link } from './link.js';
import type { LinkHost } from './link-host.js';
import { FinalStateLinkObserver } from './link-observer.js';
import { linkParts, randomSeed, sharedShapeInput } from './link-parts.js';
import { LinkShards } from './link-shards.js';
import { type LinkTemplate, linkTemplate, type UrlInput } from './link-template.js';
import { LinkWire } from './link-wire.js';
import type { LinkOptions } from './options.js';
import type { HoldFactory } from './wire-config.js';

export type { HoldFactory };

import { stepMachine } from '../stepper/stepped-machine.js';
import { provideRuntimeTo } from './provide-runtime.js';

/**
 * The options of a standalone link: a link's, without the link features only the supervisor and
 * defineLink offer (resume, handshake, headers, wsOptions: ./link-features.ts), which no link made
 * here can run (the drop-in's options refuse them as unknown keys), and without an intensity that
 * fails (`then: 'fail'`): `connectionChart` has no such branch, its links cool down.
 */
export type StandaloneLinkOptions = Omit<
  LinkOptions,
  'resume' | 'handshake' | 'headers' | 'wsOptions' | 'intensity'
> & {
  /** As a link's `intensity`, but an escalation always cools down (`then: 'cool-down'`). */
  intensity?: (Partial<IntensityOptions> & { then?: 'cool-down' }) | false;
};

/** The wires of the links started here and not yet ended, by link id. */
const wires = new Map<string, LinkWire>();
const linkEnded = (link: Link) => wires.delete(link.id);
/** What a link that is the root actor of its own system reports its end to (it stops its actor). */
const rootHost: LinkHost = { ownsActor: true, linkEnded };
/** What a shard's link reports its end to (its actor ends itself, in its final state). */
const shardHost: LinkHost = { ownsActor: false, linkEnded };
/** The connection chart provided with the runtime, shared by every link started here (made on
 * the first use): the chart without its features (`connectionChart`: no handshake, resume, group
 * restart, network rejoin or failing intensity), which no link made here can reach
 * (machines/connection-feature-states.ts, connection-features.ts); its
 * actors step through the stepper (../stepper/stepped-machine.ts, BENCHMARKS.md round 43). */
let machine: ReturnType<typeof provideRuntimeTo<typeof connectionMachine>> | null = null;
/** The shards the links without an inspection observer join (made on the first such link). */
let shards: LinkShards | null = null;
/** No inspection observer for a standalone shard's system. */
const noInspect = () => undefined;

/**
 * The starter of links on one URL, options (already checked) and transport: one object per
 * drop-in, no closures. Made, it throws at once for a URL or options the transport refuses.
 * `inspect`: the XState inspection observer of each link (its own system's), whose errors are
 * reported as the link's `error` event, after the step they broke (../util/safe-inspect.ts).
 */
export class StandaloneLinks {
  /** A static URL's template, shared by every link of the starter; null while none is kept (a
   * per-attempt URL's names its link, its label: made per link). */
  private template: LinkTemplate | null;

  /** `keep`: whether the template checked now is kept for the links to come (false: made again for
   * the first, as a drop-in made with startClosed may never start one). `hold`: the links' hold on
   * reading (`Link.pause`), absent where no socket can pause (a browser's WebSocket). */
  constructor(
    private readonly url: UrlInput,
    private readonly options: StandaloneLinkOptions,
    private readonly transport: Transport,
    private readonly inspect: InspectOption | undefined,
    keep: boolean,
    private readonly hold: HoldFactory | undefined,
  ) {
    const checked = this.templateFor('link:check');
    this.template = keep && typeof url !== 'function' ? checked : null;
  }

  /** A link's template, checked (see `template`). */
  private templateFor(linkId: string): LinkTemplate {
    const env = { transport: this.transport, clock: systemClock, hold: this.hold };
    return linkTemplate(this.url, this.options, env, linkId);
  }

  /** Starts one link, with its own jitter seed. */
  start(linkId: string): Link {
    // Typed as the full chart (what `link.actor` is): the drop-in's states are a subset of its.
    machine ??= stepMachine(
      provideRuntimeTo(connectionChart, (id) => wires.get(id)) as unknown as typeof connectionMachine,
    );
    let template = this.template;
    if (template === null) {
      template = this.templateFor(linkId);
      if (typeof this.url !== 'function') this.template = template;
    }
    const parts = linkParts(template, linkId, {
      transport: this.transport,
      clock: systemClock,
      seed: randomSeed(),
    });
    const wire = new LinkWire(parts.wire);
    wires.set(linkId, wire);
    const inspect = safeInspect(this.inspect, (error) => queueMicrotask(() => wire.reportError(error)));
    const input = sharedShapeInput(parts.input);
    if (inspect) {
      const actor = createActor(machine, { id: linkId, input, clock: systemClock, inspect });
      const link = new Link(actor, wire, rootHost);
      actor.start();
      return link;
    }
    shards ??= new LinkShards(systemClock, noInspect);
    const actor = createActor(machine, { id: linkId, input, parent: shards.next() });
    const link = new Link(null, wire, shardHost);
    // A shard's child ends only in its final state or failing (nothing stops it from outside).
    link.attach(actor, false, new FinalStateLinkObserver(link));
    shards.counted();
    actor.start();
    return link;
  }
}
