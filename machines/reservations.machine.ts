/**
 * The reservations statechart: the values renders of linkvisor/react created that no commit has
 * started yet (src/react/shared-registry.ts), swept on a bounded schedule. ONE actor per registry
 * (per supervisor the hooks use, and one for `useWebSocket`), whatever the number of renders.
 *
 * Owns: when the held reservations are swept (`sweepDelay`: RESERVATION_SWEEP_MS,
 * machines/policy/reservations.ts), as ONE delayed transition re-entered while any is held, and
 * that no timer runs while none is held.
 * Does not own: the reservations themselves, which ones a sweep disposes (those already held at
 * the previous sweep or the hold's start: the registry's generations), starting or disposing a value (the registry's
 * lifecycle: a link's own chart closes it).
 * Scope boundary: the registry says `reservations.held` when its first reservation is made (none
 * was held) and `reservations.cleared` when its last one is started or disposed: one event per
 * hold, not per render.
 *
 *   clear ─reservations.held→ holding
 *   holding ─after sweepDelay→ holding (re-entered; emits reservations.sweep)
 *   holding ─reservations.cleared→ clear
 *
 * Idempotent: `reservations.held` while holding (the timer runs on: renders that keep coming
 * never postpone a sweep), `reservations.cleared` while clear. Pure: no I/O, timers, clock reads
 * or randomness; the delay is named and its period is machines/policy/reservations.ts's (no input,
 * no context: nothing sets another).
 */
import { emit, setup } from 'xstate';
import { RESERVATION_SWEEP_MS } from './policy/reservations.js';

/** The registry's first reservation was made / its last one was started or disposed. */
export type ReservationsEvent = { type: 'reservations.held' } | { type: 'reservations.cleared' };

/** What the chart emits: the registry disposes the reservations held since the previous sweep. */
export type ReservationsEmitted = { type: 'reservations.sweep' };

/** The reservations chart's `setup()`: its types, its delay and action by name. */
export const reservationsSetup = setup({
  // Stryker disable next-line ObjectLiteral: read by TypeScript only; no value at run time
  types: {
    events: {} as ReservationsEvent,
    emitted: {} as ReservationsEmitted,
  },
  delays: {
    sweepDelay: RESERVATION_SWEEP_MS,
  },
  actions: {
    announceSweep: emit({ type: 'reservations.sweep' as const }),
  },
});

/**
 * The reservations chart of a linkvisor/react registry: clear (no timer), or holding renders'
 * values and sweeping them every `sweepDelay`. Pure: src/react/shared-registry.ts runs it.
 */
export const reservationsMachine = reservationsSetup.createMachine({
  id: 'reservations',
  initial: 'clear',
  states: {
    clear: {
      description: 'No render holds a value no commit started: no timer.',
      on: { 'reservations.held': { target: 'holding' } },
    },
    holding: {
      description:
        'Renders hold values no commit started yet: one timer sweeps, every period, those held since the previous sweep.',
      after: { sweepDelay: { target: 'holding', reenter: true, actions: 'announceSweep' } },
      on: { 'reservations.cleared': { target: 'clear' } },
    },
  },
});

/** The type of `reservationsMachine`. */
export type ReservationsMachine = typeof reservationsMachine;
