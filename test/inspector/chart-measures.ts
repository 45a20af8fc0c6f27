/**
 * How well a laid-out chart reads, counted on what the page draws: crossings between edges, edge
 * segments through a state that is not their source or target (through its box if it is a leaf,
 * through its title band if it is a compound state), edge labels overlapping each other or a state,
 * and the drawing's size. Shared by test/inspector/layout.test.ts and throwaway measuring scripts.
 */
import type { LaidOutChart, LaidOutState } from '../../src/inspector/protocol.js';

/** A point of an edge as the layout places it. */
export type Point = { x: number; y: number };

/** A rectangle in the chart's coordinates. */
export type Box = { x: number; y: number; width: number; height: number };

/** The measures of one chart. */
export interface ChartMeasures {
  edges: number;
  crossings: number;
  /** Edge segments that pass through a state (box or title band) they neither leave nor enter. */
  throughStates: number;
  /** Pairs of edge labels that overlap, and labels over a state's box or title band. */
  labelOverlaps: number;
  /** Edge segments through another edge's label. */
  throughLabels: number;
  width: number;
  height: number;
  /** width / height */
  aspect: number;
}

type Segment = readonly [Point, Point];

const segmentsOf = (points: Point[]): Segment[] =>
  points.slice(1).map((p, i) => [points[i] as Point, p] as const);

/** Crossings between orthogonal segments of different edges. */
export function crossings(edges: Point[][]): number {
  const segments = edges.map(segmentsOf);
  const inside = (v: number, a: number, b: number) => v > Math.min(a, b) + 0.5 && v < Math.max(a, b) - 0.5;
  let n = 0;
  for (let i = 0; i < segments.length; i++) {
    for (let j = i + 1; j < segments.length; j++) {
      for (const a of segments[i] ?? []) {
        for (const b of segments[j] ?? []) {
          const aFlat = a[0].y === a[1].y;
          if (aFlat === (b[0].y === b[1].y)) continue;
          const [flat, upright] = aFlat ? [a, b] : [b, a];
          if (inside(upright[0].x, flat[0].x, flat[1].x) && inside(flat[0].y, upright[0].y, upright[1].y))
            n++;
        }
      }
    }
  }
  return n;
}

/** Whether two boxes overlap by more than a pixel each way. */
export function overlaps(a: Box, b: Box): boolean {
  return (
    Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x) > 1 &&
    Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) > 1
  );
}

/** Whether an axis-parallel segment runs through the inside of a box (not along or at its edge). */
function through(segment: Segment, box: Box): boolean {
  const [a, b] = segment;
  const x0 = Math.min(a.x, b.x);
  const x1 = Math.max(a.x, b.x);
  const y0 = Math.min(a.y, b.y);
  const y1 = Math.max(a.y, b.y);
  return x1 > box.x + 1 && x0 < box.x + box.width - 1 && y1 > box.y + 1 && y0 < box.y + box.height - 1;
}

const compound = (s: LaidOutState) => s.type === 'compound' || s.type === 'parallel';

/** What of a state nothing else should cover: a leaf's box, a compound state's title band. */
export function solidPart(state: LaidOutState): Box {
  if (!compound(state)) return state;
  const band = 24 + (state.notes.length + (state.grace?.text.length ?? 0)) * 15;
  return { x: state.x, y: state.y, width: state.width, height: Math.min(band, state.height) };
}

const within = (path: string, ancestor: string) =>
  ancestor === '' || path === ancestor || path.startsWith(`${ancestor}.`);

/** Edge segments through a state's solid part, the edge's own ends (and their ancestors) excepted. */
export function edgesThroughStates(chart: LaidOutChart): number {
  let n = 0;
  for (const edge of chart.edges) {
    for (const state of chart.states) {
      if (within(edge.source, state.path) || within(edge.target, state.path)) continue;
      const box = solidPart(state);
      n += segmentsOf(edge.points).filter((s) => through(s, box)).length;
    }
  }
  return n;
}

/** Label boxes overlapping another label, or a state's solid part. */
export function labelOverlaps(chart: LaidOutChart): number {
  const labels = chart.edges.flatMap((e) => (e.labelBox ? [e.labelBox] : []));
  let n = 0;
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) if (overlaps(labels[i] as Box, labels[j] as Box)) n++;
    for (const state of chart.states) if (overlaps(labels[i] as Box, solidPart(state))) n++;
  }
  return n;
}

/** Edge segments through the label of another edge; edges that leave from the same point (pairs
 * drawn through one junction's trunk, whose label they share) do not count against each other. */
export function edgesThroughLabels(chart: LaidOutChart): number {
  const same = (a: Point | undefined, b: Point | undefined) => a?.x === b?.x && a?.y === b?.y;
  let n = 0;
  for (const edge of chart.edges) {
    for (const other of chart.edges) {
      if (other === edge || !other.labelBox || same(other.points[0], edge.points[0])) continue;
      const box = other.labelBox;
      n += segmentsOf(edge.points).filter((s) => through(s, box)).length;
    }
  }
  return n;
}

/** Every measure of a laid-out chart. */
export function measureChart(chart: LaidOutChart): ChartMeasures {
  return {
    edges: chart.edges.length,
    crossings: crossings(chart.edges.map((e) => e.points)),
    throughStates: edgesThroughStates(chart),
    labelOverlaps: labelOverlaps(chart),
    throughLabels: edgesThroughLabels(chart),
    width: chart.width,
    height: chart.height,
    aspect: Math.round((chart.width / Math.max(1, chart.height)) * 100) / 100,
  };
}
