/**
 * Who owns what grew between two V8 heap snapshots of one process (bench/idle-snapshots.ts): every
 * object of the second that the first did not have (by node id), grouped by its type and name,
 * the property names of a plain object, and its first strong retainer (`Owner.edge`), with self
 * bytes and counts divided by `--per N` (links). The rows that grew most first.
 *
 *   node --import tsx bench/snapshot-owners.ts <before.heapsnapshot> <after.heapsnapshot> [--per N] [--top 80]
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: {
    meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

const args = process.argv.slice(2);
const option = (flag: string, fallback: number) => {
  const at = args.indexOf(flag);
  return at >= 0 ? Number(args.splice(at, 2)[1]) : fallback;
};
const per = option('--per', 1);
const top = option('--top', 80);
const [beforeFile = '', afterFile = ''] = args;

const load = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Snapshot;

function ids(snap: Snapshot): Set<number> {
  const fields = snap.snapshot.meta.node_fields;
  const width = fields.length;
  const idAt = fields.indexOf('id');
  const out = new Set<number>();
  for (let i = 0; i < snap.nodes.length; i += width) out.add(snap.nodes[i + idAt] as number);
  return out;
}

const old = ids(load(beforeFile));
const snap = load(afterFile);
const { node_fields, node_types, edge_fields, edge_types } = snap.snapshot.meta;
const width = node_fields.length;
const ewidth = edge_fields.length;
const [typeAt, nameAt, idAt, sizeAt, countAt] = ['type', 'name', 'id', 'self_size', 'edge_count'].map((f) =>
  node_fields.indexOf(f),
) as [number, number, number, number, number];
const [eTypeAt, eNameAt, eToAt] = ['type', 'name_or_index', 'to_node'].map((f) => edge_fields.indexOf(f)) as [
  number,
  number,
  number,
];
const nodeCount = snap.nodes.length / width;
const firstEdge = new Uint32Array(nodeCount + 1);
for (let n = 0; n < nodeCount; n++) firstEdge[n + 1] = (firstEdge[n] as number) + (snap.nodes[n * width + countAt] as number);
const nodeName = (n: number) => {
  const type = node_types[0][snap.nodes[n * width + typeAt] as number] as string;
  let name = snap.strings[snap.nodes[n * width + nameAt] as number] ?? '';
  if (type.includes('string')) name = JSON.stringify(name.slice(0, 30));
  return { type, name };
};
const edgeName = (e: number) => {
  const type = edge_types[0][snap.edges[e + eTypeAt] as number] as string;
  const raw = snap.edges[e + eNameAt] as number;
  return type === 'element' || type === 'hidden' ? `[${type === 'hidden' ? 'h' : ''}${raw}]` : `${snap.strings[raw]}`;
};
// First strong retainer of every node (weak and shortcut edges skipped), and an object's own
// property names.
const retainer = new Int32Array(nodeCount).fill(-1);
const retainerEdge = new Int32Array(nodeCount).fill(-1);
const props: string[][] = new Array(nodeCount);
for (let n = 0; n < nodeCount; n++) {
  const own: string[] = [];
  for (let k = firstEdge[n] as number; k < (firstEdge[n + 1] as number); k++) {
    const e = k * ewidth;
    const etype = edge_types[0][snap.edges[e + eTypeAt] as number];
    if (etype === 'property') own.push(edgeName(e));
    if (etype === 'weak' || etype === 'shortcut') continue;
    const to = (snap.edges[e + eToAt] as number) / width;
    if (retainer[to] === -1) {
      retainer[to] = n;
      retainerEdge[to] = e;
    }
  }
  props[n] = own;
}
const rows = new Map<string, { count: number; bytes: number }>();
let total = 0;
for (let n = 0; n < nodeCount; n++) {
  if (old.has(snap.nodes[n * width + idAt] as number)) continue;
  const { type, name } = nodeName(n);
  const bytes = snap.nodes[n * width + sizeAt] as number;
  total += bytes;
  const self = type === 'object' && name === 'Object' ? `{${(props[n] as string[]).slice(0, 8).join(',')}}` : name;
  const r = retainer[n] as number;
  const by = r >= 0 ? `${nodeName(r).name.slice(0, 40)}.${edgeName(retainerEdge[n] as number)}` : '(none)';
  const key = `${type} ${self}  <- ${by}`;
  const row = rows.get(key) ?? { count: 0, bytes: 0 };
  row.count++;
  row.bytes += bytes;
  rows.set(key, row);
}
console.log(`new self bytes ${(total / per).toFixed(0)} (per ${per})`);
for (const [key, d] of [...rows].sort((x, y) => y[1].bytes - x[1].bytes).slice(0, top)) {
  console.log(`${(d.bytes / per).toFixed(1).padStart(8)} B ${(d.count / per).toFixed(2).padStart(6)} ×  ${key}`);
}
