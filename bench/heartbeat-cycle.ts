/**
 * The heartbeat cycle of idle links (`bench/open-ab.ts --memory --heartbeat`): `links` ready links
 * on the memory transport (through connecting and open) under a simulated clock, taken through
 * `cycles` heartbeat cycles (quiet interval → ping → pong → the next quiet interval) by advancing
 * the clock one interval at a time; the memory server answers each ping at once. Returns CPU µs a
 * link and cycle. The runtime is a parameter, so that open-ab.ts can run a base tree's sources.
 */
import type { createSupervisor } from '../src/index.js';
import type { createMemoryNetwork } from '../src/testing/index.js';

/** The runtime a base tree or this one supplies. */
export interface BeatRuntime {
  createSupervisor: typeof createSupervisor;
  createMemoryNetwork: typeof createMemoryNetwork;
}

/**
 * A simulated clock that fires the timers due at one instant as one batch, then lets the microtasks
 * they cause run once, so the bench measures the links, not the clock. linkvisor/testing's TestClock
 * fires one timer at a time and settles the microtasks after each (what model tests need: each
 * timer's consequences before the next), 1,000 settles an instant here; before round 13 it also
 * copied its timer list on every clearTimeout (~100 KB a link and cycle with 1,000 links).
 */
class BenchClock {
  private current = 0;
  private nextId = 1;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): number {
    const id = this.nextId++;
    this.timers.set(id, { at: this.current + (Number.isFinite(ms) && ms > 0 ? ms : 0), fn });
    return id;
  }

  clearTimeout(id: unknown): void {
    this.timers.delete(id as number);
  }

  async advance(ms: number): Promise<void> {
    const end = this.current + ms;
    await settle();
    for (let batch = 0; batch < 1_000_000; batch++) {
      let at = Number.POSITIVE_INFINITY;
      for (const timer of this.timers.values()) if (timer.at < at) at = timer.at;
      if (at > end) break;
      const due: (() => void)[] = [];
      for (const [id, timer] of this.timers) {
        if (timer.at !== at) continue;
        this.timers.delete(id);
        due.push(timer.fn);
      }
      this.current = at;
      for (const fn of due) fn();
      await settle();
    }
    this.current = end;
  }
}

/** Lets the microtasks of a batch of timers run (the memory transport delivers on microtasks). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

/** The bench's heartbeat: a quiet interval of 1 s, the pong answered at once. */
const INTERVAL_MS = 1_000;

/** Runs `cycles` heartbeat cycles of `links` links; `starting` runs right before the cycles (the
 * links ready and stable), `measured` once they are done, before the supervisor closes. */
export async function heartbeatCycles(
  runtime: BeatRuntime,
  links: number,
  cycles: number,
  measured?: () => Promise<void>,
  starting?: () => Promise<void>,
): Promise<{ cpuUs: number; ms: number; pongs: number }> {
  const clock = new BenchClock();
  const network = runtime.createMemoryNetwork({ clock, inProcess: false });
  const server = network.listen('mem://beat');
  const supervisor = runtime.createSupervisor({
    transport: network.transport,
    clock,
    // Stable at once: every cycle after the first is the plain one (beating ⇄ awaitingPong).
    backoff: { stableAfterMs: 0 },
    heartbeat: { mode: 'protocol', intervalMs: INTERVAL_MS, timeoutMs: INTERVAL_MS / 2, maxMissed: 1 },
  });
  const opened = Array.from({ length: links }, () => supervisor.connect('mem://beat'));
  await clock.advance(0);
  await Promise.all(opened.map((link) => link.ready()));
  // One cycle to leave the stable wait behind.
  await clock.advance(INTERVAL_MS);
  await starting?.();
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < cycles; i++) await clock.advance(INTERVAL_MS);
  const used = process.cpuUsage(cpu);
  const ms = performance.now() - start;
  await measured?.();
  const pongs = opened.filter((link) => link.status().rttMs !== null).length;
  if (opened.some((link) => link.state !== 'ready') || pongs < links)
    throw new Error(`heartbeat-cycle: ${pongs} of ${links} links ready with a round trip`);
  const closing = supervisor.close();
  await clock.advance(10_000);
  await closing;
  server.close();
  return { cpuUs: (used.user + used.system) / (links * cycles), ms, pongs };
}
