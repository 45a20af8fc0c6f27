/**
 * When a link last changed state, as a link keeps it (issue 11, BENCHMARKS.md round 50 (i50stall)):
 * whole ms since this module loaded, a small integer to V8 for 24 days of a process, where epoch
 * ms are a 16-byte heap number a link. Whole ms lose nothing: a Date keeps whole ms, so status()
 * shows the same ISO time.
 */

/** Epoch ms (whole) when this module loaded: the base of every change time. */
const TIME_BASE = Date.now();

/** `wallMs` (epoch ms) as a change time. */
export function changeTime(wallMs: number): number {
  return Math.trunc(wallMs) - TIME_BASE;
}

/** A change time as epoch ms. */
export function epochMsOf(time: number): number {
  return time + TIME_BASE;
}
