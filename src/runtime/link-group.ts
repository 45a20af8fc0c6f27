/**
 * Several endpoints of one logical service, as one group: its links (one per endpoint) and the
 * group's first-up / last-down and degraded / recovered edges, which the socket chart computes
 * (`group.up`/`group.down`, `group.degraded`/`group.recovered`).
 */

import { Emitter, reportListenerError } from '../util/emitter.js';
import { LinkvisorError } from '../util/errors.js';
import type { Link, LinkStatus } from './link.js';

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
  /** A listener threw (LV_ERR_LISTENER). */
  error: LinkvisorError;
}

/**
 * Several endpoints of one service (`supervisor.connectGroup`): its links, its own first-up /
 * last-down edges, `ready()` and `pick()`.
 */
export class LinkGroup {
  readonly links: Link[] = [];
  private readonly emitter: Emitter<LinkGroupEvents> = new Emitter<LinkGroupEvents>((error, event) =>
    reportListenerError(this.emitter, error, event),
  );
  private ended = 0;

  constructor(
    readonly id: string,
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

  private isDegraded = false;

  /** Whether more than `degradedShare` of the group's links are escalated now. */
  get degraded(): boolean {
    return this.isDegraded;
  }

  on<K extends keyof LinkGroupEvents & string>(event: K, listener: (payload: LinkGroupEvents[K]) => void) {
    return this.emitter.on(event, listener);
  }

  /** Whether at least one link of the group is ready. */
  get up(): boolean {
    return this.links.some((link) => link.state === 'ready');
  }

  /** A ready link (the first in endpoint order), if any: send through it. */
  pick(): Link | undefined {
    return this.links.find((link) => link.state === 'ready');
  }

  /** Resolves when any link of the group is ready; rejects when all have ended. */
  ready(): Promise<Link> {
    const ready = this.pick();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const offs: (() => void)[] = [];
      const settle = (fn: () => void) => {
        for (const off of offs) off();
        fn();
      };
      offs.push(this.on('up', () => settle(() => resolve(this.pick() as Link))));
      void Promise.all(this.links.map((link) => link.ended())).then(() =>
        settle(() =>
          reject(new LinkvisorError('LV_ERR_LINK_CLOSED', `group ${this.id}: every link has ended`)),
        ),
      );
    });
  }

  status(): { id: string; up: boolean; degraded: boolean; links: LinkStatus[] } {
    return {
      id: this.id,
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
