/**
 * The bits of a Link's `flags`: one small integer a link instead of three boolean fields (issue 11,
 * BENCHMARKS.md round 50 (i50stall)).
 */

/** close() was called (or the link ended). */
export const CLOSE_REQUESTED = 1;
/** The chart's lifecycle events are relayed (Link's relay). */
export const RELAYING = 2;
/** The link has ended. */
export const FINISHED = 4;
