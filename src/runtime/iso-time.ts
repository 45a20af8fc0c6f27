/**
 * A status's timestamps as ISO strings, total: a clock (user-supplied) that read `Infinity` or
 * `1e300` once must not make a status() throw (the health endpoint, the metrics and the inspector
 * read it).
 */

/** `ms` (epoch) as an ISO string; null for none, or for a time no Date can hold. */
export const isoTime = (ms: number | null): string | null =>
  ms === null || !Number.isFinite(new Date(ms).getTime()) ? null : new Date(ms).toISOString();
