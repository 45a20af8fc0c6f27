/**
 * How a supervisor (./supervisor.ts) makes its links: one for `connect(url)`, one a URL for
 * `connectGroup(urls)` (their ids: ./link-ids.ts), each booked (its template and seed) and started
 * later, in call order, in slices (./link-starter.ts). It runs no user code: the supervisor emits
 * `link` for each link made. The supervisor owns the maps of links and groups; this fills them.
 */
import type { SocketEvent } from '../../machines/socket.machine.js';
import { LinkvisorError } from '../util/errors.js';
import { Link } from './link.js';
import { LinkGroup } from './link-group.js';
import type { LinkHost } from './link-host.js';
import { checkGroupId, connectLinkId, type LinkCounter } from './link-ids.js';
import { LinkBooking, randomSeed } from './link-parts.js';
import { type LinkStarter, NO_OPTIONS } from './link-starter.js';
import type { UrlInput } from './link-template.js';
import { checkLinkOptions, type LinkOptions } from './options.js';
import { checkGroupOptions } from './supervisor-options.js';
import type { GroupOptions } from './supervisor-types.js';

export class SupervisorLinks implements LinkCounter {
  /** The number of the last link made (its default id, its seed with the supervisor's `seed`);
   * connectLinkId moves it past the numbers explicit ids took. */
  counter = 0;

  constructor(
    private readonly links: Map<string, Link>,
    private readonly groups: Map<string, LinkGroup>,
    private readonly starter: LinkStarter,
    private readonly host: LinkHost,
    /** The supervisor's `seed` option: each link's is this plus its number. */
    private readonly seed: number | undefined,
  ) {
    // A link started while the socket chart is mid-step is a member by these, not the chart's.
    starter.useGroups(groups);
  }

  /** A link for `connect(url, options)`, booked; throws at once on bad input. */
  connect(url: UrlInput, options: LinkOptions | undefined): Link {
    // No options: nothing to check (a loop of connect(url) is the common large case).
    const own = options === undefined ? NO_OPTIONS : checkLinkOptions(options);
    return this.add(connectLinkId(own.id, this, this.links, this.groups), url, own);
  }

  /** A group for `connectGroup(urls, options)`, its members booked and the socket chart told;
   * all or nothing (every URL is checked before any link is made). */
  group(
    urls: readonly UrlInput[],
    options: GroupOptions,
    tell: (event: SocketEvent) => void,
    closed: () => boolean,
    holdSecrets: () => () => void,
  ): LinkGroup {
    const { strategy, own, id } = checkGroupOptions(urls, options);
    checkGroupId(id, this.links, this.groups);
    // Validate every URL before creating any link: all or nothing. A bad one is named by its place
    // (`urls[1]`; a hole in the array is one), not as a lone link's `url`.
    for (const [i, url] of urls.entries()) {
      try {
        this.starter.checkGroup(id, [url], own);
      } catch (error) {
        throw placedUrlError(error, i);
      }
    }
    // Every member ended (none left to start): the socket chart forgets the group at the same time
    // (it keeps its strategy and size until then, whatever members are live).
    const ended = () => {
      this.groups.delete(id);
      tell({ type: 'group.remove', group: id });
    };
    const group = new LinkGroup(id, strategy, ended, closed, holdSecrets);
    this.groups.set(id, group);
    // Members booked before any user code (a `link` or flushed `up` listener may close the supervisor).
    for (const [i, url] of urls.entries()) {
      group.add(this.add(`link:${id}/${i}`, url, { ...own, id: `${id}/${i}` }));
    }
    tell({ type: 'group.add', group: id, strategy, size: urls.length });
    return group;
  }

  /** Makes a link and books its start (./start-queue.ts); runs no user code. */
  private add(linkId: string, url: UrlInput, own: LinkOptions): Link {
    const template = this.starter.templateFor(linkId, url, own);
    const n = ++this.counter;
    const seed = own.seed ?? (this.seed === undefined ? randomSeed() : this.seed + n);
    // O(1) here: the link is booked (its template and seed); its wire, chart input and actor are
    // made later, in call order, in slices that never hold the event loop long (a loop of 10,000
    // connect() calls returns at once). send(), on() and status() before then make the wire.
    const booking = new LinkBooking(linkId, template, seed);
    const link = new Link(null, booking, this.host);
    this.links.set(linkId, link);
    this.starter.starts.push(booking);
    return link;
  }
}

/** A group member's URL error (option `url`) named by its place in `urls`; any other error as is. */
function placedUrlError(error: unknown, index: number): unknown {
  if (!(error instanceof LinkvisorError) || error.option !== 'url') return error;
  const option = `urls[${index}]`;
  return new LinkvisorError(error.code, `${option}${error.message.slice('url'.length)}`, {
    option,
    ...(error.cause === undefined ? {} : { cause: error.cause }),
  });
}
