/**
 * `literal`: the value itself, typed as `as const` would type it (its literals, readonly). The
 * connection chart's plain data (./connection-transitions.ts, ./connection-feature-states.ts) is
 * written with it, not `{ … } as const`: Stryker's instrumenter skips everything under a type
 * assertion, so data written `as const` would have no mutants (test/mutation/chart-mutants.test.ts).
 */

/** The value itself, typed as `as const` would type it. */
export const literal = /* @__NO_SIDE_EFFECTS__ */ <const T>(value: T): T => value;
