/**
 * What a link is made with besides its actor: its maker (a supervisor, the drop-in class, a link
 * definition), one object shared by all of its links, and the source of its wire when the wire is
 * made on first use.
 */
import type { LinkStateName } from '../../machines/connection.machine.js';
import type { Link } from './link.js';
import type { LinkWire } from './link-wire.js';

/**
 * Who made a link (a supervisor, the drop-in class, a link definition): one object shared by all
 * its links, so a link holds no closures of its maker's.
 */
export interface LinkHost {
  /** The link created its actor as a root actor (standalone links): it stops it when over (a
   * supervisor's link actor is a shard's child and stops itself in its final state). */
  readonly ownsActor: boolean;
  /** The link has ended (after its last event); `lastState` is the state it ended from. */
  linkEnded(link: Link, lastState: LinkStateName): void;
  /** How `close()` asks for the close (the supervisor: through its socket chart); absent: the
   * link sends `link.close` to its actor. */
  closeLink?(link: Link, command: { code: number; reason: string }): void;
  /** Whether the maker is closing its links (a supervisor, from its first close() or terminate()
   * on: it tells them a microtask later): `ready()` rejects meanwhile, the link is being closed. */
  closing?(): boolean;
  /** A link's heartbeat saw its timers suspended (sleep): the supervisor raises `wake`. */
  timeJumped?(): void;
  /** Attaches the link's actor now, when something needs it before its turn (the supervisor starts
   * every link queued before it first, so links still start in the order of the calls). */
  startLink?(link: Link): void;
  /** Wall time in epoch ms read through the host's clock (a supervisor's simulated clock shows in
   * `status()`'s timestamps); absent: `Date.now()`. */
  wallNow?(): number;
}

/**
 * A link's wire not made yet: a supervisor's `connect()` books the link and returns, and the wire
 * (queue, listeners, secrets) is made when the link starts, or before if `send()`, `on()` or
 * `status()` needs it first.
 */
export interface WireSource {
  readonly linkId: string;
  makeWire(): LinkWire;
}

/** A link's host when it is given none (a test's link): it owns no actor and hears nothing of
 * the link's end. */
export const NO_HOST: LinkHost = { ownsActor: false, linkEnded: () => {} };

/** Whether a link's wire is made (not a WireSource still). */
export function isWire(wire: LinkWire | WireSource): wire is LinkWire {
  return (wire as Partial<WireSource>).makeWire === undefined;
}
