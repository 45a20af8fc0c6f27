/**
 * `graceBadges(model, lines)`: the badge of each grace state of a chart (a state marked
 * `meta: { graceFor: '<sibling>' }`, machines/chart-model.ts). A grace state waits a little longer
 * for what its sibling waited for, so it repeats some of the sibling's transitions (connectGrace
 * takes connecting's `transport.open` and `link.close`). Drawn again, those copies double the
 * edges around the pair and cross the rest of the chart (28 crossings against 15 on the connection
 * chart, BENCHMARKS.md round 14 (drawing)): the layout leaves them out, the sibling's edges stand
 * for them, and the grace state shows them as a badge (`also as connecting on` and the events).
 */
import { type ChartModel, type ChartTransition, graceCopies, graceNote } from '../../machines/chart-model.js';
import { transitionLabel } from '../../machines/to-mermaid.js';
import type { EdgeLine, GraceBadge } from './protocol.js';

/** The longest line of events in a badge, in characters (more events wrap onto the next line). */
const BADGE_LINE_CHARS = 28;

const keyOf = (path: string) => path.slice(path.lastIndexOf('.') + 1);

/** The badge's text: the heading naming the sibling, then the copied events, comma separated. */
export function badgeText(copies: readonly ChartTransition[]): string[] {
  const { heading, events } = graceNote(copies);
  const text = [heading];
  let line = '';
  for (const event of events) {
    const next = line ? `${line}, ${event}` : event;
    if (line && next.length > BADGE_LINE_CHARS) {
      text.push(`${line},`);
      line = event;
    } else {
      line = next;
    }
  }
  if (line) text.push(line);
  return text;
}

/** Each grace state's badge, by path; a grace state that repeats nothing of its sibling has none. */
export function graceBadges(
  model: ChartModel,
  lines: ReadonlyMap<ChartTransition, EdgeLine>,
): Map<string, GraceBadge> {
  const badges = new Map<string, GraceBadge>();
  for (const [path, list] of graceCopies(model)) {
    badges.set(path, {
      of: list[0]?.repeats as string,
      copies: list.map((t) => lines.get(t) as EdgeLine),
      text: badgeText(list),
      detail: list.map((t) => {
        const to = t.targets.map(keyOf).join(', ');
        return to ? `${transitionLabel(t)} → ${to}` : `↺ ${transitionLabel(t)}`;
      }),
    });
  }
  return badges;
}
