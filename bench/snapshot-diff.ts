/**
 * What grew between two V8 heap snapshots (.heapsnapshot, e.g. bench/drop-cycles.ts --snap-dir):
 * the count and self bytes of objects by type and name (a constructor's, a closure's function, a
 * string's first characters), the rows that grew most first.
 *
 *   node --import tsx bench/snapshot-diff.ts <before.heapsnapshot> <after.heapsnapshot> [--top 40] [--per N]
 *
 * `--per N` divides the differences by N (links, cycles).
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

const args = process.argv.slice(2);
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 40;
const perAt = args.indexOf('--per');
const per = perAt >= 0 ? Number(args.splice(perAt, 2)[1]) : 1;
const [beforeFile = '', afterFile = ''] = args;

/** count and self bytes by "type name" of one snapshot. */
function tally(file: string): Map<string, { count: number; bytes: number }> {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [
    number,
    number,
    number,
  ];
  const rows = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt] as number];
    let name = snap.strings[snap.nodes[i + nameAt] as number] ?? '';
    if (type === 'string' || type === 'concatenated string' || type === 'sliced string')
      name = name.slice(0, 40);
    const key = `${type} ${name}`;
    const row = rows.get(key) ?? { count: 0, bytes: 0 };
    row.count++;
    row.bytes += snap.nodes[i + sizeAt] as number;
    rows.set(key, row);
  }
  return rows;
}

const before = tally(beforeFile);
const after = tally(afterFile);
const diffs = [...new Set([...before.keys(), ...after.keys()])].map((key) => {
  const a = before.get(key) ?? { count: 0, bytes: 0 };
  const b = after.get(key) ?? { count: 0, bytes: 0 };
  return { key, count: b.count - a.count, bytes: b.bytes - a.bytes };
});
const total = diffs.reduce((sum, d) => sum + d.bytes, 0);
console.log(`self bytes ${total >= 0 ? '+' : ''}${(total / per).toFixed(0)} (per ${per})`);
for (const d of diffs.sort((x, y) => y.bytes - x.bytes).slice(0, top)) {
  console.log(
    `${(d.bytes / per).toFixed(1).padStart(10)} B ${(d.count / per).toFixed(2).padStart(8)} ×  ${d.key}`,
  );
}
