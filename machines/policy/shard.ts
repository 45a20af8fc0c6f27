/**
 * How many links share one XState system (machines/shard.machine.ts): a supervisor's links are
 * created in shards of this many, each shard the root actor of its own system.
 */

/** Links a shard takes before the supervisor opens the next one (BENCHMARKS.md, round 10). */
export const LINKS_PER_SHARD = 64;
