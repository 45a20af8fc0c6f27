/**
 * Sums a V8 CPU profile (.cpuprofile) or a sampling heap profile (.heapprofile) by package
 * (xstate's dist, ws, node internals and natives, linkvisor's own files, garbage collection) and by
 * function (self time or self bytes), so that the lifecycle step, the open on `ws` and the cold
 * drop can be read side by side (BENCHMARKS.md, round 38 (step)). XState's functions are also
 * grouped by what they do in a step (transition selection, exit/entry sets, snapshot creation,
 * actions, the scheduler, inspection, the system, the mailbox).
 *
 *   node --import tsx bench/profile-by-package.ts <file.cpuprofile|file.heapprofile> [--per N] [--top 25]
 *
 * `--per N` divides every figure by N (links or cycles). A native frame (empty url) of a heap
 * profile is charged to its nearest caller with a url, so `new Map` inside XState counts as XState.
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber?: number;
  columnNumber?: number;
}
interface CpuNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
export interface CpuProfile {
  nodes: CpuNode[];
  samples?: number[];
  timeDeltas?: number[];
}
interface HeapNode {
  callFrame: CallFrame;
  selfSize: number;
  children: HeapNode[];
}
export interface HeapProfile {
  head: HeapNode;
}

/** The package a frame belongs to. */
export function packageOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(program)') return '(program)';
  if (functionName === '(idle)') return '(idle)';
  if (url.includes('/node_modules/xstate/')) return 'xstate';
  if (url.includes('/node_modules/ws/')) return 'ws';
  // A bundled script (profile-open.mjs, profile-step.mjs, tree-ab's): our sources compiled into it.
  if (/\/node_modules\/\.cache\/.*\.mjs$/.test(url)) return 'ours (bundled)';
  if (url.includes('/node_modules/')) return url.replace(/^.*\/node_modules\/((@[^/]+\/)?[^/]+)\/.*$/, '$1');
  if (url.includes('/machines/')) return 'ours: machines';
  if (url.includes('/src/')) return 'ours: src';
  if (url.includes('/bench/')) return 'bench';
  return 'node and native';
}

/** What an XState function does in a step (xstate 5.x's dist function names). */
export function xstateRole(name: string): string {
  if (
    /^(selectTransitions|selectEventlessTransitions|removeConflictingTransitions|transitionNode|transitionAtomicNode|transitionCompoundNode|transitionParallelNode|transitionStateNode|evaluateGuard|checkStateIn|getCandidates|stateIn|isInFinalState|getTransitionResult)$/.test(
      name,
    )
  )
    return 'transition selection';
  if (
    /^(computeExitSet|computeEntrySet|addDescendantStatesToEnter|addAncestorStatesToEnter|addProperAncestorStatesToEnter|getEffectiveTargetStates|getTransitionDomain|getProperAncestors|isDescendant|hasIntersection|getAllStateNodes|getAllOwnEventDescriptors|getInitialStateNodes|getInitialStateNodesWithTheirAncestors|getChildren|isAtomicStateNode|getAdjList|getStateNodes|getStateNodeByPath|getStateNode)$/.test(
      name,
    )
  )
    return 'exit/entry sets';
  if (
    /^(microstep|macrostep|microstepProcedure|exitStates|enterStates|resolveActionsAndContext|resolveAndExecuteActionsWithContext|resolveRaisedTransition|resolveEnqueueActions|resolveAssign|resolveRaise|resolveCancel|resolveSendTo|resolveEmit|resolveSpawn|resolveStop|executeRaise|executeCancel|executeSendTo|executeEmit|executeStop|executeSpawn|toArray|getDelayedTransitions|toTransitionConfigArray|formatTransition|formatTransitions|getAction|resolveAction|createSpawner|mapValues|toStatePath|matchesState)$/.test(
      name,
    )
  )
    return 'microstep and actions';
  if (
    /^(createMachineSnapshot|cloneMachineSnapshot|getStateValue|getPersistedSnapshot|buildStateValue|getMeta|selectTags|toJSON|getSnapshot|getStatePath)$/.test(
      name,
    )
  )
    return 'snapshot creation';
  if (
    /^(schedule|cancel|cancelAll|_scheduleTimers|scheduleTimers|createScheduledEventId|_clock|setTimeout|clearTimeout|_relay|_sendInspectionEvent)$/.test(
      name,
    )
  )
    return name === '_sendInspectionEvent' ? 'inspection' : 'scheduler and system';
  if (
    /^(_send|send|_process|process|enqueue|flush|update|_initState|_stop|_stopProcedure|_complete|_error|_reportError|deferred|subscribe|emit|on|trigger|start|attachDevTools|getSnapshot|Actor|constructor|createActor|_register|_unregister|register|unregister|_set|get|_bookId)$/.test(
      name,
    )
  )
    return 'actor, mailbox, emit, system';
  if (/^(toObserver|inspect|_inspect)$/.test(name)) return 'inspection';
  return 'other';
}

