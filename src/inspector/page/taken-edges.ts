/**
 * Which edges of a chart a recorded step took: the edge of its event from the deepest state that
 * handles it (XState picks the deepest), then any eventless (`always`) edges it ran through on the
 * way (`ready ─transport.closed→ disconnected ─always→ reconnecting`). Only from the record's
 * `from`, `to` and event label: the page lights them for the selected actor.
 *
 * A step a grace state took through one of its copies of its sibling's transitions (connectGrace's
 * `transport.open`, drawn only from connecting: ../grace-badges.ts) lights the sibling's edge of
 * that event: the sibling stands in for the grace state (`graceStandIns`).
 */
import type { LaidOutEdge, LaidOutState } from '../protocol.js';

/** The event part of a label (`after heartbeatTimeout [tooManyMissed]` → `after heartbeatTimeout`). */
export function eventOf(label: string): string {
  const at = label.indexOf(' [');
  return at >= 0 ? label.slice(0, at) : label;
}

export const within = (path: string, ancestor: string): boolean =>
  ancestor === '' || path === ancestor || path.startsWith(`${ancestor}.`);

const depth = (path: string) => (path === '' ? 0 : path.split('.').length);

/** A step as the page reads it from a timeline record. */
export interface Step {
  event: string;
  from: string;
  to: string;
}

/**
 * The grace states a step left through a copy of their sibling's transition (the step's `from` is
 * in the grace state, and its badge lists the step's event), with the sibling that stands in for
 * each: `attempt.connectGrace` → `attempt.connecting` for a late `transport.open`.
 */
export function graceStandIns(
  states: readonly Pick<LaidOutState, 'path' | 'grace'>[],
  step: Step | null,
): Map<string, string> {
  const out = new Map<string, string>();
  if (!step?.from) return out;
  for (const { path, grace } of states) {
    if (!grace || !within(step.from, path)) continue;
    if (grace.copies.some((line) => eventOf(line.text) === step.event)) out.set(path, grace.of);
  }
  return out;
}

/** Edges a step took; `standIns` (`graceStandIns`) lets a sibling's edges explain a grace state's step. */
export function takenEdges(
  edges: readonly LaidOutEdge[],
  step: Step | null,
  standIns: ReadonlyMap<string, string> = new Map(),
): Set<string> {
  const taken = new Set<string>();
  if (!step?.from) return taken;
  const siblings = new Set(standIns.values());
  const transient = new Set(edges.filter((e) => e.kind === 'always').map((e) => e.source));
  // Where a step may end: its `to`, or a transient state it passes through.
  const lands = (target: string) => within(step.to, target) || transient.has(target);
  const byEvent = edges.filter(
    (e) =>
      e.kind !== 'initial' &&
      (within(step.from, e.source) || siblings.has(e.source)) &&
      e.lines.some((l) => l.kind !== 'always' && eventOf(l.text) === step.event) &&
      lands(e.target),
  );
  const deepest = Math.max(-1, ...byEvent.map((e) => depth(e.source)));
  const handlers = byEvent.filter((e) => depth(e.source) === deepest);
  // An edge straight to where the step ended explains it alone (not a path through transients).
  const direct = handlers.filter((e) => e.target === step.to);
  const targets: string[] = [];
  for (const edge of direct.length > 0 ? direct : handlers) {
    taken.add(edge.id);
    targets.push(edge.target);
  }
  // Eventless edges out of where the step went, as far as they lead (a chain is short).
  for (let round = 0; round < 5; round++) {
    let more = false;
    for (const edge of edges) {
      if (taken.has(edge.id) || edge.kind !== 'always') continue;
      if (!targets.some((t) => within(edge.source, t)) || !lands(edge.target)) continue;
      taken.add(edge.id);
      targets.push(edge.target);
      more = true;
    }
    if (!more) break;
  }
  return taken;
}
