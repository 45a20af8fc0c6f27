/**
 * Which edges of a chart a recorded step took: the edge of its event from the deepest state that
 * handles it (XState picks the deepest), then any eventless (`always`) edges it ran through on the
 * way (`ready ─transport.closed→ disconnected ─always→ reconnecting`). Only from the record's
 * `from`, `to` and event label: the page lights them for the selected actor.
 */
import type { LaidOutEdge } from '../protocol.js';

/** The event part of a label (`after heartbeatTimeout [tooManyMissed]` → `after heartbeatTimeout`). */
export function eventOf(label: string): string {
  const at = label.indexOf(' [');
  return at >= 0 ? label.slice(0, at) : label;
}

export const within = (path: string, ancestor: string): boolean =>
  ancestor === '' || path === ancestor || path.startsWith(`${ancestor}.`);

const depth = (path: string) => (path === '' ? 0 : path.split('.').length);

export function takenEdges(
  edges: readonly LaidOutEdge[],
  step: { event: string; from: string; to: string } | null,
): Set<string> {
  const taken = new Set<string>();
  if (!step?.from) return taken;
  const transient = new Set(edges.filter((e) => e.kind === 'always').map((e) => e.source));
  // Where a step may end: its `to`, or a transient state it passes through.
  const lands = (target: string) => within(step.to, target) || transient.has(target);
  const byEvent = edges.filter(
    (e) =>
      e.kind !== 'initial' &&
      within(step.from, e.source) &&
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
