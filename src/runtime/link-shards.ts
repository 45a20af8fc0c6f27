/**
 * The shards a supervisor's links join (machines/shard.machine.ts), and the process's standalone
 * links (./standalone-links.ts: the system clock, no observer): each shard is the root actor of
 * the XState system its links share (the supervisor's clock and inspection observers); links are
 * created with it as their `parent`, LINKS_PER_SHARD to a shard, one shard after the other. A shard
 * is forgotten when it is over (the last link of a full shard ended); a supervisor's (SupervisorShards)
 * also lists their systems and its `stopAll()` stops the ones
 * with room left. Why shards, and their size: the socket chart's header, BENCHMARKS.md round 10.
 */
import { type AnyActorRef, createActor, type InspectionEvent, type Observer } from 'xstate';
import { LINKS_PER_SHARD } from '../../machines/policy/shard.js';
import { shardMachine } from '../../machines/shard.machine.js';
import type { Clock } from '../util/clock.js';

export class LinkShards {
  /** Shards not over yet; new links join the last one while it has room. */
  protected readonly live = new Set<AnyActorRef>();
  protected current: AnyActorRef | null = null;
  /** Links the current shard still takes. */
  protected room = 0;
  /** Links given the current shard as parent and not yet counted by it (see `counted`). */
  private joined = 0;

  constructor(
    private readonly clock: Clock,
    /** The inspection observer a new shard's system gets (read when the shard opens). */
    private readonly inspect: () =>
      | Observer<InspectionEvent>
      | ((event: InspectionEvent) => void)
      | undefined,
  ) {}

  /** The parent of the next link: the current shard, or a new one when it is full. */
  next(): AnyActorRef {
    if (this.room === 0) {
      this.counted();
      this.open();
    }
    this.room--;
    this.joined++;
    return this.current as AnyActorRef;
  }

  /** Tells the current shard how many links joined it since (before they start: a link may end
   * while it starts). */
  counted(): void {
    if (this.joined > 0) this.current?.send({ type: 'shard.add', links: this.joined });
    this.joined = 0;
  }

  private open(): void {
    const inspect = this.inspect();
    const shard = createActor(shardMachine, {
      input: { capacity: LINKS_PER_SHARD },
      clock: this.clock,
      ...(inspect ? { inspect } : {}),
    });
    this.live.add(shard);
    shard.subscribe({ complete: () => this.live.delete(shard), error: () => this.live.delete(shard) });
    shard.start();
    this.current = shard;
    this.room = LINKS_PER_SHARD;
  }
}

/** A supervisor's shards: also their systems (the inspector's late attach) and their stop (the
 * supervisor's close), which the standalone links' never need (their bundle leaves them out). */
export class SupervisorShards extends LinkShards {
  /** The XState systems of the shards not over yet. */
  systems(): AnyActorRef['system'][] {
    return [...this.live].map((shard) => shard.system);
  }

  /** Stops every shard left (those with room: every link has ended). */
  stopAll(): void {
    for (const shard of this.live) shard.stop();
    this.live.clear();
    this.current = null;
    this.room = 0;
  }
}