const shortUrl = (url: string) => url.replace(/^.*\/(node_modules|src|machines|bench)\//, '$1/');
const where = (frame: CallFrame) =>
  `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${(frame.lineNumber ?? 0) + 1}`;

/** XState functions whose inclusive cost (callees included: ours called from them too) the summary shows. */
export const INCLUSIVE = [
  'macrostep',
  'microstep',
  'selectTransitions',
  'selectEventlessTransitions',
  'exitStates',
  'enterStates',
  'resolveActionsAndContext',
  'resolveAssign',
  'resolveEnqueueActions',
  'createMachineSnapshot',
  'getStateValue',
  'schedule',
  'cancel',
  'update',
  // A report to another actor (the socket chart's step for a link's report runs inside it).
  '_relay',
  'Actor',
  'start',
] as const;

export interface Summary {
  total: number;
  /** Inclusive cost of the INCLUSIVE functions of xstate (a frame counted once per stack). */
  inclusive: Map<string, number>;
  byPackage: Map<string, number>;
  byFunction: Map<string, number>;
  byXstateRole: Map<string, number>;
}

const add = (map: Map<string, number>, key: string, value: number) =>
  map.set(key, (map.get(key) ?? 0) + value);

/** Self time (µs) of a CPU profile by package, function and XState role; idle time left out. */
export function summariseCpu(profile: CpuProfile): Summary {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
  const inclusiveOf = (id: number): string[] => {
    const names = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const frame = (nodes.get(at) as CpuNode).callFrame;
      if (
        frame.url.includes('/node_modules/xstate/') &&
        (INCLUSIVE as readonly string[]).includes(frame.functionName)
      )
        names.add(frame.functionName);
    }
    return [...names];
  };
  const summary: Summary = {
    total: 0,
    inclusive: new Map(),
    byPackage: new Map(),
    byFunction: new Map(),
    byXstateRole: new Map(),
  };
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const frame = (nodes.get(samples[i] as number) as CpuNode).callFrame;
    const pkg = packageOf(frame);
    // Idle time, and the profiler's own work (stopping it serialises the profile: `dispatch`).
    if (
      pkg === '(idle)' ||
      frame.url.startsWith('node:inspector') ||
      (frame.functionName === 'dispatch' && frame.url === '')
    )
      continue;
    const us = deltas[i] ?? 0;
    summary.total += us;
    add(summary.byPackage, pkg, us);
    add(summary.byFunction, where(frame), us);
    if (pkg === 'xstate') add(summary.byXstateRole, xstateRole(frame.functionName), us);
    for (const name of inclusiveOf(samples[i] as number)) add(summary.inclusive, name, us);
  }
  return summary;
}

/** Self bytes of a sampling heap profile by package, function and XState role; a native frame is
 * charged to its nearest caller with a url. */
export function summariseHeap(profile: HeapProfile): Summary {
  const summary: Summary = {
    total: 0,
    inclusive: new Map(),
    byPackage: new Map(),
    byFunction: new Map(),
    byXstateRole: new Map(),
  };
  const walk = (node: HeapNode, caller: CallFrame | null, inside: readonly string[] = []): void => {
    const own = node.callFrame.url === '' && caller ? caller : node.callFrame;
    const bytes = node.selfSize;
    const name = node.callFrame.functionName;
    const within =
      node.callFrame.url.includes('/node_modules/xstate/') &&
      (INCLUSIVE as readonly string[]).includes(name) &&
      !inside.includes(name)
        ? [...inside, name]
        : inside;
    for (const f of within) add(summary.inclusive, f, bytes);
    if (bytes > 0) {
      summary.total += bytes;
      const pkg = packageOf(own);
      add(summary.byPackage, pkg, bytes);
      add(summary.byFunction, where(own), bytes);
      if (pkg === 'xstate') add(summary.byXstateRole, xstateRole(own.functionName), bytes);
    }
    for (const child of node.children) walk(child, own, within);
  };
  walk(profile.head, null);
  return summary;
}

/** The summary as lines: packages, XState's roles, then the `top` functions. */
export function formatSummary(
  summary: Summary,
  options: { per: number; unit: 'µs' | 'B'; top: number },
): string {
  const { per, unit, top } = options;
  const value = (v: number) => `${(v / per).toFixed(unit === 'µs' ? 1 : 0).padStart(9)} ${unit}`;
  const pct = (v: number) => `${((100 * v) / (summary.total || 1)).toFixed(1).padStart(5)} %`;
  const lines = [`  total ${value(summary.total)}`, '  by package:'];
  const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]);
  for (const [k, v] of sorted(summary.byPackage)) lines.push(`    ${k.padEnd(24)} ${value(v)} ${pct(v)}`);
  lines.push("  XState's by role:");
  for (const [k, v] of sorted(summary.byXstateRole)) lines.push(`    ${k.padEnd(32)} ${value(v)} ${pct(v)}`);
  lines.push("  XState's functions, inclusive (callees, ours among them, included):");
  for (const name of INCLUSIVE) {
    const v = summary.inclusive.get(name) ?? 0;
    if (v > 0) lines.push(`    ${name.padEnd(32)} ${value(v)} ${pct(v)}`);
  }
  lines.push(`  by function (self, top ${top}):`);
  for (const [k, v] of sorted(summary.byFunction).slice(0, top))
    lines.push(`    ${value(v)} ${pct(v)}  ${k}`);
  return lines.join('\n');
}

if (process.argv[1]?.endsWith('profile-by-package.ts')) {
  const args = process.argv.slice(2);
  const file = args[0] ?? '';
  const perAt = args.indexOf('--per');
  const per = perAt >= 0 ? Number(args[perAt + 1]) : 1;
  const topAt = args.indexOf('--top');
  const top = topAt >= 0 ? Number(args[topAt + 1]) : 25;
  const data = JSON.parse(readFileSync(file, 'utf8'));
  const heap = 'head' in data;
  const summary = heap ? summariseHeap(data) : summariseCpu(data);
  console.log(`${file}${per > 1 ? ` (per ${per})` : ''}`);
  console.log(formatSummary(summary, { per, unit: heap ? 'B' : 'µs', top }));
}
