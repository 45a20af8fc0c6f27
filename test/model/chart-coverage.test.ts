/**
 * The coverage gate itself must be able to fail: a chart with a state and a transition that no
 * run reaches is reported as missing both.
 */
import { describe, expect, it } from 'vitest';
import { createActor, setup } from 'xstate';
import { ChartCoverage, chartStates, chartTransitions } from '../../src/testing/chart-coverage.js';

const toy = setup({ guards: { never: () => false } }).createMachine({
  id: 'toy',
  initial: 'a',
  states: {
    a: { on: { go: 'b', jump: { guard: 'never', target: 'unreachable' } } },
    b: { after: { 10: 'a' }, always: { guard: 'never', target: 'unreachable' } },
    unreachable: { type: 'final' },
  },
});

describe('chart coverage', () => {
  it('lists every state and transition of a chart, delayed and eventless ones included', () => {
    expect(chartStates(toy)).toEqual(['toy', 'toy.a', 'toy.b', 'toy.unreachable']);
    expect(chartTransitions(toy).map((t) => t.label)).toEqual([
      'toy.a —go→ toy.b',
      'toy.a —jump [never]→ toy.unreachable',
      'toy.b —after 10 ms→ toy.a',
      'toy.b —always [never]→ toy.unreachable',
    ]);
  });

  it('reports what a run did not reach, and nothing once everything is reached', () => {
    const coverage = new ChartCoverage([toy]);
    const actor = createActor(toy, { inspect: coverage.observer }).start();
    actor.send({ type: 'go' });
    actor.stop();
    expect(coverage.missing()).toEqual({
      states: ['toy.unreachable'],
      transitions: [
        'toy.a —jump [never]→ toy.unreachable',
        'toy.b —after 10 ms→ toy.a',
        'toy.b —always [never]→ toy.unreachable',
      ],
    });
    expect(coverage.summary()).toEqual({ toy: { states: '3/4', transitions: '1/4' } });
  });
});
