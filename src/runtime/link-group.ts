/**
 * Several endpoints of one logical service, as one group: its links (one per endpoint), its
 * strategy, and the group's up / down, degraded / recovered and restart events, which the socket
 * chart computes (`group.up`/`group.down`, `group.degraded`/`group.recovered`, `group.restart`).
 */
import type { Reason } from '../../machines/policy/close-reason.js';
import type { GroupStrategy } from '../../machines/policy/group.js';

import { Emitter, type EventName, type Listener, reportListenerError } from '../util/emitter.js';
import { LinkvisorError } from '../util/errors.js';
import type { Link } from './link.js';
import type { LinkStatus } from './link-status.js';
import { abortableWait, readySignal } from './ready-waiters.js';
import { SupervisorSecrets } from './supervisor-secrets.js';

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
  /** The group can no longer be up and the members that ended all failed (gave up, a fatal
   * answer; a `one-for-all` group: one failed): `link` is the first that failed (its id), `reason`
   * its failure. Once, when `group.ready()` starts rejecting LV_ERR_LINK_FAILED (for good: a member
   * the application closes afterwards changes nothing); never for a group whose supervisor closed
   * or one of whose members was closed before it failed. */
  failed: GroupFailed;
  /** A listener threw (LV_ERR_LISTENER). */
  error: LinkvisorError;
}

/** What a group's `failed` event tells: its first failed member and why it failed. */
export interface GroupFailed {
  /** The first member that failed (`link:<group>/<n>`). */
  link: string;
  reason: Reason;
}

/** The names of LinkGroupEvents, for the emitter's check of `group.on(event)`. */
const GROUP_EVENTS: readonly string[] = Object.freeze([
  'up',
  'down',
  'degraded',
  'recovered',
  'restart',
  'failed',
  'error',
] satisfies EventName<LinkGroupEvents>[]);

/** What a group's `restart` event tells. */
export interface GroupRestart {
  strategy: GroupStrategy;
  /** The member whose loss restarted the others (`link:<group>/<n>`). */
  cause: string;
  /** The members restarted with it, in order (only the ready ones actually restart; one closed by
   * the application or failed is not listed). */
  members: string[];
}

/**
 * Several endpoints of one service (`supervisor.connectGroup`): its links, its own first-up /
 * last-down edges, `ready()` and `pick()`.
 */
export class LinkGroup {
  readonly links: Link[] = [];
  // Its `error` events are scrubbed of its members' secrets, as the supervisor's of its links'.
  private readonly emitter: Emitter<LinkGroupEvents> = new Emitter<LinkGroupEvents>(
    GROUP_EVENTS,
    (error, event) => reportListenerError(this.emitter, error, event),
    new SupervisorSecrets(this.links).redact,
  );
  private ended = 0;
  /** The first member that ended if every one that ended failed; false once one was closed before
   * the group failed. Kept once the group failed (its `failed` event): a member the application
   * closes afterwards does not change why the group cannot be up. */
  private failed: Link | false | undefined;
  /** The members by id, for `restarted()` (one look-up per member named, not a scan of the group). */
  private readonly byId = new Map<string, Link>();

  constructor(
    readonly id: string,
    /** What happens when a ready member is lost (`connectGroup`'s `strategy`). */
    readonly strategy: GroupStrategy,
    private readonly onEnd: () => void,
    /** Whether its supervisor is closed (from its first close() on, before the links hear it). */
    private readonly closed: () => boolean = () => false,
    /** Keeps the secrets of the links that end in its close() for its supervisor's error events
     * until the close is over (./supervisor-secrets.ts). */
    private readonly holdSecrets: () => () => void = () => () => {},
  ) {}

  /** @internal */
  add(link: Link): void {
    this.links.push(link);
    this.byId.set(link.id, link);
    let reason: Reason | undefined;
    const offFailed = link.on('failed', (event) => {
      reason = event.reason;
    });
    void link.ended().then(() => {
      offFailed();
      // The members that ended all failed (gave up, a fatal answer): the first one; else false, for good.
      const first = this.failed === undefined;
      if (!this.failedAnnounced) this.failed = link.state === 'failed' && (this.failed ?? link);
      if (first && this.failed === link) this.failedReason = reason;
      if (++this.ended === this.links.length) {
        // None is escalated now (a closing supervisor's links leave without the `recovered` edge).
        this.isDegraded = false;
        this.onEnd();
      }
      if (!this.over()) return;
      for (const end of [...this.endWaiters]) end();
      this.announceFailed();
    });
  }

