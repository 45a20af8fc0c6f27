/**
 * The heartbeat cycle of idle links (`bench/open-ab.ts --memory --heartbeat`): `links` ready links
 * on the memory transport (through connecting and open) under a simulated clock, taken through
 * `cycles` heartbeat cycles (quiet interval → ping → pong → the next quiet interval) by advancing
 * the clock one interval at a time; the memory server answers each ping at once. Returns CPU µs a
 * link and cycle. The runtime is a parameter, so that open-ab.ts can run a base tree's sources.
 */
import type { createSupervisor } from '../src/index.js';
import type { createMemoryNetwork, TestClock } from '../src/testing/index.js';

/** The runtime a base tree or this one supplies. */
export interface BeatRuntime {
  createSupervisor: typeof createSupervisor;
  createMemoryNetwork: typeof createMemoryNetwork;
  TestClock: typeof TestClock;
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
  const clock = new runtime.TestClock();
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
