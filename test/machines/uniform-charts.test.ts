/**
 * The connection, socket and shard charts pass their configs through `uniformTransitions`
 * (machines/uniform-transitions.ts, BENCHMARKS.md round 17 (drop)). The pass changes how the
 * transitions are written, never what they are: each chart built with it has the definition it has
 * built from its config as written (the module replaced by the identity, the charts loaded again).
 * And it does what it is there for: every transition of `on` and `always` of these charts is built
 * from a prototype-less config with one key order (two orders: with and without a description).
 * That they share hidden classes in V8: test/size/transition-shape.test.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AnyStateMachine as Chart, AnyStateNode as Node } from 'xstate';

/** The three charts built through `uniformTransitions`, or (`asWritten`) from their configs as written. */
async function loadCharts(asWritten = false): Promise<Chart[]> {
  vi.resetModules();
  if (asWritten) {
    vi.doMock('../../machines/uniform-transitions.js', () => ({
      uniformTransitions: <T>(config: T) => config,
    }));
  } else {
    vi.doUnmock('../../machines/uniform-transitions.js');
  }
  return [
    (await import('../../machines/connection.machine.js')).connectionMachine,
    (await import('../../machines/socket.machine.js')).socketMachine,
    (await import('../../machines/shard.machine.js')).shardMachine,
  ];
}

afterEach(() => {
  vi.doUnmock('../../machines/uniform-transitions.js');
  vi.resetModules();
});

/** Every state node of a chart, the root first. */
function nodes(node: Node): Node[] {
  return [node, ...Object.values(node.states).flatMap(nodes)];
}

const isStateNode = (value: object): value is Node => 'machine' in value && 'path' in value && 'id' in value;

/**
 * `value` as plain data to compare two builds of a chart: a state node is its id, a function its
 * source (with its own keys: a guard of `and()` carries its guards) and an `undefined` key absent
 * (XState reads it as absent).
 */
function plain(value: unknown, seen = new Set<unknown>()): unknown {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return value;
  if (typeof value === 'object' && isStateNode(value)) return `#${value.id}`;
  if (seen.has(value)) throw new Error('a cycle in a chart definition');
  const inner = new Set(seen).add(value);
  if (Array.isArray(value)) return value.map((item) => plain(item, inner));
  const entries = Object.entries(value).filter(([, item]) => item !== undefined);
  const data = Object.fromEntries(entries.map(([key, item]) => [key, plain(item, inner)]));
  return typeof value === 'function' ? { function: String(value), ...data } : data;
}

/** A chart as XState built it: its definition, plus what the definition leaves out (`always`, `after`). */
const built = (chart: Chart) => ({
  definition: plain(chart.definition),
  always: nodes(chart.root).map((node) => [node.id, plain(node.always)]),
  after: nodes(chart.root).map((node) => [node.id, plain(node.after)]),
});

describe('the charts through uniformTransitions', () => {
  it('connection, socket, shard: the definition built from the chart as written, transition for transition', async () => {
    const asWritten = await loadCharts(true);
    const uniform = await loadCharts();
    expect(uniform.map((chart) => chart.id)).toEqual(['connection', 'socket', 'shard']);
    expect(uniform.map(built)).toEqual(asWritten.map(built));
    const count = (chart: Chart) =>
      nodes(chart.root)
        .flatMap((node) => [...node.transitions.values(), node.always ?? []])
        .flat().length;
    for (const chart of asWritten) expect(count(chart), chart.id).toBeGreaterThan(4);
  });

  it('every transition of `on` and `always`: a prototype-less config, one key order (and the description last)', async () => {
    const blank = ['target', 'actions', 'guard', 'reenter'];
    const xstate = ['source', 'eventType', 'toJSON'];
    for (const chart of await loadCharts()) {
      const orders = new Map<string, number>();
      for (const node of nodes(chart.root)) {
        const written = [...Object.values(node.config.on ?? {}), node.config.always].filter(Boolean).flat();
        for (const config of written) expect(Object.getPrototypeOf(config), chart.id).toBeNull();
        const events = Object.keys(node.config.on ?? {});
        const made = [
          ...events.flatMap((event) => node.transitions.get(event) ?? []),
          ...(node.always ?? []),
        ];
        for (const transition of made) {
          const order = Object.keys(transition).join();
          orders.set(order, (orders.get(order) ?? 0) + 1);
        }
      }
      const described = [...blank, 'description', ...xstate].join();
      expect(
        [...orders.keys()].filter((order) => order !== described),
        chart.id,
      ).toEqual(chart.id === 'shard' ? [] : [[...blank, ...xstate].join()]);
      expect(orders.get(described), chart.id).toBeGreaterThan(4);
    }
  });
});
