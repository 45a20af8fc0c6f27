/**
 * What recording a session costs: 1,000 links on the memory transport and a simulated clock, each
 * bouncing 10 times with the heartbeat on, without and with `recordSession(supervisor)`: time per run
 * (best of 5, interleaved) and trace size. Run: `node --import tsx bench/record.ts` (plain node:
 * xstate's production build). Not part of `npm run bench` yet; figures go in reports as ratios.
 */
import { createSupervisor } from '../src/index.js';
import { createMemoryNetwork, TestClock } from '../src/testing/index.js';
import { recordSession } from '../src/trace/record-session.js';
import { formatTrace } from '../src/trace/trace-format.js';

const LINKS = 1_000;
const BOUNCES = 10;

async function run(record: boolean): Promise<{ ms: number; records: number; bytes: number }> {
  const clock = new TestClock();
  const network = createMemoryNetwork({ clock, inProcess: false });
  const server = network.listen('mem://bench');
  const supervisor = createSupervisor({ transport: network.transport, clock, seed: 1 });
  const started = performance.now();
  const recorder = record ? recordSession(supervisor) : null;
  for (let i = 0; i < LINKS; i++) {
    supervisor.connect('mem://bench', {
      heartbeat: { intervalMs: 1_000, timeoutMs: 500 },
      backoff: { initialDelayMs: 100, maxDelayMs: 400 },
    });
  }
  for (let b = 0; b < BOUNCES; b++) {
    await clock.advance(2_500);
    server.dropAll(1012);
  }
  await clock.advance(2_000);
  const trace = recorder?.stop();
  const ms = performance.now() - started;
  const done = supervisor.terminate();
  await clock.advance(10_000);
  await done;
  return { ms, records: trace?.records.length ?? 0, bytes: trace ? formatTrace(trace).length : 0 };
}

const plain: number[] = [];
const recorded: number[] = [];
let size = { records: 0, bytes: 0 };
for (let round = 0; round < 5; round++) {
  plain.push((await run(false)).ms);
  const r = await run(true);
  recorded.push(r.ms);
  size = r;
}
const best = (xs: number[]) => Math.min(...xs);
console.log(
  `${LINKS} links × ${BOUNCES} bounces: without recording ${best(plain).toFixed(0)} ms, recording ${best(recorded).toFixed(0)} ms (×${(best(recorded) / best(plain)).toFixed(2)}); trace ${size.records} records, ${(size.bytes / 1e6).toFixed(1)} MB (${(size.bytes / size.records).toFixed(0)} B/record)`,
);
