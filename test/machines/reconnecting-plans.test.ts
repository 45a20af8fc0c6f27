/**
 * `reconnecting` does not plan its retry on entry (BENCHMARKS.md round 36 (raise)): every edge into
 * it does, so an edge without a plan would wait a stale delay (or none) with a stale retry number.
 * Walked from the charts' definitions (every state's `on`, `always` and `after`, `connectionChart`
 * the drop-in's and `connectionMachine` with the features), not from a list: each edge whose target
 * is `reconnecting` (or a state in it) runs exactly one planning action — `planRetry`, or a named
 * action machines/connection-folds.ts says folds `planRetry` in — and the entry runs none and announces
 * after it. No chart carries the folds (they are the chart model's data, out of the browser bundles).
 */
import { describe, expect, it } from 'vitest';
import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { connectionChart, connectionMachine } from '../../machines/connection.machine.js';
import { CONNECTION_FOLDS } from '../../machines/connection-folds.js';

interface Edge {
  from: string;
  event: string;
  actions: readonly unknown[];
  meta: unknown;
}

/** Every state node under `node`, `node` first. */
function nodes(node: AnyStateNode): AnyStateNode[] {
  return [node, ...Object.values(node.states).flatMap(nodes)];
}

const nameOf = (action: unknown): unknown =>
  typeof action === 'string' ? action : (action as { type?: string } | null)?.type;

/** Every transition of `chart` (`on`, `always`, `after`) whose target is in `reconnecting`. */
function edgesIntoReconnecting(chart: AnyStateMachine): Edge[] {
  const reconnecting = chart.root.states.reconnecting as AnyStateNode;
  const inside = (t: AnyStateNode) => nodes(reconnecting).includes(t);
  return nodes(chart.root).flatMap((node) => {
    const all = [
      ...[...node.transitions].flatMap(([event, list]) => list.map((t) => [event, t] as const)),
      ...(node.always ?? []).map((t) => ['always', t] as const),
      ...node.after.map((t) => ['after', t] as const),
    ];
    return all
      .filter(([, t]) => (t.target ?? []).some(inside))
      .map(([event, t]) => ({
        from: node.id,
        event,
        actions: t.actions.map(nameOf),
        meta: t.meta,
      }));
  });
}

/** The actions of `edge` that plan the retry: `planRetry`, or a fold of it (machines/connection-folds.ts). */
const planning = (edge: Edge) =>
  edge.actions.filter(
    (a) =>
      a === 'planRetry' ||
      (typeof a === 'string' &&
        Object.hasOwn(CONNECTION_FOLDS, a) &&
        CONNECTION_FOLDS[a]?.includes('planRetry')),
  );

describe.each([
  ['connectionChart (drop-in)', connectionChart],
  ['connectionMachine (features)', connectionMachine],
] as const)('every edge into reconnecting plans the retry: %s', (_, chart) => {
  const edges = edgesIntoReconnecting(chart);

  it('finds the edges (the straight ones, disconnected decides, suspended resumes)', () => {
    expect(edges.map((e) => `${e.from} ${e.event}`).sort()).toEqual(
      expect.arrayContaining([
        'connection.attempt transport.closed',
        'connection.attempt.ready transport.closed',
        'connection.disconnected always',
        'connection.suspended reconnect.enable',
      ]),
    );
  });

  it.each(edges.map((e) => [`${e.from} ─${e.event}→`, e] as const))(
    '%s runs one planning action',
    (_, edge) => {
      expect(planning(edge), `actions ${JSON.stringify(edge.actions)}`).toHaveLength(1);
    },
  );

  it("no edge carries its folds (`meta`): the table is the chart model's, and names implemented actions", () => {
    expect(edges.map((e) => e.meta)).toEqual(edges.map(() => undefined));
    const implemented = Object.keys(chart.implementations.actions);
    for (const [fold, actions] of Object.entries(CONNECTION_FOLDS)) {
      expect(
        [fold, ...actions].filter((name) => !implemented.includes(name)),
        fold,
      ).toEqual([]);
    }
  });

  it('reconnecting plans nothing on entry, and announces what an edge planned', () => {
    const entry = (chart.root.states.reconnecting as AnyStateNode).entry.map(nameOf);
    expect(entry).not.toContain('planRetry');
    expect(entry).toContain('announceReconnecting');
  });
});
