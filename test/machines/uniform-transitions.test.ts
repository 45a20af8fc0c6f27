/**
 * machines/uniform-transitions.ts, pure: every transition of `on` and `always`, at every depth,
 * becomes a config without a prototype whose keys are `target, actions, guard, reenter` in that
 * order (`undefined` where unwritten), then its description; nothing else of a state changes,
 * nothing is added and the config passed in is left as it was. The charts built through it:
 * test/machines/uniform-charts.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { uniformTransitions } from '../../machines/uniform-transitions.js';

/** A state config as the tests read it back (`uniformTransitions` returns its argument's type). */
interface Loose {
  [key: string]: unknown;
  on?: Record<string, unknown>;
  always?: unknown;
  states?: Record<string, Loose>;
}

const rewrite = (config: Loose): Loose => uniformTransitions(config);

/** The keys every rewritten transition config begins with, in their order. */
const BLANK_KEYS = ['target', 'actions', 'guard', 'reenter'];

/** `value`'s transitions as a list of configs (each checked: an own-key, prototype-less object). */
function configs(value: unknown): Record<string, unknown>[] {
  expect(Array.isArray(value), 'a list of transitions').toBe(true);
  for (const config of value as object[]) expect(Object.getPrototypeOf(config)).toBeNull();
  return value as Record<string, unknown>[];
}

/** The first of `value`'s transitions (see `configs`). */
const first = (value: unknown): Record<string, unknown> => configs(value)[0] ?? {};
/** An object's own keys, in their order. */
const keys = (value: unknown) => Reflect.ownKeys(value as object);
/** An object's own values, in their keys' order. */
const values = (value: unknown) => Object.values(value as object);

/** Every object in `value`, frozen (so that a write into the input throws). */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

describe('uniformTransitions: one transition', () => {
  it('a config: target, actions, guard, reenter first, then its description, without a prototype', () => {
    const out = rewrite({
      on: { go: { description: 'Goes there.', reenter: true, guard: 'ok', actions: 'act', target: 'there' } },
    });
    const go = first(out.on?.go);
    expect(keys(go)).toEqual([...BLANK_KEYS, 'description']);
    expect(values(go)).toEqual(['there', 'act', 'ok', true, 'Goes there.']);
  });

  it('an unwritten key is there, `undefined`; a config without a description has the four keys only', () => {
    const bare = first(rewrite({ on: { go: {} } }).on?.go);
    expect(keys(bare)).toEqual(BLANK_KEYS);
    expect(values(bare)).toEqual([undefined, undefined, undefined, undefined]);
    const some = first(rewrite({ on: { go: { actions: ['a', 'b'] } } }).on?.go);
    expect(keys(some)).toEqual(BLANK_KEYS);
    expect(some.actions).toEqual(['a', 'b']);
    expect(some.target).toBeUndefined();
  });

  it('a target written as a string becomes { target }', () => {
    const go = first(rewrite({ on: { go: 'there' } }).on?.go);
    expect(keys(go)).toEqual(BLANK_KEYS);
    expect(values(go)).toEqual(['there', undefined, undefined, undefined]);
  });

  it('a list keeps its order and length; each of its transitions is rewritten', () => {
    const out = rewrite({
      on: { go: [{ guard: 'first', target: 'a' }, 'b', { actions: 'third', description: 'Stays here.' }] },
    });
    const list = configs(out.on?.go);
    expect(list).toHaveLength(3);
    expect(list.map((one) => keys(one))).toEqual([BLANK_KEYS, BLANK_KEYS, [...BLANK_KEYS, 'description']]);
    expect(list.map((one) => values(one))).toEqual([
      ['a', undefined, 'first', undefined],
      ['b', undefined, undefined, undefined],
      [undefined, 'third', undefined, undefined, 'Stays here.'],
    ]);
    expect(configs(rewrite({ on: { go: [] } }).on?.go)).toEqual([]);
  });

  it('`always`: a config, a target or a list, rewritten the same way', () => {
    const one = first(rewrite({ always: { guard: 'ok', target: 'a' } }).always);
    expect(keys(one)).toEqual(BLANK_KEYS);
    expect(values(one)).toEqual(['a', undefined, 'ok', undefined]);
    const target = first(rewrite({ always: 'b' }).always);
    expect(values(target)).toEqual(['b', undefined, undefined, undefined]);
    const list = configs(rewrite({ always: [{ guard: 'ok', target: 'a' }, { target: 'b' }] }).always);
    expect(list.map((each) => each.target)).toEqual(['a', 'b']);
  });
});

describe('uniformTransitions: a state', () => {
  it('an `undefined` transition stays `undefined`, under its key', () => {
    const out = rewrite({ always: undefined, on: { quiet: undefined, go: 'a' }, states: undefined });
    expect(keys(out)).toEqual(['always', 'on', 'states']);
    expect(out.always).toBeUndefined();
    expect(out.states).toBeUndefined();
    expect(keys(out.on)).toEqual(['quiet', 'go']);
    expect(out.on?.quiet).toBeUndefined();
  });

  it('adds no key: a state without `always`, `on` or `states` keeps its own keys only', () => {
    const out = rewrite({ id: 'plain', initial: 'a', description: 'A state without transitions.' });
    expect(keys(out)).toEqual(['id', 'initial', 'description']);
    expect(keys(rewrite({}))).toEqual([]);
    expect(keys(rewrite({ on: {} }).on)).toEqual([]);
    expect(keys(rewrite({ states: {} }).states)).toEqual([]);
  });

  it('rewrites the states of states, at every depth, each a new object with its own keys', () => {
    const config: Loose = {
      initial: 'a',
      states: {
        a: {
          initial: 'inner',
          on: { leave: 'b' },
          states: { inner: { always: { target: 'deeper' } }, deeper: { type: 'final' } },
        },
        b: {},
      },
    };
    const out = rewrite(config);
    const a = out.states?.a as Loose;
    expect(keys(out.states)).toEqual(['a', 'b']);
    expect(a).not.toBe(config.states?.a);
    expect(keys(a)).toEqual(['initial', 'on', 'states']);
    expect(values(first(a.on?.leave))).toEqual(['b', undefined, undefined, undefined]);
    const inner = a.states?.inner as Loose;
    expect(values(first(inner.always))).toEqual(['deeper', undefined, undefined, undefined]);
    expect(a.states?.deeper).toEqual({ type: 'final' });
    expect(out.states?.b).toEqual({});
    expect(out.states?.b).not.toBe(config.states?.b);
  });

  it('leaves every other key as written (the same value): after, invoke, entry, exit, context, meta…', () => {
    const config: Loose = {
      id: 'chart',
      context: () => ({ n: 0 }),
      entry: ['a', 'b'],
      exit: 'c',
      after: { wait: { target: 'x' }, later: 'y' },
      invoke: { src: 'transport', onDone: 'z' },
      meta: { note: 'kept' },
      tags: ['t'],
      type: 'parallel',
      description: 'The chart.',
    };
    const out = rewrite(config);
    expect(out).not.toBe(config);
    expect(keys(out)).toEqual(keys(config));
    for (const key of Object.keys(config)) expect(out[key], key).toBe(config[key]);
  });

  it('leaves the config it is given as it was (a frozen config goes through)', () => {
    const make = (): Loose => ({
      always: 'a',
      on: { go: [{ target: 'b' }, 'c'], stay: { actions: 'x' } },
      states: { b: { on: { back: 'a' } }, c: {} },
    });
    const config = deepFreeze(make());
    const out = rewrite(config);
    expect(config).toEqual(make());
    expect(configs(out.on?.go)).toHaveLength(2);
  });
});
