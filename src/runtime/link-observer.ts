/**
 * The observers of a link's connection actor: they relay each snapshot, the actor's error and
 * (when it may be stopped from outside) its completion to the link (./link.ts). Classes, not
 * object literals: XState binds an observer's methods, and a class keeps them off the link's own
 * closures.
 */
import type { ConnectionSnapshot } from './link-status.js';

/** What an observer tells its link (./link.ts's Link). */
interface ObservedLink {
  onSnapshot(snapshot: ConnectionSnapshot): void;
  finish(): void;
  onActorError(error: unknown): void;
}

/** The observer of an actor that ends only in its final state (its last snapshot ends the link)
 * or by failing: a supervisor's link, a shard's child that nothing stops from outside (XState
 * stops no non-root actor but its parent's `children`). No `complete`: XState binds one method
 * less (48 B a link, BENCHMARKS.md round 13). */
export class FinalStateLinkObserver {
  constructor(protected readonly link: ObservedLink) {}
  next(snapshot: ConnectionSnapshot): void {
    this.link.onSnapshot(snapshot);
  }
  error(error: unknown): void {
    this.link.onActorError(error);
  }
}

/** Relays a connection actor's snapshots, completion and error to its link: for an actor that may
 * be stopped from outside (a root actor, or one an application machine spawned). */
export class LinkObserver extends FinalStateLinkObserver {
  /** Stopped by its parent (terminate, linger ran out): over as well. */
  complete(): void {
    this.link.finish();
  }
}
