/**
 * When a supervisor starts its links in their attempt instead of through `idle`
 * (machines/connection-start.ts).
 */

/**
 * Links of one policy a supervisor starts on the chart as drawn (through `idle`'s eventless step)
 * before it makes the chart started in the attempt for the next ones. That chart is made once a
 * supervisor and policy: ~1 ms and ~85 KB kept for the supervisor's life; each link started in it
 * saves one microstep, ~2.6 µs and ~4.3 KB of garbage (BENCHMARKS.md round 20 (open)). After four
 * shards of links (252) it has paid for itself in CPU, and a supervisor of a few links never pays.
 */
export const LINKS_BEFORE_ATTEMPT_START = 4 * 63;
