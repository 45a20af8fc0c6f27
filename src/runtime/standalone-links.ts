/**
 * Links without a supervisor, each the root actor of its own system as the supervisor runs its
 * links: the connection chart provided with the runtime once in the process and shared by every
 * link started here (a provided machine is a copy of the chart's whole state-node tree, ~80 KB:
 * one per drop-in made each ReconnectingWebSocket weigh ~100 KB; BENCHMARKS.md round 17
 * (drop-in heap)), each link on the given transport with a wire of its own, found by its id (ids
 * are unique in the process: the caller's to keep so) and forgotten when it ends. The drop-in
 * ReconnectingWebSocket starts one per generation. Made, it checks the URL and the options
 * against the transport at once, not at the first attempt. No link feature (resume, application
 * handshake) is reached from here, so a bundle of the drop-in leaves them out (./link-features.ts).
 */
import { createActor, type InspectionEvent } from 'xstate';
import { connectionChart } from '../../machines/connection.machine.js';
import type { Transport } from '../transports/transport.js';
import { systemClock } from '../util/clock.js';
import type { LinkvisorError } from '../util/errors.js';
import { Link } from './link.js';
import type { LinkHost } from './link-host.js';
import { buildLinkParts, randomSeed } from './link-parts.js';
import type { UrlInput } from './link-template.js';
import { LinkWire } from './link-wire.js';
import type { LinkOptions } from './options.js';
import { provideRuntimeTo } from './provide-runtime.js';

/** The wires of the links started here and not yet ended, by link id. */
const wires = new Map<string, LinkWire>();
/** What these links report their end to (one object for all of them). */
const host: LinkHost = { ownsActor: true, linkEnded: (link) => wires.delete(link.id) };
/** The connection chart provided with the runtime, shared by every link started here (made on
 * the first use): without the chart's feature actions (resume, group restart, network rejoin, a
 * failing intensity), which no link made here can run (machines/connection-features.ts). */
let machine: ReturnType<typeof provideRuntimeTo> | null = null;

/** Starts one link, with its own jitter seed, as the root actor of its own system. */
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
  buildLinkParts('link:check', url, options, { transport, clock: systemClock, seed: 0 });
  machine ??= provideRuntimeTo(connectionChart, (linkId) => wires.get(linkId));
  const shared = machine;
  return (linkId) => {
    const parts = buildLinkParts(linkId, url, options, { transport, clock: systemClock, seed: randomSeed() });
    const wire = new LinkWire(parts.wire);
    wires.set(linkId, wire);
    const inspect = observe((error) => queueMicrotask(() => wire.reportError(error)));
    const actor = createActor(shared, {
      id: linkId,
      input: parts.input,
      clock: systemClock,
      ...(inspect ? { inspect } : {}),
    });
    const link = new Link(actor, wire, host);
    actor.start();
    return link;
  };
}
