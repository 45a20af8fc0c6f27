/**
 * How many links share one XState system (machines/shard.machine.ts): a supervisor's links are
 * created in shards of this many, each shard the root actor of its own system.
 */

/**
 * Links a shard takes before the supervisor opens the next one (BENCHMARKS.md, rounds 10 and 13).
 * 63, not 64: the system's map of actors holds the shard as well, and a JavaScript `Map` of 64
 * entries fits the table of 64 that a 65th doubles (−26 B an idle link on `ws`, round 13).
 */
export const LINKS_PER_SHARD = 63;
