/**
 * The observer of a link's connection actor: it relays each snapshot, the actor's completion and
 * its error to the link (./link.ts).
 */
import type { Link } from './link.js';
import type { ConnectionSnapshot } from './link-status.js';

/** Relays a connection actor's snapshots to its link (XState binds an observer's methods: a class
 * keeps them off the link's own closures). */
export class LinkObserver {
  constructor(private readonly link: Link) {}
  next(snapshot: ConnectionSnapshot): void {
    this.link.onSnapshot(snapshot);
  }
  /** Stopped by its parent (terminate, linger ran out): over as well. */
  complete(): void {
    this.link.finish();
  }
  error(error: unknown): void {
    this.link.onActorError(error);
  }
}
