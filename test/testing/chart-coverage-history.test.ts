/**
 * Chart coverage of a chart with a history state (`type: 'history'`): a history state is where a
 * transition goes back to a region's last state, never a state an actor is in, so it is not listed
 * as a state to cover (the transitions targeting it are). Before, it was listed, and stayed reported
 * missing however often the tests went through it: a chart with one could never reach full coverage.
 * The other shapes stay covered: parallel regions, a `#id` target, and one id in two charts.
 */
import { expect, it } from 'vitest';
import { createActor, createMachine } from 'xstate';
import { ChartCoverage, chartStates } from '../../src/testing/index.js';

const player = createMachine({
  id: 'player',
  type: 'parallel',
  states: {
    screen: {
      initial: 'on',
      states: { on: { id: 'lit', on: { DIM: 'off' } }, off: { on: { WAKE: '#lit' } } },
    },
    track: {
      initial: 'stopped',
      on: { RESUME: '.playing.last' },
      states: {
        stopped: { on: { PLAY: 'playing' } },
        playing: {
          initial: 'intro',
          on: { STOP: 'stopped' },
          states: { intro: { on: { NEXT: 'song' } }, song: {}, last: { type: 'history' } },
        },
      },
    },
  },
});
const other = createMachine({
  id: 'other',
  initial: 'a',
  states: { a: { id: 'lit', on: { GO: 'b' } }, b: {} },
});

it('a history state is no state to cover; transitions into it are, and count once taken', () => {
  expect(chartStates(player)).not.toContain('player.track.playing.last');
  const coverage = new ChartCoverage([player, other]);
  const actor = createActor(player, { inspect: coverage.observer }).start();
  for (const type of ['DIM', 'WAKE', 'PLAY', 'NEXT', 'STOP', 'RESUME']) actor.send({ type });
  expect(actor.getSnapshot().value).toEqual({ screen: 'on', track: { playing: 'song' } });
  createActor(other, { inspect: coverage.observer }).start().send({ type: 'GO' });
  expect(coverage.missing()).toEqual({ states: [], transitions: [] });
  expect(coverage.summary()).toEqual({
    player: { states: '9/9', transitions: '6/6' },
    other: { states: '3/3', transitions: '1/1' },
  });
});
