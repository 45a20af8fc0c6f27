/**
 * coveringWalks on small graphs: every node on some walk, one walk per end node when the live
 * nodes fit in the walks to them (and one to stop in a live group none of them ends in), every live group ends a walk, an edge `step` refuses is not
 * taken, and a node a walk's real step does not lead to is recorded where the walk really went.
 */
import { describe, expect, it } from 'vitest';
import { type CoveringWalk, coveringWalks, type WalkGraph } from '../../src/testing/covering-walks.js';

/** A graph from a table of edges `from -event-> to`; a node with no edges ends a walk. */
function graphOf(
  table: Record<string, Record<string, string>>,
  overrides: Partial<WalkGraph<string, string>> = {},
): WalkGraph<string, string> {
  const edges = (key: string) => Object.entries(table[key] ?? {}).map(([event, to]) => ({ event, to }));
  return {
    root: 'a',
    start: 'a',
    edges,
    isEnd: (key) => edges(key).length === 0,
    group: (key) => key,
    step: (position, event) => {
      const to = table[position]?.[event];
      return to === undefined ? null : { key: to, position: to };
    },
    ...overrides,
  };
}

const nodes = (walks: CoveringWalk<string, string>[]) => new Set(walks.flatMap((w) => w.keys));

describe('coveringWalks', () => {
  it('walks a chain with branches to final nodes in one walk per final node', () => {
    // a → b → c → d, and each of b, c, d can end in its own final node.
    // Every live node is in one group ("running"): the walks to the final nodes end in none of it,
    // so a last walk (here: no event at all) stops in it.
    const graph = graphOf(
      {
        a: { next: 'b' },
        b: { next: 'c', stop: 'xb' },
        c: { next: 'd', stop: 'xc' },
        d: { stop: 'xd' },
      },
      { group: (key) => (key.startsWith('x') ? key : 'running') },
    );
    const walks = coveringWalks(graph);
    expect(nodes(walks)).toEqual(new Set(['a', 'b', 'c', 'd', 'xb', 'xc', 'xd']));
    expect(walks.map((w) => w.keys.at(-1)).sort()).toEqual(['a', 'xb', 'xc', 'xd']);
    // The first walk goes on to the far end instead of stopping at the first final node.
    expect(walks[0]?.events).toEqual(['next', 'next', 'next', 'stop']);
    expect(walks[0]?.positions).toEqual(walks[0]?.keys);
  });

  it('ends a walk in every live node that no walk ends in otherwise (one per group)', () => {
    const graph = graphOf({ a: { next: 'b' }, b: { back: 'a' } });
    // No end node at all: a, b are live and each is where some walk ends.
    const walks = coveringWalks(graph, { lookahead: 1 });
    expect(nodes(walks)).toEqual(new Set(['a', 'b']));
    expect(new Set(walks.map((w) => w.keys.at(-1)))).toEqual(new Set(['a', 'b']));
  });

  it('keeps walks within maxSteps beyond the route to their first new node', () => {
    const table: Record<string, Record<string, string>> = {};
    for (let i = 0; i < 50; i++) table[`n${i}`] = { next: `n${i + 1}` };
    table.a = { go: 'n0' };
    const walks = coveringWalks(graphOf(table), { maxSteps: 10, lookahead: 2 });
    expect(nodes(walks).size).toBe(52);
    expect(walks.length).toBeGreaterThan(1);
    // Beyond the route through nodes earlier walks took, at most maxSteps events.
    const seen = new Set(['a']);
    for (const walk of walks) {
      let route = 0;
      while (seen.has(walk.keys[route + 1] as string)) route++;
      expect(walk.events.length - route).toBeLessThanOrEqual(10);
      for (const key of walk.keys) seen.add(key);
    }
  });

  it('does not take an edge its step refuses, and records where a step really leads', () => {
    // The plan says a -x-> b, but really x leads to c; a -y-> b is refused.
    const graph = graphOf(
      { a: { x: 'b', y: 'b' }, b: { z: 'end' }, c: { z: 'end2' } },
      {
        step: (position, event) => {
          if (position === 'a' && event === 'y') return null;
          if (position === 'a' && event === 'x') return { key: 'c', position: 'c' };
          const to = { b: { z: 'end' }, c: { z: 'end2' } }[position]?.[event as 'z'];
          return to === undefined ? null : { key: to, position: to };
        },
      },
    );
    const walks = coveringWalks(graph);
    expect(walks.every((w) => !w.events.includes('y'))).toBe(true);
    // b is not reachable for real: no walk records it; c and end2 are where x really goes.
    expect(nodes(walks).has('b')).toBe(false);
    expect(nodes(walks).has('c')).toBe(true);
  });
});
