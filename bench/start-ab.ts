/**
 * A link actor's start on the connection chart as drawn (idle, then its eventless step into the
 * attempt) against the chart started in the attempt (machines/connection-start.ts), in one process,
 * alternating batches so both meet the same load: CPU µs a start (createActor and start(),
 * transport actions that do nothing, a simulated clock; the actors stopped outside the measure) and
 * the paired ratio per round. Round 20 (open) of issue 11; bytes: bench/open-ab.ts --memory --alloc.
 *
 *   node --expose-gc --import tsx bench/start-ab.ts [--rounds 30] [--count 2000]
 */
import { type AnyStateMachine, createActor, SimulatedClock } from 'xstate';
import { connectionMachine } from '../machines/connection.machine.js';
import { resolvePolicy } from '../machines/connection-context.js';
import { startedAt } from '../machines/connection-start.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const rounds = flag('--rounds', 30);
const count = flag('--count', 2_000);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

const policy = resolvePolicy({});
const input = (i: number) => ({ linkId: `link:${i}`, label: 'ws://a', seed: i, policy });
const chart = connectionMachine;
const derived = startedAt(chart, createActor(chart, { input: input(0) }).getSnapshot().value);
const machines: Record<'chart' | 'derived', AnyStateMachine> = { chart, derived };

/** CPU µs a start of `count` link actors on `machine`. */
function batch(machine: AnyStateMachine): number {
  const clock = new SimulatedClock();
  const actors = [];
  gc();
  const cpu = process.cpuUsage();
  for (let i = 0; i < count; i++) actors.push(createActor(machine, { input: input(i), clock }).start());
  const used = process.cpuUsage(cpu);
  for (const actor of actors) actor.stop();
  return (used.user + used.system) / count;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const cpu = { chart: [] as number[], derived: [] as number[] };
const ratios: number[] = [];
for (let i = 0; i < 5; i++) for (const m of Object.values(machines)) batch(m);
for (let r = 0; r < rounds; r++) {
  const order = r % 2 === 0 ? (['chart', 'derived'] as const) : (['derived', 'chart'] as const);
  const got = { chart: 0, derived: 0 };
  for (const name of order) got[name] = batch(machines[name]);
  cpu.chart.push(got.chart);
  cpu.derived.push(got.derived);
  ratios.push(got.derived / got.chart);
}
const sorted = [...ratios].sort((a, b) => a - b);
console.log(
  `start of ${count} link actors, ${rounds} rounds: chart ${median(cpu.chart).toFixed(2)} µs, started in the attempt ${median(cpu.derived).toFixed(2)} µs; derived / chart median ${median(ratios).toFixed(3)} (${sorted[0]?.toFixed(3)}–${sorted.at(-1)?.toFixed(3)})`,
);
