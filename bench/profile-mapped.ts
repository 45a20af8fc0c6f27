/**
 * A drop's CPU profile with its positions mapped to the sources (BENCHMARKS.md round 48 (drop
 * step)): bench/profile-drop.ts compiled as bench/compiled.ts compiles it (esbuild, no `keepNames`,
 * NODE_ENV=production, xstate's production build) but with a source map, run `--runs N` times
 * with its CPU profile written out; the samples of every run are summed and each position of the
 * compiled file is mapped back to its source file and line (node's own `SourceMap`). tsx's columns
 * are not reliable (its inline maps are not read by V8's profiler), these are.
 *
 *   node --import tsx bench/profile-mapped.ts [--runs 3] [--top 30] [--lines 30] [--] [profile-drop's arguments: 250 --again …]
 *   node --import tsx bench/profile-mapped.ts --entry profile-burst.ts [--tree "startLinks src"] -- [its arguments]
 *   node --import tsx bench/profile-mapped.ts --entry profile-step.ts -- [its arguments: 5000 …]
 *
 * Prints, summed over the runs and divided by the number of runs (ms a drop):
 * - the functions with the most self time (file:line of the function, mapped);
 * - each built-in (a frame without a script: Object.assign, fill, InstanceOf…) charged to the
 *   function that called it, as "builtin ← caller";
 * - the source lines with the most self ticks (V8's position ticks, mapped line by line);
 * - the time under each linkvisor function (total: itself and everything it calls).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { BENCH_DIR, CHILD_BUILD } from './child.js';

interface Frame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface Node {
  id: number;
  callFrame: Frame;
  children?: number[];
  positionTicks?: { line: number; ticks: number }[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const argv = process.argv.slice(2);
const take = (name: string, fallback: number): number => {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? Number(argv.splice(at, 2)[1]) : fallback;
};
const runs = take('runs', 3);
const top = take('top', 30);
const lineCount = take('lines', 30);
// `--tree <text>`: the merged call tree under the first frame (per stack) whose place contains
// <text>, each node's total time (itself and its callees), down to `--min` ms a drop.
const treeAt = argv.indexOf('--tree');
const treeRoot = treeAt >= 0 ? (argv.splice(treeAt, 2)[1] as string) : '';
const minMs = take('min', 0.3);
// `--entry <script>`: another bench script to profile the same way (it writes its profile to
// LV_PROFILE_FILE and prints a line with `last`), e.g. profile-burst.ts (a burst open on memory).
const entryAt = argv.indexOf('--entry');
const entry = entryAt >= 0 ? (argv.splice(entryAt, 2)[1] as string) : 'profile-drop.ts';
const dropArgs = argv.filter((arg) => arg !== '--');

const outDir = path.join(BENCH_DIR, '..', 'node_modules', '.cache', 'compiled-bench');
mkdirSync(outDir, { recursive: true });
const compiledName = `${path.basename(entry, '.ts')}-mapped.mjs`;
const outfile = path.join(outDir, compiledName);
buildSync({
  ...CHILD_BUILD,
  entryPoints: [path.join(BENCH_DIR, entry)],
  outfile,
  sourcemap: 'external',
});
const map = new SourceMap(JSON.parse(readFileSync(`${outfile}.map`, 'utf8')));
const generated = readFileSync(outfile, 'utf8').split('\n');
const root = path.resolve(BENCH_DIR, '..');

/** A position of the compiled file (0-based) as `file:line` of its source (1-based). */
function mapped(line: number, column: number): string {
  const entry = map.findEntry(line, column) as { originalSource?: string; originalLine?: number };
  if (!entry.originalSource) return `?compiled:${line + 1}`;
  const file = path.relative(root, new URL(entry.originalSource, `file://${outDir}/`).pathname);
  return `${file}:${(entry.originalLine ?? 0) + 1}`;
}

/** A frame's place: a linkvisor (compiled) frame mapped; another script shortened; '' a builtin. */
function where(frame: Frame): string {
  if (frame.url === '') return '';
  if (frame.url.endsWith(compiledName)) return mapped(frame.lineNumber, frame.columnNumber);
  return `${frame.url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\//, '')}:${frame.lineNumber + 1}`;
}

const self = new Map<string, number>();
const builtins = new Map<string, number>();
const lines = new Map<string, number>();
const total = new Map<string, number>();
let dropMs = 0;
interface TreeNode {
  ms: number;
  children: Map<string, TreeNode>;
}
const tree: TreeNode = { ms: 0, children: new Map() };
const summaries: string[] = [];
const file = path.join(outDir, 'profile-mapped.cpuprofile');

