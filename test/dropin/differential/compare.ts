/**
 * Comparing the recordings of the differential harness: every (scenario, field) where a peer's
 * recording differs from linkvisor/ws's is a `Difference`; the allow-list (allow-list.ts) must
 * explain each one with a reason in docs/migration.md. `formatTable` prints them side by side.
 */
import { FIELDS, type Field, type Recording } from './record.js';

export type Peer = 'partysocket' | 'reconnecting-websocket';
export type Results = Record<string, Recording>;

export interface Difference {
  peer: Peer;
  scenario: string;
  field: Field;
  theirs: string[];
  ours: string[];
}

export function differences(peer: Peer, theirs: Results, ours: Results): Difference[] {
  const found: Difference[] = [];
  for (const scenario of Object.keys(ours)) {
    const mine = ours[scenario];
    const other = theirs[scenario];
    if (!mine || !other) continue;
    for (const field of FIELDS) {
      if (JSON.stringify(mine[field]) !== JSON.stringify(other[field])) {
        found.push({ peer, scenario, field, theirs: other[field], ours: mine[field] });
      }
    }
  }
  return found;
}

/** A compact side-by-side rendering: the lines that differ, marked `-` (theirs) and `+` (ours). */
function sideBySide(theirs: string[], ours: string[]): string[] {
  const lines: string[] = [];
  const length = Math.max(theirs.length, ours.length);
  for (let i = 0; i < length; i++) {
    const a = theirs[i];
    const b = ours[i];
    if (a === b) lines.push(`    ${a}`);
    else {
      if (a !== undefined) lines.push(`  - ${a}`);
      if (b !== undefined) lines.push(`  + ${b}`);
    }
  }
  return lines;
}

export function formatTable(diffs: Difference[], reasonOf: (d: Difference) => string | undefined): string {
  const out: string[] = [];
  out.push(`${diffs.length} differences (- theirs, + linkvisor/ws)`);
  for (const d of diffs) {
    const reason = reasonOf(d) ?? 'NOT IN THE ALLOW-LIST';
    out.push(`\n[${d.peer}] ${d.scenario} · ${d.field} → ${reason}`);
    out.push(...sideBySide(d.theirs, d.ours));
  }
  return out.join('\n');
}
