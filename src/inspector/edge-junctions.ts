/**
 * `edgeJunctions(pairs)`: which arrows of a chart the layout draws through a shared junction. When
 * several states each enter one compound state at the same few states inside it (the connection
 * chart's idle, disconnected, reconnecting, rejoining and coolingDown each start an attempt at
 * `resolving`, `connecting` or `ready`, by the link's configuration), drawing every pair as its
 * own arrow gives sources × targets long edges that cross each other. Drawn through one junction
 * inside the compound state, each source has one trunk (labelled with its transitions) into the
 * junction and each target one branch out of it: sources + targets edges. The page still gets one
 * edge per pair of states (the trunk's points, then the branch's), so lighting and hiding a
 * transition works as before.
 */

import type { ElkExtendedEdge } from 'elkjs/lib/elk-api.js';

/** A pair of states the chart draws an arrow between (source and target are state paths). */
export interface StatePair {
  source: string;
  target: string;
}

/** Arrows from `sources` to `targets`, drawn through one junction placed inside `parent`. */
export interface EdgeJunction {
  /** The junction's layout node id. */
  id: string;
  /** The compound state (path) entered: the junction is laid out among its children. */
  parent: string;
  sources: string[];
  targets: string[];
}

const within = (path: string, ancestor: string) =>
  ancestor === '' || path === ancestor || path.startsWith(`${ancestor}.`);

/** The outermost state holding `target` but not `source` ('' if none: they are siblings at the root). */
function entered(source: string, target: string): string {
  const parts = target.split('.');
  for (let i = 1; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join('.');
    if (!within(source, prefix)) return prefix;
  }
  return '';
}

/**
 * The junctions that draw fewer edges than the pairs they stand for: sources that each enter one
 * compound state at the same two or more states inside it, where sources × targets > sources +
 * targets. Pairs that form no junction are drawn as arrows of their own.
 */
export function edgeJunctions(pairs: readonly StatePair[]): EdgeJunction[] {
  // Per source and compound state entered: the states inside it that the source enters.
  const fans = new Map<string, { source: string; parent: string; targets: Set<string> }>();
  for (const { source, target } of pairs) {
    const parent = entered(source, target);
    if (parent === '' || parent === target) continue;
    const key = `${source}|${parent}`;
    const fan = fans.get(key) ?? { source, parent, targets: new Set<string>() };
    fan.targets.add(target);
    fans.set(key, fan);
  }
  const groups = new Map<string, EdgeJunction>();
  for (const { source, parent, targets } of fans.values()) {
    if (targets.size < 2) continue;
    const list = [...targets].sort();
    const key = `${parent}|${list.join('|')}`;
    const group = groups.get(key) ?? {
      id: `${parent}#junction${groups.size}`,
      parent,
      sources: [],
      targets: list,
    };
    group.sources.push(source);
    groups.set(key, group);
  }
  return [...groups.values()].filter(
    (g) => g.sources.length * g.targets.length > g.sources.length + g.targets.length,
  );
}

/** A pair's edge drawn through a junction: its trunk, its branch, its lines in the trunk's label. */
export interface JunctionRoute {
  source: string;
  target: string;
  /** Layout edge ids of the trunk (source → junction) and of the branch (junction → target). */
  trunk: string;
  branch: string;
  /** The first of the pair's lines among the trunk label's lines, and how many. */
  offset: number;
  count: number;
}

/** A pair of states with its edge id and the transitions it draws. */
export interface IdentifiedPair<T> extends StatePair {
  id: string;
  list: T[];
}

/**
 * The layout's edges for `pairs` through `junctions`: a trunk per source and junction, labelled
 * (`edgeOf`) with the source's transitions into the junction's targets, in the source's order; an
 * unlabelled branch per junction and target; and each pair's route. Pairs in no junction are
 * returned as `rest`.
 */
export function junctionEdges<T>(
  junctions: readonly EdgeJunction[],
  pairs: readonly IdentifiedPair<T>[],
  edgeOf: (list: T[], source: string, target: string, id: string) => ElkExtendedEdge,
): { edges: ElkExtendedEdge[]; routes: Map<string, JunctionRoute>; rest: IdentifiedPair<T>[] } {
  const rest: IdentifiedPair<T>[] = [];
  const trunks = new Map<string, { junction: EdgeJunction; source: string; parts: IdentifiedPair<T>[] }>();
  for (const pair of pairs) {
    const junction = junctions.find(
      (j) => j.sources.includes(pair.source) && j.targets.includes(pair.target),
    );
    if (!junction) {
      rest.push(pair);
      continue;
    }
    const key = `${junction.id}|${pair.source}`;
    const trunk = trunks.get(key) ?? { junction, source: pair.source, parts: [] };
    trunk.parts.push(pair);
    trunks.set(key, trunk);
  }
  const edges: ElkExtendedEdge[] = junctions.flatMap((j) =>
    j.targets.map((target) => ({ id: `${j.id}→${target}`, sources: [j.id], targets: [target] })),
  );
  const routes = new Map<string, JunctionRoute>();
  for (const [key, { junction, source, parts }] of trunks) {
    edges.push(
      edgeOf(
        parts.flatMap((p) => p.list),
        source,
        junction.id,
        key,
      ),
    );
    let offset = 0;
    for (const { id, target, list } of parts) {
      routes.set(id, {
        source,
        target,
        trunk: key,
        branch: `${junction.id}→${target}`,
        offset,
        count: list.length,
      });
      offset += list.length;
    }
  }
  return { edges, routes, rest };
}

type Point = { x: number; y: number };

/** A trunk's points then its branch's, met at the junction (an orthogonal corner if they miss). */
export function joinedPoints(trunk: readonly Point[], branch: readonly Point[]): Point[] {
  const end = trunk[trunk.length - 1] as Point;
  const start = branch[0] as Point;
  if (end.x === start.x && end.y === start.y) return [...trunk, ...branch.slice(1)];
  if (end.x === start.x || end.y === start.y) return [...trunk, ...branch];
  return [...trunk, { x: start.x, y: end.y }, ...branch];
}
