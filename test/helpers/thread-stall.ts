/**
 * The longest the main thread held its event loop, in CPU time of that thread alone: a busy host
 * stalls the loop by the wall clock (other processes' turns), and `process.cpuUsage()` counts every
 * thread of the process (a worker, V8's GC helpers), so neither tells the application's own stall.
 * Linux only (`/proc/self/task/<pid>/stat`: the main thread's id is the process id; user + system
 * time in clock ticks of 10 ms); elsewhere `cpuMs` is null and only the wall clock is known.
 */
import { readFileSync } from 'node:fs';

/** Linux reports thread times in USER_HZ, 100 a second on every architecture. */
const MS_PER_TICK = 10;
/** How often the loop is sampled, in ms. */
const SAMPLE_EVERY_MS = 5;

/** CPU time (user + system) the main thread has used, in ms, or null where /proc is absent. */
export function mainThreadCpuMs(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // After "pid (comm) ": state is field 3; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * MS_PER_TICK : null;
  } catch {
    return null;
  }
}

export interface ThreadStalls {
  /** Stops sampling; the longest gap between two turns, by the wall clock and in the main
   * thread's CPU time (null where /proc is absent). */
  stop(): { wallMs: number; cpuMs: number | null };
}

/** Samples the main thread's loop every few ms from now until stop(). */
export function watchThreadStalls(): ThreadStalls {
  let lastWall = performance.now();
  let lastCpu = mainThreadCpuMs();
  let wallMs = 0;
  let cpuMs: number | null = lastCpu === null ? null : 0;
  const tick = () => {
    const wall = performance.now();
    const cpu = mainThreadCpuMs();
    wallMs = Math.max(wallMs, wall - lastWall);
    if (cpu !== null && lastCpu !== null && cpuMs !== null) cpuMs = Math.max(cpuMs, cpu - lastCpu);
    lastWall = wall;
    lastCpu = cpu;
  };
  const timer = setInterval(tick, SAMPLE_EVERY_MS);
  return {
    stop() {
      clearInterval(timer);
      tick();
      return { wallMs, cpuMs };
    },
  };
}
