/**
 * The supervisor: creates links (one connection actor each), knows them by id, reports their
 * status, and closes them all. Every link is a root actor sharing the supervisor's clock and
 * inspection observer; the chart is provided with the runtime's implementations once per
 * supervisor, not once per link.
 */
import { createActor, type InspectionEvent, type Observer } from 'xstate';
import { type Clock, systemClock } from './clock.js';
import { LinkvisorError, optionError } from './errors.js';
import { Link, type LinkStatus } from './link.js';
import { buildLinkParts, provideRuntime, randomSeed, type UrlInput } from './link-runtime.js';
import { LinkWire } from './link-wire.js';
import {
  checkKnownKeys,
  checkLinkOptions,
  checkNumber,
  isRecord,
  LINK_OPTION_KEYS,
  type LinkOptions,
  mergeLinkOptions,
} from './options.js';
import type { Transport } from './transports/transport.js';
import { wsTransport } from './transports/ws-transport.js';

export interface SupervisorOptions extends Omit<LinkOptions, 'id' | 'seed'> {
  /** How sockets are opened. Default: `ws` (Node). Tests: a memory network's transport. */
  transport?: Transport;
  /** Timers and time: every delayed transition goes through it. Default: the system clock. */
  clock?: Clock;
  /** XState inspection observer, for every link actor (e.g. @statelyai/inspect's `inspect`). */
  inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
  /** Base seed of the jitter of every link (link n gets seed + n): reproducible schedules. */
  seed?: number;
}

export interface SupervisorStatus {
  closed: boolean;
  links: LinkStatus[];
}

const SUPERVISOR_KEYS = new Set(['transport', 'clock', 'inspect', 'seed']);

export class Supervisor {
  private readonly links = new Map<string, Link>();
  private readonly wires = new Map<string, LinkWire>();
  private readonly machine = provideRuntime((linkId) => this.wires.get(linkId));
  private readonly transport: Transport;
  private readonly clock: Clock;
  private readonly inspect: SupervisorOptions['inspect'];
  private readonly defaults: LinkOptions;
  private readonly seed: number | undefined;
  private counter = 0;
  private closing: Promise<void> | null = null;

  constructor(options: SupervisorOptions = {}) {
    const raw: unknown = options;
    if (!isRecord(raw)) throw optionError('options', 'must be an object');
    if ('id' in raw) throw optionError('id', 'is per link: pass it to connect()');
    checkKnownKeys(raw, new Set([...SUPERVISOR_KEYS, ...LINK_OPTION_KEYS]), '');
    const { transport, clock, inspect, seed, ...linkDefaults } = options;
    if (seed !== undefined) checkNumber(seed, 'seed', { min: -(2 ** 53), integer: true });
    this.defaults = checkLinkOptions(linkDefaults);
    this.transport = transport ?? wsTransport;
    this.clock = clock ?? systemClock;
    this.inspect = inspect;
    this.seed = seed;
  }

  /**
   * Creates a link and starts connecting. `url` may be a function (sync or async) called on
   * every attempt, e.g. to put a fresh token in it. Throws at once on bad input.
   */
  connect(url: UrlInput, options: LinkOptions = {}): Link {
    if (this.closing) {
      throw new LinkvisorError('LV_ERR_SUPERVISOR_CLOSED', 'connect(): the supervisor is closed');
    }
    const own = checkLinkOptions(options);
    const merged = mergeLinkOptions(this.defaults, own);
    const n = ++this.counter;
    const linkId = `link:${own.id ?? n}`;
    if (this.links.has(linkId)) {
      throw new LinkvisorError('LV_ERR_DUPLICATE_ID', `connect(): a link with id '${own.id}' exists`, {
        option: 'id',
      });
    }
    const seed = own.seed ?? (this.seed === undefined ? randomSeed() : this.seed + n);
    const parts = buildLinkParts(linkId, url, merged, { transport: this.transport, clock: this.clock, seed });
    const wire = new LinkWire(parts.wire);
    this.wires.set(linkId, wire);
    const actor = createActor(this.machine, {
      id: linkId,
      input: parts.input,
      clock: this.clock,
      ...(this.inspect ? { inspect: this.inspect } : {}),
    });
    const link = new Link(
      actor,
      wire,
      (ended) => {
        if (this.links.get(ended.id) === ended) {
          this.links.delete(ended.id);
          this.wires.delete(ended.id);
        }
      },
      true,
    );
    this.links.set(linkId, link);
    actor.start();
    return link;
  }

  /** The live link with this id (`link:<id>` or `<id>`). */
  get(id: string): Link | undefined {
    return this.links.get(id) ?? this.links.get(`link:${id}`);
  }

  /** Live links (ended ones are removed). */
  list(): Link[] {
    return [...this.links.values()];
  }

  status(): SupervisorStatus {
    return { closed: this.closing !== null, links: this.list().map((link) => link.status()) };
  }

  /**
   * Closes every link (each drains within its closeTimeoutMs) and accepts no new ones. Resolves
   * when nothing is left open. Idempotent.
   */
  close(): Promise<void> {
    if (!this.closing) {
      this.closing = Promise.all(this.list().map((link) => link.close())).then(() => undefined);
    }
    return this.closing;
  }
}

export function createSupervisor(options: SupervisorOptions = {}): Supervisor {
  return new Supervisor(options);
}
