/**
 * The lifecycle step of issue 11's benches (bench/lean-client.ts, `bench/open-ab.ts --lifecycle`):
 * one link on the memory transport dropped and reconnected `cycles` times (ready → reconnecting →
 * ready, no backoff wait), its CPU µs a cycle. The runtime is a parameter, so that open-ab.ts can
 * run a base tree's sources through it.
 */
import type { createSupervisor } from '../src/index.js';
import type { createMemoryNetwork } from '../src/testing/index.js';

export interface StepRuntime {
  createSupervisor: typeof createSupervisor;
  createMemoryNetwork: typeof createMemoryNetwork;
}

export async function lifecycleStep(
  runtime: StepRuntime,
  cycles: number,
  /** In-process links (the memory transport's default: idle → ready) or through connecting; `measured`
   * runs once the cycles are done, before the supervisor closes. */
  options: { inProcess?: boolean; measured?: () => Promise<void> } = {},
): Promise<{ cpuUs: number; ms: number; readies: number }> {
  const network = runtime.createMemoryNetwork({ inProcess: options.inProcess ?? true });
  const server = network.listen('mem://step');
  const supervisor = runtime.createSupervisor({
    transport: network.transport,
    backoff: { initialDelayMs: 0, maxDelayMs: 0, jitter: 'none', stableAfterMs: 0 },
    // The cycle bounces the link on purpose thousands of times a minute: restart intensity would
    // park it in coolingDown after the sixth (machines/policy/intensity.ts).
    intensity: false,
  });
  const link = supervisor.connect('mem://step');
  let readies = 0;
  let wake: (() => void) | null = null;
  link.on('ready', () => {
    readies++;
    wake?.();
  });
  await link.ready();
  // CPU time, not wall time: a 0 ms reconnect delay is still a timer, which Node fires after 1 ms.
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < cycles; i++) {
    const next = new Promise<void>((resolve) => (wake = resolve));
    server.dropAll(1006);
    await next;
  }
  const used = process.cpuUsage(cpu);
  const ms = performance.now() - start;
  await options.measured?.();
  await supervisor.close();
  server.close();
  return { cpuUs: (used.user + used.system) / cycles, ms, readies };
}
