/**
 * The reservations chart tests linkvisor/react's registry: every state and transition of the
 * registry's ONE reservations chart (machines/reservations.machine.ts), exercised by the registry
 * itself (src/react/shared-registry.ts) driven as React drives it — a render's `peek` (a value no
 * commit started: a reservation), an effect's `acquire` (started), a sweep after
 * RESERVATION_SWEEP_MS disposing what no commit started — on xstate's SimulatedClock. A gate fails
 * if any state or transition of the chart was not exercised by the registry.
 */
import { describe, expect, it } from 'vitest';
import { type InspectionEvent, SimulatedClock } from 'xstate';
import { RESERVATION_SWEEP_MS } from '../../machines/policy/reservations.js';
import { reservationsMachine } from '../../machines/reservations.machine.js';
import { SharedRegistry } from '../../src/react/shared-registry.js';
import { ChartCoverage } from '../../src/testing/chart-coverage.js';

const coverage = new ChartCoverage([reservationsMachine]);

describe('reservations chart: every transition by the react registry', () => {
  it('held, swept while held (re-entered), cleared by a commit and by a sweep', async () => {
    const clock = new SimulatedClock();
    const states: string[] = [];
    const log: string[] = [];
    const inspect = (event: InspectionEvent) => {
      coverage.observer(event);
      if (event.type === '@xstate.snapshot')
        states.push(String((event.snapshot as unknown as { value: unknown }).value));
    };
    let created = 0;
    const shared = new SharedRegistry<{ n: number }, string>(
      {
        create: () => ({ n: ++created }),
        start: (value) => log.push(`start ${value.n}`),
        dispose: (value) => log.push(`dispose ${value.n}`),
      },
      clock,
      inspect,
    );
    const advance = (ms: number) => {
      for (let left = ms; left > 0; left -= Math.min(left, 50)) clock.increment(Math.min(left, 50));
    };
    const timers = () => (clock as unknown as { timeouts: Map<unknown, unknown> }).timeouts.size;
    expect(timers()).toBe(0);
    // clear → holding: a render's value; a commit starts it: holding → clear, no timer left.
    const user = {};
    shared.peek('a', 'a', 'a');
    expect(states.at(-1)).toBe('holding');
    expect(timers()).toBe(1);
    shared.acquire('a', user, 'a', 'a');
    expect(states.at(-1)).toBe('clear');
    expect(timers()).toBe(0);
    // A render that never commits: swept within one period (holding re-entered), then clear.
    shared.peek('b', 'b', 'b');
    expect(states.at(-1)).toBe('holding');
    advance(RESERVATION_SWEEP_MS + 50);
    expect(log).toEqual(['start 1', 'dispose 2']);
    expect(states.at(-1)).toBe('clear');
    expect(timers()).toBe(0);
    // A hold that outlives a sweep: renders in every period, each value swept in turn.
    shared.peek('c', 'c', 'c');
    advance(RESERVATION_SWEEP_MS / 2);
    shared.peek('d', 'd', 'd');
    advance(RESERVATION_SWEEP_MS / 2 + 50);
    expect(log).toContain('dispose 3');
    expect(states.at(-1)).toBe('holding');
    advance(RESERVATION_SWEEP_MS + 50);
    expect(log).toContain('dispose 4');
    expect(states.at(-1)).toBe('clear');
    expect(timers()).toBe(0);
    console.log('reservations chart coverage by the registry:', coverage.summary());
    expect(coverage.missing()).toEqual({ states: [], transitions: [] });
  });
});
