/**
 * A link's overdue check (./link-wire.ts, on each send once it is writable): timers may have been
 * suspended (laptop sleep, throttled tab), so a send that finds no ping went out for longer than a
 * healthy heartbeat allows tells the link (`heartbeat.overdue`: the chart checks the peer now).
 */
import { type Clock, systemClock } from '../util/clock.js';
import type { LinkWire } from './link-wire.js';

/** The system clock's time, read once per synchronous job (null: not read in this job). */
let jobNow: number | null = null;
const endJob = () => {
  jobNow = null;
};

/**
 * Timers may have been suspended (laptop sleep, throttled tab): if no ping went out for longer
 * than a healthy heartbeat allows, hold sends and make the chart check the peer now.
 */
export function checkOverdue(wire: LinkWire, overdueAfterMs: number): void {
  const now = clockNow(wire.config.clock);
  if (now - wire.lastPingAt <= overdueAfterMs) return;
  wire.lastPingAt = now;
  // Only a peer that answers pings can confirm; with the others, keep sending. Nor can it while
  // reading is paused (the chart's ready.paused does not check): keep sending.
  if (wire.pongSeen && !wire.paused) wire.writable = false;
  wire.overdueTo?.overdue();
}

/**
 * The clock's time for the overdue check. A clock read costs about as much as the rest of a
 * send (≈50 ns here), so with the system clock it is read once per synchronous job: no timer
 * can fire within a job, and a burst of sends (or a batch of echoed messages) shares one read,
 * whatever link they are on (one module-wide note, not one per link).
 * Any other clock (tests that move time between two sends of one job) is read every time.
 */
function clockNow(clock: Clock): number {
  if (clock !== systemClock) return clock.now();
  if (jobNow === null) {
    jobNow = clock.now();
    queueMicrotask(endJob);
  }
  return jobNow;
}