for (let run = 0; run < runs; run++) {
  const out = spawnSync(process.execPath, [outfile, ...dropArgs], {
    env: { ...process.env, NODE_ENV: 'production', LV_BENCH_DIR: BENCH_DIR, LV_PROFILE_FILE: file },
    encoding: 'utf8',
  });
  if (out.status !== 0) throw new Error(`profile-drop failed: ${out.stderr}`);
  summaries.push((out.stdout.split('\n').find((l) => l.includes('last')) ?? '').trim());
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  rmSync(file);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const ms = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i] as number;
    ms.set(id, (ms.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  // Idle time and the profiler's own work (stopping it serialises the profile: `dispatch`) are
  // not the drop's, as in profile-drop.ts.
  const skip = (f: Frame) =>
    f.functionName === '(idle)' ||
    f.functionName === '(program)' ||
    f.url.startsWith('node:inspector') ||
    (f.functionName === 'dispatch' && f.url === '');
  for (const [id, t] of ms) {
    const n = byId.get(id) as Node;
    if (skip(n.callFrame)) continue;
    dropMs += t;
    const at = where(n.callFrame);
    const key = `${n.callFrame.functionName || '(anonymous)'} ${at || '(builtin)'}`;
    self.set(key, (self.get(key) ?? 0) + t);
    if (!at) {
      // A builtin: charged to the nearest caller with a script.
      let up = parent.get(id);
      while (up !== undefined && where((byId.get(up) as Node).callFrame) === '') up = parent.get(up);
      const caller = up === undefined ? '(root)' : byId.get(up)?.callFrame;
      const callerKey =
        typeof caller === 'object' ? `${caller.functionName || '(anonymous)'} ${where(caller)}` : caller;
      const k = `${n.callFrame.functionName} ← ${callerKey}`;
      builtins.set(k, (builtins.get(k) ?? 0) + t);
    }
    // Line by line, as V8 counted the node's own ticks (its share of the node's self time).
    const ticks = n.positionTicks ?? [];
    const sum = ticks.reduce((s, p) => s + p.ticks, 0);
    if (sum > 0 && n.callFrame.url.endsWith(compiledName)) {
      for (const p of ticks) {
        const text = generated[p.line - 1] ?? '';
        const lineKey = `${mapped(p.line - 1, text.length - text.trimStart().length)} (${n.callFrame.functionName || '(anonymous)'})`;
        lines.set(lineKey, (lines.get(lineKey) ?? 0) + (t * p.ticks) / sum);
      }
    }
    if (treeRoot) {
      const stack: string[] = [];
      for (let up: number | undefined = id; up !== undefined; up = parent.get(up)) {
        const f = (byId.get(up) as Node).callFrame;
        stack.push(`${f.functionName || '(anonymous)'} ${where(f) || '(builtin)'}`);
      }
      stack.reverse();
      const from = stack.findIndex((k) => k.includes(treeRoot));
      if (from >= 0) {
        let node = tree;
        node.ms += t;
        for (const k of stack.slice(from)) {
          let child = node.children.get(k);
          if (!child) {
            child = { ms: 0, children: new Map() };
            node.children.set(k, child);
          }
          child.ms += t;
          node = child;
        }
      }
    }
    // Total under each linkvisor function on the stack (once per stack).
    const seen = new Set<string>();
    for (let up: number | undefined = id; up !== undefined; up = parent.get(up)) {
      const f = (byId.get(up) as Node).callFrame;
      if (!f.url.endsWith(compiledName)) continue;
      const k = `${f.functionName || '(anonymous)'} ${where(f)}`;
      if (seen.has(k)) continue;
      seen.add(k);
      total.set(k, (total.get(k) ?? 0) + t);
    }
  }
}

const print = (title: string, m: Map<string, number>, n: number) => {
  console.log(title);
  for (const [k, t] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n))
    console.log(`  ${(t / runs).toFixed(2).padStart(6)} ms  ${k}`);
};
for (const s of summaries) console.log(s);
console.log(`profiled (not idle) ${(dropMs / runs).toFixed(1)} ms a drop, mean of ${runs} runs`);
print('self time by function (mapped):', self, top);
print('builtins by caller:', builtins, top);
print('self time by source line (position ticks, mapped):', lines, lineCount);
print('total time under linkvisor functions:', total, top);

const printTree = (node: TreeNode, depth: number): void => {
  for (const [k, child] of [...node.children].sort((a, b) => b[1].ms - a[1].ms)) {
    if (child.ms / runs < minMs) continue;
    console.log(`${(child.ms / runs).toFixed(2).padStart(6)} ms ${'  '.repeat(depth)}${k}`);
    printTree(child, depth + 1);
  }
};
if (treeRoot) {
  console.log(`call tree under "${treeRoot}" (total ms a drop, ≥ ${minMs}):`);
  printTree(tree, 0);
}
