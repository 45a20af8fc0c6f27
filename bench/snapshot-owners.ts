/**
 * What each owner holds, and what grew, between two V8 heap snapshots (bench/idle-snapshots.ts:
 * N idle links, then 2N): every object is charged to its nearest dominator that is a class
 * instance (a named constructor: Link, LinkWire, Actor, Timeout, ws's Socket…; plain objects,
 * arrays, closures and V8's internals are charged to what owns them), or to `(root)` when
 * several owners share it (a link's snapshot, which its actor and its Link both hold). Prints the
 * owners whose bytes changed most, each with its parts by type and name (a plain object by its
 * property names), bytes and counts divided by `--per N`.
 *
 *   node --max-old-space-size=6000 --import tsx bench/snapshot-owners.ts <before> <after> [--per N]
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
interface Row {
  bytes: number;
  count: number;
  parts: Map<string, { bytes: number; count: number }>;
}

const args = process.argv.slice(2);
const perAt = args.indexOf('--per');
const per = perAt >= 0 ? Number(args.splice(perAt, 2)[1]) : 1;
const [beforeFile = '', afterFile = ''] = args;

/** Self bytes by owner, then by part, of one snapshot. */
function tally(file: string): { owners: Map<string, Row>; total: number } {
  const s = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const nf = s.snapshot.meta.node_fields;
  const ef = s.snapshot.meta.edge_fields;
  const W = nf.length;
  const EW = ef.length;
  const [T, N, Z, C] = ['type', 'name', 'self_size', 'edge_count'].map((f) => nf.indexOf(f)) as [
    number,
    number,
    number,
    number,
  ];
  const [ET, EN, EO] = ['type', 'name_or_index', 'to_node'].map((f) => ef.indexOf(f)) as [
    number,
    number,
    number,
  ];
  const nodeTypes = s.snapshot.meta.node_types[0];
  const edgeTypes = s.snapshot.meta.edge_types[0];
  const nodes = s.nodes;
  const edges = s.edges;
  const n = nodes.length / W;
  const at = (array: number[], i: number) => array[i] as number;
  const first = new Uint32Array(n + 1);
  for (let v = 0; v < n; v++) first[v + 1] = (first[v] as number) + at(nodes, v * W + (C as number));
  const weak = edgeTypes.indexOf('weak');
  const strong = (k: number) => at(edges, k * EW + (ET as number)) !== weak;
  const target = (k: number) => at(edges, k * EW + (EO as number)) / W;
  // Predecessors (strong edges), then a depth-first postorder from the root (node 0).
  const predStart = new Uint32Array(n + 1);
  for (let k = 0; k < edges.length / EW; k++) {
    const slot = target(k) + 1;
    if (strong(k)) predStart[slot] = (predStart[slot] as number) + 1;
  }
  for (let v = 0; v < n; v++) predStart[v + 1] = (predStart[v + 1] as number) + (predStart[v] as number);
  const preds = new Uint32Array(predStart[n] as number);
  const fill = predStart.slice();
  for (let v = 0; v < n; v++)
    for (let k = first[v] as number; k < (first[v + 1] as number); k++)
      if (strong(k)) preds[(fill[target(k)] as number)++] = v;
  const post = new Int32Array(n).fill(-1);
  const order: number[] = [];
  const next = new Uint32Array(n);
  const seen = new Uint8Array(n);
  const stack = [0];
  seen[0] = 1;
  next[0] = first[0] as number;
  while (stack.length > 0) {
    const v = stack[stack.length - 1] as number;
    if ((next[v] as number) < (first[v + 1] as number)) {
      const k = (next[v] as number) + 0;
      next[v] = k + 1;
      if (!strong(k)) continue;
      const to = target(k);
      if (!seen[to]) {
        seen[to] = 1;
        next[to] = first[to] as number;
        stack.push(to);
      }
    } else {
      stack.pop();
      post[v] = order.length;
      order.push(v);
    }
  }
  // Immediate dominators (Cooper, Harvey and Kennedy's iteration).
  const idom = new Int32Array(n).fill(-1);
  idom[0] = 0;
  const meet = (a: number, b: number) => {
    while (a !== b) {
      while ((post[a] as number) < (post[b] as number)) a = idom[a] as number;
      while ((post[b] as number) < (post[a] as number)) b = idom[b] as number;
    }
    return a;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (let j = order.length - 2; j >= 0; j--) {
      const v = order[j] as number;
      let dom = -1;
      for (let p = predStart[v] as number; p < (predStart[v + 1] as number); p++) {
        const u = preds[p] as number;
        if (idom[u] === -1) continue;
        dom = dom === -1 ? u : meet(u, dom);
      }
      if (dom !== -1 && idom[v] !== dom) {
        idom[v] = dom;
        changed = true;
      }
    }
  }
  const typeOf = (v: number) => nodeTypes[at(nodes, v * W + (T as number))] as string;
  const nameOf = (v: number) => s.strings[at(nodes, v * W + (N as number))] ?? '';
  const label = (v: number) => {
    const type = typeOf(v);
    let name = type.includes('string') ? 'str' : nameOf(v);
    if (type === 'object' && name === 'Object') {
      const keys: string[] = [];
      for (let k = first[v] as number; k < (first[v + 1] as number); k++)
        if (edgeTypes[at(edges, k * EW + (ET as number))] === 'property')
          keys.push(s.strings[at(edges, k * EW + (EN as number))] as string);
      name = `{${keys.slice(0, 6).join(',')}}`;
    }
    return `${type} ${name}`;
  };
  const named = (v: number) =>
    (typeOf(v) === 'object' && !/^(Object|Array|Map|Set|system \/.*|)$/.test(nameOf(v))) ||
    (typeOf(v) === 'synthetic' && v !== 0 && nameOf(v) !== '(GC roots)');
  const owners = new Map<string, Row>();
  let total = 0;
  for (let v = 0; v < n; v++) {
    if (idom[v] === -1) continue;
    const bytes = at(nodes, v * W + (Z as number));
    total += bytes;
    let owner = v;
    for (let hops = 0; owner !== 0 && !named(owner) && hops < 50; hops++) owner = idom[owner] as number;
    const key = owner === 0 ? '(root)' : label(owner);
    const row = owners.get(key) ?? { bytes: 0, count: 0, parts: new Map() };
    row.bytes += bytes;
    if (owner === v) row.count++;
    const part = label(v);
    const cell = row.parts.get(part) ?? { bytes: 0, count: 0 };
    cell.bytes += bytes;
    cell.count++;
    row.parts.set(part, cell);
    owners.set(key, row);
  }
  return { owners, total };
}

