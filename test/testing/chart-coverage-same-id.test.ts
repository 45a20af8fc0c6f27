/**
 * Chart coverage counts a chart's own runs, not those of another chart that shares its id: an
 * application's machines without an id are all XState's '(machine)', and their states often share
 * names (`idle`, `busy`). Before, coverage was keyed by the id alone: a chart that never ran was
 * reported fully covered by another one's run (the gate passed), and two such charts listed
 * together counted as one. Now a run counts for the listed chart it runs (itself, a provided copy,
 * a started chart of one), and two different charts of one id are refused, naming the second.
 */
import { describe, expect, it } from 'vitest';
import { createActor, createMachine } from 'xstate';
import { ChartCoverage } from '../../src/testing/index.js';

/** Two different charts of the application's, both unnamed ('(machine)'), with the same state names. */
const toggle = createMachine({
  initial: 'idle',
  states: { idle: { on: { GO: 'busy' } }, busy: { on: { STOP: 'idle' } } },
});
const poller = createMachine({
  initial: 'idle',
  states: { idle: { on: { GO: 'busy' } }, busy: { on: { STOP: 'idle' } } },
});

function runThrough(machine: typeof toggle, coverage: ChartCoverage) {
  const actor = createActor(machine, { inspect: coverage.observer }).start();
  actor.send({ type: 'GO' });
  actor.send({ type: 'STOP' });
  actor.stop();
}

describe('ChartCoverage: charts that share an id', () => {
  it('a chart that never ran is missing everything, whatever another chart of its id went through', () => {
    expect(toggle.id).toBe(poller.id);
    const coverage = new ChartCoverage([toggle]);
    runThrough(poller, coverage);
    expect(coverage.missing()).toEqual({
      states: ['(machine).idle', '(machine).busy'],
      transitions: ['(machine).idle —GO→ (machine).busy', '(machine).busy —STOP→ (machine).idle'],
    });
    expect(coverage.summary()).toEqual({ '(machine)': { states: '1/3', transitions: '0/2' } });
  });

  it("a provided copy of the listed chart is the chart's run", () => {
    const coverage = new ChartCoverage([toggle]);
    runThrough(toggle.provide({}), coverage);
    expect(coverage.missing()).toEqual({ states: [], transitions: [] });
  });

  it('two different charts of one id are refused, naming the second (the same chart twice is one)', () => {
    expect(() => new ChartCoverage([toggle, poller])).toThrow(
      expect.objectContaining({
        code: 'LV_ERR_INVALID_OPTION',
        option: 'machines[1]',
        message: expect.stringContaining("has the id '(machine)' of machines[0]"),
      }),
    );
    const coverage = new ChartCoverage([toggle, toggle]);
    runThrough(toggle, coverage);
    expect(coverage.missing()).toEqual({ states: [], transitions: [] });
  });
});
