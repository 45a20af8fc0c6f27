/**
 * What every link of a supervisor reports to and asks of it (one object, not closures per link):
 * its end (it leaves the supervisor's links; an actor that failed is counted out of the socket
 * chart), its close, its start, a time jump; and whose close code a link's socket carries when both the link and the supervisor are closed.
 *
 * Close precedence: a link closed with `close({ code, reason })` closes its socket with that code
 * whenever the supervisor's own close has not reached it yet — before `supervisor.close()`, or
 * after it in the same job (the supervisor tells its links after the job: ./supervisor.ts). Its
 * explicit code beats the supervisor's 1000, which only says "everything is shutting down". Once
 * the supervisor's close has reached the link, the link is closing: while its queue drains (the
 * chart's `closing.draining`, no close frame written yet) the link's own close still sets the
 * frame's code (guard `namesCloseCode`: the supervisor's close names none); once the frame is
 * written (`closing.closeSent`) a later `close()` only waits for the end.
 */
import type { SocketEvent } from '../../machines/socket.machine.js';
import type { Clock } from '../util/clock.js';
import { wallTimeOf } from '../util/wall-time.js';
import type { Link } from './link.js';
import type { LinkHost } from './link-host.js';

/** What the supervisor lends its links' host. */
export interface SupervisorLinkHostParts {
  /** The supervisor's live links by id: a link that ends leaves it. */
  links: Map<string, Link>;
  /** A link ended: its secrets stay among those the supervisor's errors are scrubbed of. */
  ended(link: Link): void;
  /** Sends an event to the socket actor and runs the effects of its step. */
  tell(event: SocketEvent): void;
  /** Whether `close()` or `terminate()` was called. */
  closing(): boolean;
  /** Starts the booked links up to `linkId` (./start-queue.ts). */
  startThrough(linkId: string): void;
  /** A link's heartbeat saw time jump (sleep). */
  timeJumped(): void;
  /** The supervisor's clock (read once its constructor has set it). */
  clock(): Clock;
}

/** The host of a supervisor's links: their actors are shards' children, they close through the
 * socket chart (peer.remove) while it is open, straight to their chart once it is closing. */
export function supervisorLinkHost(parts: SupervisorLinkHostParts): LinkHost {
  let wallNow: (() => number) | undefined;
  return {
    // A link's actor is a child of its shard: it stops itself in its final state (or failing).
    ownsActor: false,
    linkEnded: (ended, lastState) => {
      if (parts.links.get(ended.id) === ended) parts.links.delete(ended.id);
      parts.ended(ended);
      // A link actor that errored (a bug, not a lifecycle) reported nothing: keep the socket's
      // counts true so that close() still completes.
      if (ended.attached && ended.actor.getSnapshot().status === 'error') {
        if (lastState === 'ready') parts.tell({ type: 'link.unready', linkId: ended.id });
        if (ended.actor.getSnapshot().context.intensity?.sick)
          parts.tell({ type: 'link.healed', linkId: ended.id });
        parts.tell({ type: 'link.closed', linkId: ended.id, reason: null });
      }
    },
    closeLink: (link: Link, { code, reason }) => {
      // Closing: the socket chart has told (or will tell, after this job) every link to close; this
      // link's own close goes to its chart now, first if the supervisor's has not reached it yet.
      if (parts.closing()) link.actor.send({ type: 'link.close', code, reason });
      // Open: link.close() removes the peer through the socket chart (peer.remove → closePeer).
      else parts.tell({ type: 'peer.remove', linkId: link.id, code, reason });
    },
    startLink: (link) => parts.startThrough(link.id),
    closing: parts.closing,
    timeJumped: () => parts.timeJumped(),
    // status()'s timestamps move with the supervisor's clock (simulated time shows in them).
    wallNow: () => {
      wallNow ??= wallTimeOf(parts.clock());
      return wallNow();
    },
  };
}