const before = tally(beforeFile);
const after = tally(afterFile);
const rows = new Map<string, Row>();
for (const key of new Set([...before.owners.keys(), ...after.owners.keys()])) {
  const a = before.owners.get(key) ?? { bytes: 0, count: 0, parts: new Map() };
  const b = after.owners.get(key) ?? { bytes: 0, count: 0, parts: new Map() };
  const parts = new Map<string, { bytes: number; count: number }>();
  for (const part of new Set([...a.parts.keys(), ...b.parts.keys()])) {
    const x = a.parts.get(part) ?? { bytes: 0, count: 0 };
    const y = b.parts.get(part) ?? { bytes: 0, count: 0 };
    parts.set(part, { bytes: y.bytes - x.bytes, count: y.count - x.count });
  }
  rows.set(key, { bytes: b.bytes - a.bytes, count: b.count - a.count, parts });
}
const fmt = (bytes: number, count: number) =>
  `${(bytes / per).toFixed(0).padStart(6)} B ${(count / per).toFixed(2).padStart(6)} ×`;
const bySize = <T extends { bytes: number }>(x: [string, T], y: [string, T]) =>
  Math.abs(y[1].bytes) - Math.abs(x[1].bytes);
console.log(`${((after.total - before.total) / per).toFixed(0)} B (per ${per})`);
for (const [key, row] of [...rows].sort(bySize)) {
  if (Math.abs(row.bytes / per) < 8) continue;
  console.log(`${fmt(row.bytes, row.count)}  ${key}`);
  for (const [part, cell] of [...row.parts].sort(bySize))
    if (Math.abs(cell.bytes / per) >= 8) console.log(`    ${fmt(cell.bytes, cell.count)}  ${part}`);
}
