/**
 * The functions a drop calls, for bench/profile-drop.ts `--functions N` (BENCHMARKS.md round 46
 * (storm)): V8's precise coverage with call counts, started before the opening, taken as the drop
 * starts (what the process ran before it) and as it ends (the drop's counts). By part: how many
 * distinct functions the drop called — each is interpreted, then compiled, in every process — how
 * many of them the process never ran before (their bytecode is made in the drop), the calls a link,
 * and the N functions called most (calls a link; `*` marks one new in the drop). Counting slows
 * the drop: read the counts, not the times.
 */
import { Session } from 'node:inspector/promises';

/** A function's key in the coverage: its script and where it starts. */
const keyOf = (url: string, fn: { ranges: { startOffset: number }[] }) =>
  `${url}@${fn.ranges[0]?.startOffset}`;

/** The part of the process a script belongs to (exported for test/bench/drop-functions.test.ts). */
export function partOf(url: string): string {
  if (url.includes('xstate')) return 'xstate';
  if (url.includes('/node_modules/ws/')) return 'ws';
  // As profile-drop.ts's CPU profile parts: linkvisor's charts and policies (machines/) are ours.
  if (url.includes('/compiled-bench/') || url.includes('/src/') || url.includes('/machines/'))
    return 'linkvisor and the bench';
  return 'node';
}

/** Call counts of the functions of one drop. */
export class DropFunctions {
  /** The functions the process ran before the drop (script@offset). */
  private readonly ranBefore = new Set<string>();

  private constructor(private readonly session: Session) {}

  /** Starts counting calls (before the opening). */
  static async start(): Promise<DropFunctions> {
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
    return new DropFunctions(session);
  }

  /** The drop starts: what ran so far is remembered, and the counts start again (taking resets them). */
  async dropStarts(): Promise<void> {
    // No call of a function of ours in this loop: it runs after the take, its calls would count.
    for (const script of (await this.session.post('Profiler.takePreciseCoverage')).result)
      for (const fn of script.functions)
        if ((fn.ranges[0]?.count ?? 0) > 0) this.ranBefore.add(`${script.url}@${fn.ranges[0]?.startOffset}`);
  }

  /** The drop ended: its report, one line per part, then the `top` functions called most. */
  async report(top: number, links: number): Promise<string[]> {
    const { result } = await this.session.post('Profiler.takePreciseCoverage');
    this.session.disconnect();
    const byPart = new Map<string, { functions: number; calls: number; first: number }>();
    const called: { where: string; count: number }[] = [];
    for (const script of result) {
      if (script.url.startsWith('node:inspector')) continue;
      const part = partOf(script.url);
      for (const fn of script.functions) {
        const count = fn.ranges[0]?.count ?? 0;
        // A script's own top level is not a function of the drop.
        if (count === 0 || (fn.functionName === '' && fn.ranges[0]?.startOffset === 0)) continue;
        const sum = byPart.get(part) ?? { functions: 0, calls: 0, first: 0 };
        const isNew = !this.ranBefore.has(keyOf(script.url, fn));
        sum.functions++;
        sum.calls += count;
        if (isNew) sum.first++;
        byPart.set(part, sum);
        const file = script.url.replace(/^.*\/(compiled-bench|node_modules|src|machines)\//, '$1/');
        const name = fn.functionName || '(anonymous)';
        called.push({ where: `${isNew ? '*' : ' '}${name} ${file}@${fn.ranges[0]?.startOffset}`, count });
      }
    }
    const lines: string[] = [];
    for (const [part, sum] of [...byPart].sort((a, b) => b[1].functions - a[1].functions)) {
      const calls = (sum.calls / links).toFixed(1);
      lines.push(
        `  ${part.padEnd(24)} ${sum.functions} functions (${sum.first} new in the drop), ${calls} calls a link`,
      );
    }
    for (const { where, count } of called.sort((a, b) => b.count - a.count).slice(0, top))
      lines.push(`    ${(count / links).toFixed(2).padStart(7)} a link  ${where}`);
    return lines;
  }
}
