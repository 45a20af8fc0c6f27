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

/** Relays a connection actor's snapshots to its link (XState binds an observer's methods: a class
 * keeps them off the link's own closures). */
export class LinkObserver {
  constructor(private readonly link: ObservedLink) {}
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
