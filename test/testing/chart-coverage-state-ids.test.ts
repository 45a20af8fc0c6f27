/**
 * Chart coverage of a chart whose states have ids of their own (`id: 'done'`, the target of
 * `#done`, as XState charts often name them): a state is counted by its place in the chart, not by
 * its XState id. Before, the chart's states and transitions were listed by path (`app.waiting`)
 * and the run's by XState id (`waiting`): a state with its own id that the run entered, and every
 * transition leaving it, stayed reported missing however often the tests went through them.
 */
import { expect, it } from 'vitest';
import { createActor, createMachine } from 'xstate';
import { ChartCoverage } from '../../src/testing/index.js';

const app = createMachine({
  id: 'app',
  initial: 'idle',
  states: {
    idle: { on: { GO: 'waiting' } },
    waiting: {
      id: 'waiting',
      initial: 'inner',
      on: { CANCEL: '#done' },
      states: { inner: { on: { UP: 'outer' } }, outer: { id: 'outer', on: { DOWN: 'inner' } } },
    },
    finished: { id: 'done', type: 'final' },
  },
});

it('states with ids of their own, and the transitions leaving them, count once gone through', () => {
  const coverage = new ChartCoverage([app]);
  const actor = createActor(app, { inspect: coverage.observer }).start();
  for (const type of ['GO', 'UP', 'DOWN', 'CANCEL']) actor.send({ type });
  expect(actor.getSnapshot().status).toBe('done');
  expect(coverage.missing()).toEqual({ states: [], transitions: [] });
  expect(coverage.summary()).toEqual({ app: { states: '6/6', transitions: '4/4' } });
});
