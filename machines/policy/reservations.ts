/**
 * The render reservations of linkvisor/react (src/react/shared-registry.ts): how long a value a
 * render created (an idle link, a closed socket) waits for the commit that starts it before it is
 * disposed. The reservations chart (machines/reservations.machine.ts) refers to it through its
 * named delay `sweepDelay`.
 */

/**
 * The period of the reservations chart's sweep, in ms: a sweep disposes the reservations that were
 * already held at the previous sweep (or the hold's start), so a render's value that no commit starts is gone between
 * one and two periods after the render (1–2 s), and `supervisor.list()` shows no phantom link for
 * longer. Why 1 s: a render commits within a frame or a few time slices (ms); one that waits
 * longer (a transition that suspends on data) is rendered again when its data comes, and a commit
 * that comes after the sweep only costs one more render with a fresh idle value (the effect finds
 * the render's value gone, takes a new one, renders again) — never a connection. Shorter would
 * make that extra render common for slow networks; longer leaves phantom links to read.
 */
export const RESERVATION_SWEEP_MS = 1_000;
