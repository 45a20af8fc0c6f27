/**
 * The ref-counted registry behind linkvisor/react's hooks (src/react/shared-registry.ts), driven
 * the way React drives it: peek during render, acquire in an effect, release in its cleanup.
 * StrictMode's simulated unmount/remount (release then acquire in one synchronous run) keeps the
 * value and starts it once; the last release disposes it one microtask later; values created by
 * renders that never committed (reservations) are disposed by the registry's reservations chart one
 * to two sweep periods (RESERVATION_SWEEP_MS) after their render, with no other call, and no timer
 * runs while none is held.
 *
 * Before (round 39): a reservation was disposed only by a later peek or acquire once it was 10 s
 * old (ORPHAN_AFTER_MS): with no later hook call, it stayed in `supervisor.list()` for good.
 */

import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { RESERVATION_SWEEP_MS } from '../../machines/policy/reservations.js';
import { SharedRegistry } from '../../src/react/shared-registry.js';

const PERIOD = RESERVATION_SWEEP_MS;

function registry() {
  const clock = new SimulatedClock();
  const log: string[] = [];
  let created = 0;
  const shared = new SharedRegistry<{ n: number; input: string }, string>(
    {
      create(input) {
        const value = { n: ++created, input };
        log.push(`create ${value.n} ${input}`);
        return value;
      },
      start(value) {
        log.push(`start ${value.n}`);
      },
      dispose(value) {
        log.push(`dispose ${value.n}`);
      },
    },
    clock,
  );
  // Small steps: one large increment fires only the timers due at its start (DESIGN.md §8).
  const advance = (ms: number) => {
    for (let left = ms; left > 0; left -= Math.min(left, 50)) clock.increment(Math.min(left, 50));
  };
  /** Timers the chart has pending. */
  const timers = () => (clock as unknown as { timeouts: Map<unknown, unknown> }).timeouts.size;
  return { shared, log, advance, timers };
}

const microtask = () => new Promise<void>((resolve) => queueMicrotask(resolve));

