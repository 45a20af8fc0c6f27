/**
 * Several endpoints of one logical service, as one group: its links (one per endpoint), its
 * strategy, and the group's up / down, degraded / recovered and restart events, which the socket
 * chart computes (`group.up`/`group.down`, `group.degraded`/`group.recovered`, `group.restart`).
 */
import type { GroupStrategy } from '../../machines/policy/group.js';

import { Emitter, type EventName, reportListenerError } from '../util/emitter.js';
import { LinkvisorError } from '../util/errors.js';
import type { Link } from './link.js';
import type { LinkStatus } from './link-status.js';

/** The events of a `LinkGroup`, by name, with what each listener receives. */
export interface LinkGroupEvents {
  [key: string]: unknown;
  /** The first link of the group became ready. */
  up: undefined;
  /** The last ready link of the group went down. */
  down: undefined;
  /** More than the supervisor's `degradedShare` of the group's links escalated (restart
   * intensity): the service is sick, not one link. */
  degraded: undefined;
  /** The share of escalated links is back at or under `degradedShare`. */
  recovered: undefined;
  /** A member was lost and the group's strategy restarts `members` (link ids, in order) with it;
   * each of them reports `lost` with reason kind `group`, then reconnects at once. */
  restart: GroupRestart;
  /** A listener threw (LV_ERR_LISTENER). */
  error: LinkvisorError;
}

/** The names of LinkGroupEvents, for the emitter's check of `group.on(event)`. */
const GROUP_EVENTS: readonly string[] = Object.freeze([
  'up',
  'down',
  'degraded',
  'recovered',
  'restart',
  'error',
] satisfies EventName<LinkGroupEvents>[]);

/** What a group's `restart` event tells. */
export interface GroupRestart {
  strategy: GroupStrategy;
  /** The member whose loss restarted the others (`link:<group>/<n>`). */
  cause: string;
  /** The members restarted with it, in order (only the ready ones actually restart). */
  members: string[];
}

/**
 * Several endpoints of one service (`supervisor.connectGroup`): its links, its own first-up /
 * last-down edges, `ready()` and `pick()`.
 */
export class LinkGroup {
  readonly links: Link[] = [];
  private readonly emitter: Emitter<LinkGroupEvents> = new Emitter<LinkGroupEvents>(
    GROUP_EVENTS,
    (error, event) => reportListenerError(this.emitter, error, event),
  );
  private ended = 0;

  constructor(
    readonly id: string,
    /** What happens when a ready member is lost (`connectGroup`'s `strategy`). */
    readonly strategy: GroupStrategy,
    private readonly onEnd: () => void,
  ) {}

  /** @internal */
  add(link: Link): void {
    this.links.push(link);
    void link.ended().then(() => {
      if (++this.ended === this.links.length) this.onEnd();
    });
  }

  /** @internal the socket chart saw an edge */
  edge(kind: 'up' | 'down' | 'degraded' | 'recovered'): void {
    if (kind === 'degraded' || kind === 'recovered') this.isDegraded = kind === 'degraded';
    this.emitter.emit(kind, undefined);
  }

  /** @internal the socket chart restarted members of this group */
  restarted(cause: string, members: string[]): void {
    this.emitter.emit('restart', { strategy: this.strategy, cause, members });
  }

  private isDegraded = false;

  /** Whether more than `degradedShare` of the group's links are escalated now. */
  get degraded(): boolean {
    return this.isDegraded;
  }

  on<K extends keyof LinkGroupEvents & string>(event: K, listener: (payload: LinkGroupEvents[K]) => void) {
    return this.emitter.on(event, listener);
  }

  /** Whether the group is up: at least one link ready; every link, for `one-for-all`. */
  get up(): boolean {
    const ready = (link: Link) => link.state === 'ready';
    return this.strategy === 'one-for-all' ? this.links.every(ready) : this.links.some(ready);
  }

  /** A ready link (the first in endpoint order), if any: send through it. */
  pick(): Link | undefined {
    return this.links.find((link) => link.state === 'ready');
  }

  /** Resolves when the group is up (with its first ready link); rejects when it can no longer be:
   * all links ended (a `one-for-all` group: any). */
  ready(): Promise<Link> {
    const ready = this.pick();
    if (ready && this.up) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const offs: (() => void)[] = [];
      const settle = (fn: () => void) => {
        for (const off of offs) off();
        fn();
      };
      // The edge is delivered after the step that made it: a listener before this one may have
      // ended or dropped the member meanwhile. Then the group is not up: wait on (or reject).
      const onUp = () => {
        const link = this.pick();
        if (link && this.up) settle(() => resolve(link));
      };
      offs.push(this.on('up', onUp));
      const ends = this.links.map((link) => link.ended());
      void (this.strategy === 'one-for-all' ? Promise.race(ends) : Promise.all(ends)).then(() =>
        settle(() =>
          reject(
            new LinkvisorError(
              'LV_ERR_LINK_CLOSED',
              this.strategy === 'one-for-all'
                ? `group ${this.id}: a link of a one-for-all group has ended`
                : `group ${this.id}: every link has ended`,
            ),
          ),
        ),
      );
    });
  }

  status(): { id: string; strategy: GroupStrategy; up: boolean; degraded: boolean; links: LinkStatus[] } {
    return {
      id: this.id,
      strategy: this.strategy,
      up: this.up,
      degraded: this.degraded,
      links: this.links.map((link) => link.status()),
    };
  }

  /** Closes every link of the group (each drains). */
  async close(): Promise<void> {
    await Promise.all(this.links.map((link) => link.close()));
  }
}