  /** Why the first failed member failed (its `failed` event). */
  private failedReason: Reason | undefined;
  private failedAnnounced = false;

  /** The group's `failed` event, once: it can no longer be up, and its ended members all failed
   * (the condition on which `ready()` rejects LV_ERR_LINK_FAILED). */
  private announceFailed(): void {
    if (this.failedAnnounced || !this.failed || this.closed()) return;
    this.failedAnnounced = true;
    const reason = this.failedReason ?? { kind: 'invalid' as const, message: 'unknown reason' };
    this.emitter.emit('failed', { link: this.failed.id, reason });
  }

  /** The `ready()` calls waiting, each rejected when the group can no longer be up (one place, not
   * a handler per call on each link's end: an aborted call leaves nothing behind). */
  private readonly endWaiters = new Set<() => void>();

  /** Whether the group can no longer be up: its supervisor closed, or all links ended (a
   * `one-for-all` group: any). */
  private over(): boolean {
    return (
      this.closed() || (this.strategy === 'one-for-all' ? this.ended > 0 : this.ended === this.links.length)
    );
  }

  /** @internal the socket chart saw an edge */
  edge(kind: 'up' | 'down' | 'degraded' | 'recovered'): void {
    if (kind === 'degraded' || kind === 'recovered') this.isDegraded = kind === 'degraded';
    this.emitter.emit(kind, undefined);
  }

  /** @internal the socket chart restarted members of this group */
  restarted(cause: string, members: string[]): void {
    // The chart names every member its strategy restarts; one closed (by the application) or
    // failed is not restarted (`link.restart` reaches no ended link): not listed either.
    const ended = new Set(['closing', 'closed', 'failed']);
    const live = members.filter((id) => !ended.has(this.byId.get(id)?.state ?? ''));
    this.emitter.emit('restart', { strategy: this.strategy, cause, members: live });
  }

  private isDegraded = false;

  /** Whether more than `degradedShare` of the group's links are escalated now. */
  get degraded(): boolean {
    return this.isDegraded;
  }

  /** `up`, `down` (the group's edges), `degraded` / `recovered`, `restart`, `failed`, `error`; returns the function that removes the listener. */
  on<K extends keyof LinkGroupEvents & string>(event: K, listener: (payload: LinkGroupEvents[K]) => void) {
    return this.emitter.on(event, listener);
  }

  /** Removes a listener added with `on()`, as `link.off()`: one not added is a no-op, an unknown `event` throws as `on`'s. */
  off<K extends keyof LinkGroupEvents & string>(event: K, listener: Listener<LinkGroupEvents[K]>): void {
    this.emitter.off(event, listener);
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
   * all links ended (a `one-for-all` group: any), LV_ERR_LINK_CLOSED, or, if those that ended all
   * failed, the first one's LV_ERR_LINK_FAILED (still after a member closed once the group failed); or when `signal` aborts: LV_ERR_ABORTED, as
   * `link.ready({ signal })` (an aborted one at once, whatever the group's state). Throws
   * LV_ERR_INVALID_OPTION / LV_ERR_UNKNOWN_OPTION for options as `link.ready()` does. */
  ready(options: { signal?: AbortSignal | null } = {}): Promise<Link> {
    return abortableWait<Link>(
      readySignal(options),
      `group.ready(): aborted for ${this.id}`,
      (resolve, reject) => {
        const ready = this.pick();
        // Its supervisor closed (over): its links are being closed (they hear it a microtask later).
        if (ready && this.up && !this.over()) {
          resolve(ready);
          return () => {};
        }
        // The edge is delivered after the step that made it: a listener before this one may have
        // ended or dropped the member meanwhile. Then the group is not up: wait on (or reject).
        const offUp = this.on('up', () => {
          const link = this.pick();
          if (link && this.up && !this.over()) resolve(link);
        });
        // The members that ended all failed: the first one's LV_ERR_LINK_FAILED, as its ready() says.
        const end = () =>
          this.failed && !this.closed()
            ? void this.failed.ready().catch(reject)
            : reject(
                new LinkvisorError(
                  'LV_ERR_LINK_CLOSED',
                  this.closed()
                    ? `group ${this.id}: the supervisor is closed`
                    : this.strategy === 'one-for-all'
                      ? `group ${this.id}: a link of a one-for-all group has ended`
                      : `group ${this.id}: every link has ended`,
                ),
              );
        this.endWaiters.add(end);
        if (this.over()) end();
        return () => {
          offUp();
          this.endWaiters.delete(end);
        };
      },
    );
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
    await Promise.all(this.links.map((link) => link.close())).finally(this.holdSecrets());
  }
}
