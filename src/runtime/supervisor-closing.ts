/**
 * A supervisor's close (./supervisor.ts): the first close() or terminate() makes it closed from its
 * very start (a close() made meanwhile joins it), runs what begins it (booked links start, the socket
 * chart is told), then settles: the network signals and every watcher stop, every link ends, the
 * shards and the socket actor stop, and `closed` is emitted. terminate() after close() ends the
 * links at once and joins the same promise.
 */
import type { Emitter } from '../util/emitter.js';
import type { Link } from './link.js';
import type { LinkStarter } from './link-starter.js';
import type { NetworkSignals } from './network-signals.js';
import type { SocketActor } from './supervisor-socket.js';
import type { SupervisorEvents } from './supervisor-types.js';
import type { Watcher } from './watcher.js';

/** What the settling stops and waits for. */
export interface ClosingParts {
  network: NetworkSignals;
  watchers: ReadonlyMap<string, Watcher>;
  links: ReadonlyMap<string, Link>;
  starter: LinkStarter;
  socket: SocketActor;
  /** Resolves once the socket actor is done. */
  socketDone: Promise<void>;
  emitter: Emitter<SupervisorEvents>;
}

export class SupervisorClosing {
  /** Set by the first close() or terminate(); resolves when nothing is left open. */
  promise: Promise<void> | null = null;

  constructor(private readonly parts: () => ClosingParts) {}

  /** close(): `begin` (the drain) unless closing already. */
  close(begin: () => void): Promise<void> {
    return this.promise ?? this.shut(begin);
  }

  /** terminate(): `end` now, also after a close() (whose promise it joins). */
  terminate(end: () => void): Promise<void> {
    if (!this.promise) return this.shut(end);
    end();
    return this.promise;
  }

  /** The first close() or terminate(): closed (and a close() made meanwhile joins it) from its very
   * start, as `begin` runs listeners (booked links start, ready ones end); then the settling. */
  private shut(begin: () => void): Promise<void> {
    let settled!: (done: Promise<void>) => void;
    this.promise = new Promise<void>((resolve) => {
      settled = resolve;
    });
    try {
      begin();
    } finally {
      settled(this.settle());
    }
    return this.promise;
  }

  private async settle(): Promise<void> {
    const { network, watchers, links, starter, socket, socketDone, emitter } = this.parts();
    network.stop();
    const stopping = [...watchers.values()].map((watcher) => watcher.stop());
    await socketDone;
    await Promise.all([...[...links.values()].map((link) => link.ended()), ...stopping]);
    // Shards with room left take no more links: every link has ended, they are over.
    starter.shards.stopAll();
    socket.stop();
    emitter.emit('closed', undefined);
  }
}
