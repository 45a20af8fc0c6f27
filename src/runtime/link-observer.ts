/**
 * The observer of a link's connection actor: it relays each snapshot, the actor's completion and
 * its error to the link (./link.ts).
 */
import type { ConnectionSnapshot } from './link-status.js';

/** What the observer tells its link (./link.ts's Link). */
interface ObservedLink {
  onSnapshot(snapshot: ConnectionSnapshot): void;
  finish(): void;
  onActorError(error: unknown): void;
}

/** Relays a connection actor's snapshots and its error to its link (XState binds an observer's
 * methods: a class keeps them off the link's own closures). Enough for an actor that ends only in
 * its final state (its last snapshot ends the link) or by failing: a supervisor's link, a shard's
 * child that nothing stops from outside. Without `complete`, XState binds one method less (48 B a
 * link, BENCHMARKS.md round 13). */
export class LinkObserver {
  constructor(protected readonly link: ObservedLink) {}
  next(snapshot: ConnectionSnapshot): void {
    this.link.onSnapshot(snapshot);
  }
  error(error: unknown): void {
    this.link.onActorError(error);
  }
}

/** The observer of an actor that may be stopped from outside (a root actor, or one an
 * application machine spawned): its completion ends the link too. */
export class StoppableLinkObserver extends LinkObserver {
  /** Stopped by its parent (terminate, linger ran out): over as well. */
  complete(): void {
    this.link.finish();
  }
}