describe('SharedRegistry', () => {
  it('StrictMode: two renders, mount, unmount, mount: one value, started once, not disposed', async () => {
    const { shared, log } = registry();
    const user = {};
    const first = shared.peek('k', 'a', 'k');
    expect(shared.peek('k', 'a', 'k')).toBe(first);
    let entry = shared.acquire('k', user, 'a', 'k');
    shared.release(entry, user);
    entry = shared.acquire('k', user, 'a', 'k');
    await microtask();
    expect(entry.value).toBe(first);
    expect(log).toEqual(['create 1 a', 'start 1']);
    shared.release(entry, user);
    expect(log).toEqual(['create 1 a', 'start 1']);
    await microtask();
    expect(log).toEqual(['create 1 a', 'start 1', 'dispose 1']);
    expect(shared.size).toBe(0);
  });

  it('shared: disposed only after the last user releases', async () => {
    const { shared, log } = registry();
    const [one, two] = [{}, {}];
    shared.peek('k', 'a', 'k');
    const a = shared.acquire('k', one, 'a', 'k');
    const b = shared.acquire('k', two, 'b', 'k');
    expect(b).toBe(a);
    shared.release(a, one);
    await microtask();
    expect(log).toEqual(['create 1 a', 'start 1']);
    shared.release(b, two);
    await microtask();
    expect(log).toEqual(['create 1 a', 'start 1', 'dispose 1']);
  });

  it('the latest committed input wins; a user that leaves takes its input along', () => {
    const seen: (() => string)[] = [];
    const shared = new SharedRegistry<number, string>({
      create(_input, latest) {
        seen.push(latest);
        return 1;
      },
      start() {},
      dispose() {},
    });
    const [one, two] = [{}, {}];
    shared.peek('k', 'render', 'k');
    const latest = seen[0] as () => string;
    expect(latest()).toBe('render');
    const entry = shared.acquire('k', one, 'one@1', 'k');
    shared.acquire('k', two, 'two@1', 'k');
    expect(latest()).toBe('two@1');
    shared.commit(entry, one, 'one@2');
    expect(latest()).toBe('one@2');
    shared.release(entry, one);
    expect(latest()).toBe('two@1');
  });

  it('a key that changes: the old value is disposed, the new one started', async () => {
    const { shared, log } = registry();
    const user = {};
    shared.peek('k1', 'a', 'k1');
    const old = shared.acquire('k1', user, 'a', 'k1');
    shared.peek('k2', 'b', 'k2');
    shared.release(old, user);
    shared.acquire('k2', user, 'b', 'k2');
    await microtask();
    expect(log).toEqual(['create 1 a', 'start 1', 'create 2 b', 'start 2', 'dispose 1']);
  });

  it('a render that never committed: its idle value is disposed by the sweep one to two periods later, with no other call, never started', async () => {
    const { shared, log, advance, timers } = registry();
    expect(timers()).toBe(0);
    shared.peek('orphan', 'a', 'orphan');
    expect(shared.reserved).toBe(1);
    expect(timers()).toBe(1);
    advance(PERIOD / 2);
    shared.peek('later', 'b', 'later');
    advance(PERIOD / 2);
    await microtask();
    // The first sweep: the hold's first value (its start is a sweep boundary), not the later one.
    expect(log).toEqual(['create 1 a', 'create 2 b', 'dispose 1']);
    advance(PERIOD);
    await microtask();
    expect(log).toEqual(['create 1 a', 'create 2 b', 'dispose 1', 'dispose 2']);
    expect(shared.size).toBe(0);
    expect(shared.reserved).toBe(0);
    // Nothing held: no timer.
    expect(timers()).toBe(0);
  });

  it("a hold's first reservation goes one period after its render (the hold's start is a sweep boundary)", async () => {
    // Before (round 40's first cut): the first sweep of a hold disposed nothing (its reservations
    // were not held at a previous sweep), so a lone render's value waited two periods.
    const { shared, log, advance, timers } = registry();
    shared.peek('orphan', 'a', 'orphan');
    advance(PERIOD);
    await microtask();
    expect(log).toEqual(['create 1 a', 'dispose 1']);
    expect(timers()).toBe(0);
    // A hold begun again later: the same, from its own start.
    advance(PERIOD / 2);
    shared.peek('again', 'b', 'again');
    advance(PERIOD - 1);
    expect(log).toEqual(['create 1 a', 'dispose 1', 'create 2 b']);
    advance(1);
    expect(log).toEqual(['create 1 a', 'dispose 1', 'create 2 b', 'dispose 2']);
  });

  it('renders that keep coming never postpone a sweep: each value goes one to two periods after its render', async () => {
    const { shared, log, advance } = registry();
    for (let i = 1; i <= 8; i++) {
      shared.peek(`k${i}`, 'a', `k${i}`);
      advance(PERIOD / 2);
    }
    await microtask();
    // At 4 periods: the values made before the third sweep (at 2 periods) are gone, the rest held.
    expect(log.filter((line) => line.startsWith('dispose'))).toEqual([
      'dispose 1',
      'dispose 2',
      'dispose 3',
      'dispose 4',
      'dispose 5',
      'dispose 6',
    ]);
    expect(shared.reserved).toBe(2);
  });

  it('a value started before the sweep is kept; the last reservation started clears the timer', async () => {
    const { shared, log, advance, timers } = registry();
    shared.peek('k', 'a', 'k');
    expect(timers()).toBe(1);
    shared.acquire('k', {}, 'a', 'k');
    expect(timers()).toBe(0);
    advance(PERIOD * 3);
    expect(log).toEqual(['create 1 a', 'start 1']);
  });

  it('a commit later than the sweep acquires a fresh value (the hook renders again with it)', () => {
    const { shared, log, advance } = registry();
    const rendered = shared.peek('k', 'a', 'k');
    advance(PERIOD * 2);
    const entry = shared.acquire('k', {}, 'a', 'k');
    expect(entry.value).not.toBe(rendered);
    expect(log).toEqual(['create 1 a', 'dispose 1', 'create 2 a', 'start 2']);
  });

  it('a started value is never swept, however old', () => {
    const { shared, log, advance } = registry();
    shared.peek('k', 'a', 'k');
    shared.acquire('k', {}, 'a', 'k');
    shared.peek('other', 'b', 'other');
    advance(PERIOD * 10);
    expect(log).toEqual(['create 1 a', 'start 1', 'create 2 b', 'dispose 2']);
  });

  it("one request's renders that never committed (owned keys of one group): disposed a microtask after one of them commits; later ones, other groups and ungrouped keys kept", async () => {
    // React 18's StrictMode renders a mount twice with two owners (1, 2), and a mount that suspends
    // is rendered again with a new owner: each render peeks a key of its own in one group. A
    // sibling asking the same (owner 3) renders after them and commits in the same flush.
    const { shared, log } = registry();
    shared.peek('1|g', 'a', 'g');
    shared.peek('lone', 'x', 'lone');
    shared.peek('9|h', 'y', 'h');
    shared.peek('2|g', 'a', 'g');
    shared.peek('3|g', 'a', 'g');
    const kept = shared.acquire('2|g', {}, 'a', 'g');
    await microtask();
    expect(log).toEqual([
      'create 1 a',
      'create 2 x',
      'create 3 y',
      'create 4 a',
      'create 5 a',
      'start 4',
      'dispose 1',
    ]);
    const sibling = shared.acquire('3|g', {}, 'a', 'g');
    await microtask();
    expect(sibling.value.n).toBe(5);
    expect(kept.value.n).toBe(4);
    expect(log.slice(5)).toEqual(['start 4', 'dispose 1', 'start 5']);
    expect(shared.size).toBe(4);
  });
  it('a render costs the same however many values are held: peek and acquire look at no started value', async () => {
    // Before (round 32): every peek and acquire scanned every held value (the orphan sweep), and
    // every first acquire scanned them again (its group): 2,000 components with a URL function
    // each, rendered once, cost 10.5 ms in the registry alone, 10,000 cost 645 ms.
    const { shared, log } = registry();
    const held = Array.from({ length: 2000 }, (_, i) => shared.acquire(`${i}|g`, {}, 'a', 'g'));
    await microtask();
    let looked = 0;
    for (const entry of held) {
      for (const field of ['started', 'refs', 'group', 'generation', 'disposed'] as const) {
        let value = entry[field];
        Object.defineProperty(entry, field, {
          get: () => {
            looked++;
            return value;
          },
          set: (next) => {
            value = next;
          },
        });
      }
    }
    for (let i = 0; i < 2000; i++) shared.peek(`${i}|g`, 'a', 'g');
    shared.peek('new|g', 'a', 'g');
    shared.acquire('new|g', {}, 'a', 'g');
    await microtask();
    expect(looked).toBe(0);
    expect(log.slice(-2)).toEqual(['create 2001 a', 'start 2001']);
  });
});
