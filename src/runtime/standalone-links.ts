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
 * shard actor, sharing that shard's XState system (scheduler, maps, closures: ~4 KB an XState
 * system, BENCHMARKS.md round 18 (drop-in heap)) with up to LINKS_PER_SHARD others; the first
 * shard is made on first use. Such a link ends in its chart's final state (its timers go with it)
 * or by failing, which its shard counts; an error in one link's step fails that link alone. A link
 * with an inspection observer (the drop-in's `inspect` option) is the root actor of a system of
 * its own, so its observer sees that link only (XState gives a system one set of observers).
 *
 * Made, the starter checks the URL and the options against the transport at once, not at the first
 * attempt; a static URL's template (./link-template.ts) is made then and shared by every link of
 * the starter. No link feature (resume, application handshake) is reached from here, so a bundle
 * of the drop-in leaves them out (./link-features.ts).
 */
import { createActor, type InspectionEvent } from 'xstate';
import { connectionChart } from '../../machines/connection.machine.js';
import type { Transport } from '../transports/transport.js';
import { systemClock } from '../util/clock.js';
import type { LinkvisorError } from '../util/errors.js';
import { Link } from './link.js';
import type { LinkHost } from './link-host.js';
import { FinalStateLinkObserver } from './link-observer.js';
import { linkParts, randomSeed, sharedShapeInput } from './link-parts.js';
import { LinkShards } from './link-shards.js';
import { type LinkEnv, type LinkTemplate, linkTemplate, type UrlInput } from './link-template.js';
import { LinkWire } from './link-wire.js';
import type { LinkOptions } from './options.js';
import { provideRuntimeTo } from './provide-runtime.js';

/** The wires of the links started here and not yet ended, by link id. */
const wires = new Map<string, LinkWire>();
const linkEnded = (link: Link) => wires.delete(link.id);
/** What a link that is the root actor of its own system reports its end to (it stops its actor). */
const rootHost: LinkHost = { ownsActor: true, linkEnded };
/** What a shard's link reports its end to (its actor ends itself, in its final state). */
const shardHost: LinkHost = { ownsActor: false, linkEnded };
/** The connection chart provided with the runtime, shared by every link started here (made on
 * the first use): without the chart's feature actions (resume, group restart, network rejoin, a
 * failing intensity), which no link made here can run (machines/connection-features.ts). */
let machine: ReturnType<typeof provideRuntimeTo> | null = null;
/** The shards the links without an inspection observer join (made on the first such link). */
let shards: LinkShards | null = null;
/** No inspection observer for a standalone shard's system. */
const noInspect = () => undefined;

/** Starts one link, with its own jitter seed. */
export type StartLink = (linkId: string) => Link;

/** Makes one link's inspection observer (none: undefined), given where its errors go. */
export type ObserveLink = (
  report: (error: LinkvisorError) => void,
) => ((event: InspectionEvent) => void) | undefined;

/**
 * The starter of links on one URL, options (already checked) and transport; throws at once for a
 * URL or options the transport refuses. `observe` makes each link's inspection observer, whose
 * errors are reported as the link's `error` event, after the step they broke.
 */
export function standaloneLinks(
  url: UrlInput,
  options: LinkOptions,
  transport: Transport,
  observe: ObserveLink,
): StartLink {
  const env: Pick<LinkEnv, 'transport' | 'clock'> = { transport, clock: systemClock };
  // A per-attempt URL's template names its link (its label): made per link.
  const checked = linkTemplate(url, options, env, 'link:check');
  const template = (linkId: string): LinkTemplate =>
    typeof url === 'function' ? linkTemplate(url, options, env, linkId) : checked;
  machine ??= provideRuntimeTo(connectionChart, (linkId) => wires.get(linkId));
  const shared = machine;
  return (linkId) => {
    const parts = linkParts(template(linkId), linkId, { ...env, seed: randomSeed() });
    const wire = new LinkWire(parts.wire);
    wires.set(linkId, wire);
    const inspect = observe((error) => queueMicrotask(() => wire.reportError(error)));
    const input = sharedShapeInput(parts.input);
    if (inspect) {
      const actor = createActor(shared, { id: linkId, input, clock: systemClock, inspect });
      const link = new Link(actor, wire, rootHost);
      actor.start();
      return link;
    }
    shards ??= new LinkShards(systemClock, noInspect);
    const actor = createActor(shared, { id: linkId, input, parent: shards.next() });
    const link = new Link(null, wire, shardHost);
    // A shard's child ends only in its final state or failing (nothing stops it from outside).
    link.attach(actor, false, new FinalStateLinkObserver(link));
    shards.counted();
    actor.start();
    return link;
  };
}
